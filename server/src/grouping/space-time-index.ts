import { normalizeLon } from '@truceline/shared';
import { EARTH_RADIUS_M, type GroupingConfig, assertValidConfig } from './link.js';

/** What the index needs to know about an item: its window and its uncertainty circle. */
export interface SpaceTimeItem {
  readonly id: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly lon: number;
  readonly lat: number;
  readonly radiusM: number;
}

/** Counters for tests and monitoring; they only ever grow. */
export interface SpaceTimeIndexStats {
  /** Items handed to a query callback (each is a candidate the caller may then test exactly). */
  candidatesVisited: number;
  /** Grid cells looked at by queries (lookups in a cell map, or occupied cells iterated). */
  cellsScanned: number;
}

/**
 * Upper radius bound (m) of each radius class; the last class is unbounded.
 * A class's spatial cell is `bound + maxEdgeDistanceM` wide so that a query rarely scans
 * more than 3×3 to 5×5 cells.
 */
const RADIUS_CLASS_BOUNDS_M: readonly number[] = [1_000, 4_000, 16_000, 64_000, Number.POSITIVE_INFINITY];
/** Cell side of the unbounded radius class, metres (before adding `maxEdgeDistanceM`). */
const LAST_RADIUS_CLASS_CELL_M = 256_000;
/**
 * Upper duration bound of each duration class, as multiples of the base bucket width
 * (`max(maxGapMs, 1 min)`); the last class is unbounded and uses 1024× as its bucket width.
 */
const DURATION_CLASS_FACTORS: readonly number[] = [1, 4, 16, 64, 256, Number.POSITIVE_INFINITY];
const LAST_DURATION_CLASS_BUCKET_FACTOR = 1024;
/** Smallest base bucket width, so that `maxGapMs = 0` still gives finite buckets. */
const MIN_BUCKET_MS = 60_000;
/** Smallest spatial cell, so that tiny configs do not explode the cell count. */
const MIN_CELL_M = 500;
/**
 * Extra reach (m) added to every query. Far above floating-point noise in the bounds below,
 * far below anything that changes the candidate count noticeably.
 */
const QUERY_MARGIN_M = 1;

const RAD = Math.PI / 180;
const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

type Cell<T> = T[];
type Bucket<T> = Map<number, Cell<T>>;

/** One (duration class × radius class) loose grid: time buckets of cell maps. */
class ClassGrid<T> {
  readonly buckets = new Map<number, Bucket<T>>();
  /** Observed maxima; never decreased on removal (an upper bound is all the query needs). */
  maxRadiusM = 0;
  maxDurationMs = 0;
  size = 0;
  readonly nLon: number;
  readonly nLat: number;
  readonly cellDeg: number;

  constructor(
    readonly bucketMs: number,
    cellM: number,
  ) {
    // Make 360° an exact multiple of the cell width so that column arithmetic wraps exactly at the antimeridian.
    this.nLon = Math.max(1, Math.round(360 / (cellM / METRES_PER_DEGREE)));
    this.cellDeg = 360 / this.nLon;
    this.nLat = Math.max(1, Math.ceil(180 / this.cellDeg));
  }

  column(lon: number): number {
    const ix = Math.floor((normalizeLon(lon) + 180) / this.cellDeg);
    return ((ix % this.nLon) + this.nLon) % this.nLon;
  }

  row(lat: number): number {
    return clamp(Math.floor((lat + 90) / this.cellDeg), 0, this.nLat - 1);
  }
}

interface Placement<T> {
  readonly grid: ClassGrid<T>;
  readonly bucket: number;
  readonly cell: number;
  readonly item: T;
}

/**
 * Candidate lookup for the link rule: given an item, returns (a superset of) every stored item
 * whose window could be within `maxGapMs` and whose circle could be within
 * `maxEdgeDistanceM` edge to edge. The caller applies the exact rule.
 *
 * Design — a *loose* multi-level space-time grid, one registration per item:
 * - Items are split into classes by window duration (≤ 1, 4, 16, 64, 256 × base, longer) and by
 *   radius (≤ 1, 4, 16, 64 km, larger). Each class has its own grid whose time bucket width
 *   matches its duration bound and whose cell size matches its radius bound.
 * - An item is stored exactly once: in its class grid, in the bucket of its `startMs` and the cell
 *   of its centre. Insert and remove are therefore O(1) (plus O(cell size) for the array splice),
 *   independent of window length (up to 24 h) and radius (up to ~30 km), and candidates never
 *   need deduplicating.
 * - A query widens the search per class by that class's observed maximum duration/radius:
 *   starts in `[q.start − maxGap − maxDuration, q.end + maxGap]`, centres within
 *   `q.radius + maxRadius + maxEdge` (a rigorous lat/lon box on the sphere, wrapping at the
 *   antimeridian and covering all columns near the poles).
 * - In a bucket with fewer occupied cells than the box has, the occupied cells are iterated
 *   instead (and likewise for buckets), so a 30 km-radius, 24 h query stays cheap in sparse data.
 *
 * Trade-off: cost per insert is ~ (number of non-empty classes) × (cells in the box) + (items
 * actually living in that space-time neighbourhood). It does not depend on how many items exist
 * elsewhere in space or time, so it stays flat from 10 k to 1 M items spread over years. A dense
 * burst (10,000 in one hour within 50 km) makes the neighbourhood itself large: each query then
 * visits the few hundred to few thousand items that really are nearby; that is inherent to
 * answering "which incidents touch this report". `IncidentIndex` cuts that down by keeping one
 * index per category (querying only compatible ones) and by skipping candidates of incidents it
 * already knows are linked (measured: ~130 candidates and ~8 exact checks per insert). The grid is loose (an item of
 * radius 100 m in the ≤1 km class is searched as if it were 1 km), costing some extra
 * candidates in exchange for single registration.
 */
