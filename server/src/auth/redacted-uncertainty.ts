import { type Report, sectorWidthDeg } from '@truceline/shared';

/**
 * What other monitors get instead of a bearing report's `uncertaintyM`: the stored value adds
 * the observer's GPS accuracy to the sector's extent, and with a single bearing at one distance
 * (extent 0) it *is* that accuracy, a per-device figure that groups reports by author. So the
 * redacted radius is the sector's extent on a plane (the stored value is spherical; within
 * 50 km they differ by centimetres) plus the accuracy rounded UP to a coarse step
 * ({@link coarseUpM}: 100 m, 250, 500, 1 km, 2.5, 5, …), rounded up to 10 m. It never claims
 * less than the stored radius (the event still lies inside it), and it tells only the step:
 * every phone fix up to 100 m, nearly all of them, looks the same.
 */
const STEP_M = 10;
/** The coarse steps (a 1–2.5–5 series), in metres; larger values go up in whole 100 km. */
const COARSE_STEPS_M = [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000] as const;

/** `metres` rounded up to the next coarse step: what a redacted figure may reveal of a private one. */
export function coarseUpM(metres: number): number {
  for (const step of COARSE_STEPS_M) if (metres <= step) return step;
  return Math.ceil(metres / 100_000) * 100_000;
}

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
  // The plane's extent may fall short of the sphere's by centimetres: a metre of slack covers it.
  const redacted = Math.ceil((extent + 1 + coarseUpM(report.observer?.accuracyM ?? 0)) / STEP_M - 1e-9) * STEP_M;
  return Math.max(redacted, Math.ceil(report.uncertaintyM / STEP_M) * STEP_M);
}
