/**
 * A set of closed intervals `[from, to]` on the integer line (epoch milliseconds), kept as a sorted
 * list of disjoint, non-adjacent intervals. The windowed incident index records with it which
 * stretches of observation start times it holds completely. `-Infinity` and `Infinity` are valid
 * ends ("everything before", "everything after").
 */
export class IntervalSet {
  /** Sorted by `from`; disjoint and not adjacent (`next.from > prev.to + 1`). */
  private list: [number, number][] = [];

  /** The intervals, sorted, as copies. */
  get intervals(): [number, number][] {
    return this.list.map(([a, b]) => [a, b]);
  }

  /** Adds `[from, to]`, merging with overlapping or adjacent intervals. An empty range (`to < from`) adds nothing. */
  add(from: number, to: number): void {
    assertRange(from, to);
    if (to < from) return;
    const out: [number, number][] = [];
    let a = from;
    let b = to;
    let placed = false;
    for (const [x, y] of this.list) {
      if (y + 1 < a) out.push([x, y]);
      else if (b + 1 < x) {
        if (!placed) {
          out.push([a, b]);
          placed = true;
        }
        out.push([x, y]);
      } else {
        a = Math.min(a, x);
        b = Math.max(b, y);
      }
    }
    if (!placed) out.push([a, b]);
    this.list = out;
  }

  /** Takes `[from, to]` out: what was covered there no longer is. An empty range (`to < from`) removes nothing. */
  remove(from: number, to: number): void {
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('interval ends must be numbers');
    if (to < from) return;
    const out: [number, number][] = [];
    for (const [x, y] of this.list) {
      if (y < from || x > to) {
        out.push([x, y]);
        continue;
      }
      if (x < from) out.push([x, from - 1]);
      if (y > to) out.push([to + 1, y]);
    }
    this.list = out;
  }

  /** True when every integer of `[from, to]` is covered (an empty range is always covered). */
  covers(from: number, to: number): boolean {
    return this.missing(from, to).length === 0;
  }

  /** The parts of `[from, to]` not covered, as sorted disjoint intervals. */
  missing(from: number, to: number): [number, number][] {
    assertRange(from, to);
    if (to < from) return [];
    const gaps: [number, number][] = [];
    let cursor = from;
    for (const [x, y] of this.list) {
      if (y < cursor) continue;
      if (x > to) break;
      if (x > cursor) gaps.push([cursor, x - 1]);
      if (y === Infinity) return gaps;
      cursor = y + 1;
      if (cursor > to) return gaps;
    }
    if (cursor <= to) gaps.push([cursor, to]);
    return gaps;
  }
}

function assertRange(from: number, to: number): void {
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('interval ends must be numbers');
  if (from === Infinity || to === -Infinity) throw new RangeError(`interval [${from}, ${to}] has no finite start or end`);
}