export class SpaceTimeIndex<T> {
  private readonly grids: (ClassGrid<T> | undefined)[] = [];
  private readonly placements = new Map<string, Placement<T>>();
  private readonly baseBucketMs: number;
  private readonly counters: SpaceTimeIndexStats = { candidatesVisited: 0, cellsScanned: 0 };

  /**
   * @param config the grouping limits the candidate boxes must cover.
   * @param locate maps a stored value to its window and circle (lets callers store their own entries).
   */
  constructor(
    private readonly config: GroupingConfig,
    private readonly locate: (value: T) => SpaceTimeItem,
  ) {
    assertValidConfig(config);
    this.baseBucketMs = Math.max(config.maxGapMs, MIN_BUCKET_MS);
  }

  /** Number of stored items. */
  get size(): number {
    return this.placements.size;
  }

  /** A copy of the counters. */
  get stats(): SpaceTimeIndexStats {
    return { ...this.counters };
  }

  has(id: string): boolean {
    return this.placements.has(id);
  }

  /** Stores `value`; throws if its id is already stored or its geometry is invalid. */
  insert(value: T): void {
    const item = this.locate(value);
    assertValidItem(item);
    if (this.placements.has(item.id)) throw new Error(`grouping index: duplicate id ${item.id}`);
    const duration = item.endMs - item.startMs;
    const dClass = DURATION_CLASS_FACTORS.findIndex((f) => duration <= f * this.baseBucketMs);
    const rClass = RADIUS_CLASS_BOUNDS_M.findIndex((b) => item.radiusM <= b);
    const grid = this.gridFor(dClass, rClass);
    const bucketKey = Math.floor(item.startMs / grid.bucketMs);
    const cellKey = grid.row(item.lat) * grid.nLon + grid.column(item.lon);
    let bucket = grid.buckets.get(bucketKey);
    if (!bucket) {
      bucket = new Map();
      grid.buckets.set(bucketKey, bucket);
    }
    let cell = bucket.get(cellKey);
    if (!cell) {
      cell = [];
      bucket.set(cellKey, cell);
    }
    cell.push(value);
    grid.size += 1;
    grid.maxRadiusM = Math.max(grid.maxRadiusM, item.radiusM);
    grid.maxDurationMs = Math.max(grid.maxDurationMs, duration);
    this.placements.set(item.id, { grid, bucket: bucketKey, cell: cellKey, item: value });
  }

  /** Removes the item with this id; returns it, or `undefined` if it was not stored. */
  remove(id: string): T | undefined {
    const placement = this.placements.get(id);
    if (!placement) return undefined;
    this.placements.delete(id);
    const { grid } = placement;
    const bucket = grid.buckets.get(placement.bucket);
    const cell = bucket?.get(placement.cell);
    if (!bucket || !cell) throw new Error(`grouping index: lost placement of ${id}`);
    const at = cell.indexOf(placement.item);
    if (at < 0) throw new Error(`grouping index: lost item ${id}`);
    const last = cell.pop() as T;
    if (at < cell.length) cell[at] = last;
    if (cell.length === 0) bucket.delete(placement.cell);
    if (bucket.size === 0) grid.buckets.delete(placement.bucket);
    grid.size -= 1;
    return placement.item;
  }

  /**
   * Calls `visit` once for every stored item that might be linked to `query` by time and space
   * (a superset; categories are not considered). Includes `query` itself if it is stored.
   */
  forEachCandidate(query: SpaceTimeItem, visit: (value: T) => void): void {
    const gap = this.config.maxGapMs;
    for (const grid of this.grids) {
      if (!grid || grid.size === 0) continue;
      const bLo = Math.floor((query.startMs - gap - grid.maxDurationMs) / grid.bucketMs);
      const bHi = Math.floor((query.endMs + gap) / grid.bucketMs);
      const box = this.box(grid, query);
      if (bHi - bLo + 1 > grid.buckets.size) {
        for (const [key, bucket] of grid.buckets) {
          if (key >= bLo && key <= bHi) this.scanBucket(grid, bucket, box, visit);
        }
      } else {
        for (let key = bLo; key <= bHi; key++) {
          const bucket = grid.buckets.get(key);
          if (bucket) this.scanBucket(grid, bucket, box, visit);
        }
      }
    }
  }

