import { type Report, sectorWidthDeg } from '@truceline/shared';

/**
 * What other monitors get instead of a bearing report's `uncertaintyM`: the stored value adds
 * the observer's GPS accuracy to the sector's extent, and with a single bearing at one distance
 * (extent 0) it *is* that accuracy, a per-device figure that groups reports by author. So the
 * redacted radius is a function of the sector alone: its extent on a plane (the stored value is
 * spherical; within 50 km they differ by centimetres) plus a fixed allowance standing in for
 * any phone's fix, rounded up to 10 m. Two reports that differ only in the observer's accuracy
 * get the same value, by construction.
 */
export const OBSERVER_ALLOWANCE_M = 50;
const STEP_M = 10;

/** Largest distance from the sector's centre point (mid bearing, mid distance) to its outline. */
export function sectorExtentM(widthDeg: number, min: number, max: number): number {
  const half = ((widthDeg / 2) * Math.PI) / 180;
  const mid = (min + max) / 2;
  // On a plane the outline's farthest points are its corners: a point at range r and angle φ
  // from the centre line lies sqrt(mid² + r² − 2·mid·r·cos φ) away, growing with |φ|.
  const corner = (r: number) => Math.sqrt(Math.max(0, mid * mid + r * r - 2 * mid * r * Math.cos(half)));
  return Math.max(corner(min), corner(max));
}

/** `report.uncertaintyM` as other monitors may see it. */
export function redactedUncertaintyM(report: Report): number {
  // A direct location's uncertainty is its own `location.accuracyM`, which monitors see anyway.
  if (report.locationMethod !== 'bearing') return report.uncertaintyM;
  const { bearingTrue, distanceM } = report;
  const extent = bearingTrue && distanceM ? sectorExtentM(sectorWidthDeg(bearingTrue.fromDeg, bearingTrue.toDeg), distanceM.min, distanceM.max) : 0;
  return Math.ceil((extent + OBSERVER_ALLOWANCE_M) / STEP_M - 1e-9) * STEP_M;
}
