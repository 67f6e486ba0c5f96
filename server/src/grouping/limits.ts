import { EARTH_RADIUS_M } from './earth.js';
import type { GroupingConfig } from './link.js';

/**
 * The incident limits as the index applies them to whole groups of reports (the link rule
 * applies them to pairs). A group is *within* the limits when its reports' observation starts
 * lie within `maxSpanMs` of each other and their locations fit in a box `maxExtentM` tall
 * (north–south) and `maxExtentM` wide (east–west, measured at the box's latitude nearest the
 * equator, where it is widest). Both measures only grow as reports are added, which is what lets
 * the index stop exploring a component as soon as it is over.
 *
 * A connected component over the limits (a chain) is cut along a fixed grid: epoch-aligned slots
 * of `maxSpanMs` in time and cells of `maxExtentM` × `maxExtentM` in space. Each piece then lies
 * in one slot and one cell, so it is within the limits by construction, and where a piece ends
 * depends only on the reports near it, never on where the chain began.
 */

const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;
/** Cells poleward of this latitude span the whole circle of longitude (no cos blow-up). */
const POLAR_CAP_DEG = 89;

export interface Placed {
  readonly startMs: number;
  readonly lon: number;
  readonly lat: number;
}

/** Whether `config` has any group limit (without one, components are incidents as they are). */
export function hasGroupLimits(config: GroupingConfig): boolean {
  return config.maxSpanMs !== undefined || config.maxExtentM !== undefined;
}

/** The grid tile a report is cut into when its component is over the limits. */
export function tileKey(member: Placed, config: GroupingConfig): string {
  const slot = config.maxSpanMs === undefined || config.maxSpanMs === 0 ? 0 : Math.floor(member.startMs / config.maxSpanMs);
  if (config.maxExtentM === undefined || config.maxExtentM === 0) return `${slot}`;
  const rowDeg = config.maxExtentM / METRES_PER_DEGREE;
  const row = Math.floor(member.lat / rowDeg);
  // Rows never straddle the equator (row 0 starts on it); a row's edge nearest the equator is
  // where its degree of longitude is longest, so columns sized there keep every cell <= the extent.
  const equatorward = Math.min(Math.abs(row * rowDeg), Math.abs((row + 1) * rowDeg), POLAR_CAP_DEG);
  const cos = Math.cos((equatorward * Math.PI) / 180);
  const colDeg = Math.min(360, rowDeg / cos);
  const col = Math.floor((member.lon + 180) / colDeg);
  return `${slot}:${row}:${col}`;
}

/** A running measure of a group against the limits; `add` returns false once it is over. */
export class LimitBox {
  private minStart = Infinity;
  private maxStart = -Infinity;
  private minLat = Infinity;
  private maxLat = -Infinity;
  /** Longitudes are kept relative to the first one, unwrapped, so a group across 180° measures right. */
  private refLon: number | undefined;
  private minDLon = Infinity;
  private maxDLon = -Infinity;

  constructor(private readonly config: GroupingConfig) {}

  add(member: Placed): boolean {
    this.minStart = Math.min(this.minStart, member.startMs);
    this.maxStart = Math.max(this.maxStart, member.startMs);
    this.minLat = Math.min(this.minLat, member.lat);
    this.maxLat = Math.max(this.maxLat, member.lat);
    this.refLon ??= member.lon;
    const dLon = wrapDeg(member.lon - this.refLon);
    this.minDLon = Math.min(this.minDLon, dLon);
    this.maxDLon = Math.max(this.maxDLon, dLon);
    return this.within;
  }

  /** Widens this box by everything `other` holds. */
  absorb(other: LimitBox): void {
    if (other.refLon === undefined) return;
    this.minStart = Math.min(this.minStart, other.minStart);
    this.maxStart = Math.max(this.maxStart, other.maxStart);
    this.minLat = Math.min(this.minLat, other.minLat);
    this.maxLat = Math.max(this.maxLat, other.maxLat);
    this.refLon ??= other.refLon;
    const shift = wrapDeg(other.refLon - this.refLon);
    this.minDLon = Math.min(this.minDLon, other.minDLon + shift);
    this.maxDLon = Math.max(this.maxDLon, other.maxDLon + shift);
  }

  get within(): boolean {
    const { maxSpanMs, maxExtentM } = this.config;
    if (maxSpanMs !== undefined && this.maxStart - this.minStart > maxSpanMs) return false;
    if (maxExtentM === undefined) return true;
    const limit = maxExtentM + 1e-6;
    if ((this.maxLat - this.minLat) * METRES_PER_DEGREE > limit) return false;
    const equatorward = this.minLat <= 0 && this.maxLat >= 0 ? 0 : Math.min(Math.abs(this.minLat), Math.abs(this.maxLat));
    const widest = (this.maxDLon - this.minDLon) * METRES_PER_DEGREE * Math.cos((equatorward * Math.PI) / 180);
    return widest <= limit;
  }
}

/** A difference of longitudes (both in [-180, 180)) the short way round, in [-180, 180). */
function wrapDeg(d: number): number {
  return d >= 180 ? d - 360 : d < -180 ? d + 360 : d;
}

/** True when every one of `members` together is within the limits. */
export function withinLimits(members: Iterable<Placed>, config: GroupingConfig): boolean {
  const box = new LimitBox(config);
  for (const m of members) if (!box.add(m)) return false;
  return true;
}
