import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { Settlement } from './settlement.js';
import { searchKey } from './search-key.js';

/**
 * The settlements places are named after, with a kd-tree for the nearest one (geokdbush walks
 * it on the sphere: a few microseconds a lookup over ~120,000 points) and a sorted list of
 * search keys for name prefixes.
 */
export class Gazetteer {
  private readonly tree: KDBush;
  /** `[key, settlement index]`, sorted by key; a settlement appears once per distinct key of its names. */
  private readonly keys: [string, number][];

  constructor(readonly settlements: readonly Settlement[]) {
    this.tree = new KDBush(Math.max(settlements.length, 1));
    for (const s of settlements) this.tree.add(s.lon, s.lat);
    // kdbush cannot be finished empty; one dummy point never returned (see nearest) keeps it valid.
    if (settlements.length === 0) this.tree.add(0, 0);
    this.tree.finish();
    this.keys = settlements.map((s, i): [string, number] => [s.key, i]);
    this.keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  }

  get size(): number {
    return this.settlements.length;
  }

  /** The settlement nearest to (lon, lat) on the sphere; `undefined` only for an empty gazetteer. */
  nearest(lon: number, lat: number): Settlement | undefined {
    if (this.settlements.length === 0) return undefined;
    const [id] = around(this.tree, lon, lat, 1);
    return id === undefined ? undefined : this.settlements[id];
  }

  /**
   * Settlements whose name starts with `query` (compared by `searchKey`), an exact name first,
   * then by population (unknown last), at most `limit`.
   */
  search(query: string, limit: number): Settlement[] {
    const key = searchKey(query);
    if (key === '') return [];
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as [string, number])[0] < key) lo = mid + 1;
      else hi = mid;
    }
    const found: { s: Settlement; exact: boolean }[] = [];
    for (let i = lo; i < this.keys.length; i++) {
      const [k, index] = this.keys[i] as [string, number];
      if (!k.startsWith(key)) break;
      found.push({ s: this.settlements[index] as Settlement, exact: k === key });
    }
    found.sort((a, b) => Number(b.exact) - Number(a.exact) || (b.s.population ?? -1) - (a.s.population ?? -1));
    return found.slice(0, limit).map((f) => f.s);
  }
}
