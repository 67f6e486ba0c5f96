/**
 * Bearing arithmetic shared by the sector geometry and the magnetic correction.
 *
 * All bearings are degrees clockwise from north. Keeping the modular arithmetic
 * in one place means "350° → 10°" is treated identically everywhere (20° wide,
 * centred on 0°) instead of each caller re-deriving the wrap-around rules.
 */

/**
 * Maps any finite angle to [0, 360).
 *
 * JavaScript's `%` keeps the sign of the dividend, so -10 % 360 is -10; bearings
 * coming from user input or from adding a (possibly negative) declination must be
 * folded back into one canonical range before they are compared, stored or sent.
 * Also turns -0 into 0 and leaves already-canonical values bit-identical, so
 * serialised values stay clean.
 */
export function normalizeDeg(d: number): number {
  // Only add 360 when needed: (x + 360) % 360 would turn 18.47 into 18.470000000000027.
  let r = d % 360;
  if (r < 0) r += 360;
  if (r >= 360) r -= 360; // tiny negatives round to exactly 360 when shifted
  return r === 0 ? 0 : r;
}

/**
 * Angular width of the sector swept clockwise from `fromDeg` to `toDeg`.
 *
 * A sector is defined by its clockwise sweep, not by the smaller of the two
 * possible arcs, so 10 → 350 is 340° wide while 350 → 10 is 20° wide. Equal
 * bounds mean a single bearing (width 0), never a full circle.
 */
export function sectorWidthDeg(fromDeg: number, toDeg: number): number {
  return normalizeDeg(toDeg - fromDeg);
}

/**
 * Bearing halfway along the clockwise sweep from `fromDeg` to `toDeg`.
 *
 * A plain average of the bounds is wrong for sectors that cross north
 * ((350 + 10) / 2 = 180 instead of 0); measuring half the clockwise width from
 * `fromDeg` is the definition the report contract uses for the located point.
 */
export function sectorCenterDeg(fromDeg: number, toDeg: number): number {
  return normalizeDeg(fromDeg + sectorWidthDeg(fromDeg, toDeg) / 2);
}