  private gridFor(dClass: number, rClass: number): ClassGrid<T> {
    const slot = dClass * RADIUS_CLASS_BOUNDS_M.length + rClass;
    let grid = this.grids[slot];
    if (!grid) {
      const factor = DURATION_CLASS_FACTORS[dClass] ?? Number.POSITIVE_INFINITY;
      const bucketMs = this.baseBucketMs * (Number.isFinite(factor) ? factor : LAST_DURATION_CLASS_BUCKET_FACTOR);
      const bound = RADIUS_CLASS_BOUNDS_M[rClass] ?? Number.POSITIVE_INFINITY;
      const cellM = Math.max(MIN_CELL_M, (Number.isFinite(bound) ? bound : LAST_RADIUS_CLASS_CELL_M) + this.config.maxEdgeDistanceM);
      grid = new ClassGrid<T>(bucketMs, cellM);
      this.grids[slot] = grid;
    }
    return grid;
  }

  /** Rows and (wrapped) columns of `grid` whose cells can hold a centre within reach of `query`. */
  private box(grid: ClassGrid<T>, query: SpaceTimeItem): Box {
    const reach = query.radiusM + grid.maxRadiusM + this.config.maxEdgeDistanceM + QUERY_MARGIN_M;
    const theta = reach / EARTH_RADIUS_M; // angular reach, radians
    if (theta >= Math.PI) return { rowLo: 0, rowHi: grid.nLat - 1, colLo: 0, colCount: grid.nLon };
    // Great-circle distance is at least R·|Δlat|, so the latitude band is exact-safe.
    const latLo = query.lat - theta / RAD;
    const latHi = query.lat + theta / RAD;
    const rowLo = grid.row(latLo);
    const rowHi = grid.row(latHi);
    // hav(θ) ≥ cosφ1·cosφ2·hav(Δλ)  ⇒  sin(Δλ/2) ≤ sin(θ/2) / cos(φmax).
    const phiMax = Math.max(Math.abs(latLo), Math.abs(latHi));
    if (phiMax >= 90) return { rowLo, rowHi, colLo: 0, colCount: grid.nLon };
    const s = Math.sin(theta / 2) / Math.cos(phiMax * RAD);
    if (s >= 1) return { rowLo, rowHi, colLo: 0, colCount: grid.nLon };
    const dLon = (2 * Math.asin(s)) / RAD;
    const lon = normalizeLon(query.lon);
    const ixLo = Math.floor((lon - dLon + 180) / grid.cellDeg);
    const ixHi = Math.floor((lon + dLon + 180) / grid.cellDeg);
    const colCount = Math.min(grid.nLon, ixHi - ixLo + 1);
    return { rowLo, rowHi, colLo: ((ixLo % grid.nLon) + grid.nLon) % grid.nLon, colCount };
  }

  private scanBucket(grid: ClassGrid<T>, bucket: Bucket<T>, box: Box, visit: (value: T) => void): void {
    const rows = box.rowHi - box.rowLo + 1;
    const { nLon } = grid;
    if (bucket.size < rows * box.colCount) {
      for (const [key, cell] of bucket) {
        this.counters.cellsScanned += 1;
        const row = Math.floor(key / nLon);
        if (row < box.rowLo || row > box.rowHi) continue;
        let dc = key - row * nLon - box.colLo;
        if (dc < 0) dc += nLon;
        if (dc >= box.colCount) continue;
        this.visitCell(cell, visit);
      }
      return;
    }
    for (let row = box.rowLo; row <= box.rowHi; row++) {
      for (let i = 0; i < box.colCount; i++) {
        this.counters.cellsScanned += 1;
        const cell = bucket.get(row * nLon + ((box.colLo + i) % nLon));
        if (cell) this.visitCell(cell, visit);
      }
    }
  }

  private visitCell(cell: Cell<T>, visit: (value: T) => void): void {
    this.counters.candidatesVisited += cell.length;
    // Callers must not insert/remove during a query: the cell arrays are live.
    for (const value of cell) visit(value);
  }
}

interface Box {
  readonly rowLo: number;
  readonly rowHi: number;
  /** First column, already wrapped into [0, nLon). */
  readonly colLo: number;
  /** Number of consecutive (wrapping) columns, ≤ nLon. */
  readonly colCount: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Rejects geometry the index cannot bucket. Why: a NaN coordinate would land in no cell and the
 * item would silently never group.
 */
export function assertValidItem(item: SpaceTimeItem): void {
  const bad = (what: string): never => {
    throw new RangeError(`grouping: member ${item.id} has invalid ${what}`);
  };
  if (!Number.isFinite(item.startMs) || !Number.isFinite(item.endMs) || item.endMs < item.startMs) bad('window');
  if (!Number.isFinite(item.lon) || !Number.isFinite(item.lat) || item.lat < -90 || item.lat > 90) bad('position');
  if (!Number.isFinite(item.radiusM) || item.radiusM < 0) bad('radius');
}
