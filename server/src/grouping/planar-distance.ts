import type { PlanePoint as PlanarPoint } from '@truceline/shared';

/**
 * Distances between planar shapes given as vertex lists: one vertex is a point, two are a
 * segment, three or more are a closed polygon (the last vertex joins the first) whose inside
 * counts as part of the shape. Pure and symmetric in its two arguments up to floating point.
 */
export type PlanarShape = readonly PlanarPoint[];

function pointSegmentDistance(p: PlanarPoint, a: PlanarPoint, b: PlanarPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function cross(o: PlanarPoint, a: PlanarPoint, b: PlanarPoint): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

function segmentsCross(a: PlanarPoint, b: PlanarPoint, c: PlanarPoint, d: PlanarPoint): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  // Proper crossings only; touching and collinear overlaps give a point distance of 0 anyway.
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Distance between two segments; 0 when they cross or touch. */
export function segmentDistance(a: PlanarPoint, b: PlanarPoint, c: PlanarPoint, d: PlanarPoint): number {
  if (segmentsCross(a, b, c, d)) return 0;
  return Math.min(pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d), pointSegmentDistance(c, a, b), pointSegmentDistance(d, a, b));
}

/** Even-odd ray casting; the ring is implicitly closed. Works for the non-convex annular sector. */
export function pointInPolygon(p: PlanarPoint, ring: PlanarShape): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as PlanarPoint;
    const b = ring[j] as PlanarPoint;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** The shape's edges: none for a point (its vertex stands in as a zero-length edge), one for a segment, n for a polygon. */
function edges(shape: PlanarShape): [PlanarPoint, PlanarPoint][] {
  const first = shape[0];
  if (!first) throw new Error('planar shape without vertices');
  if (shape.length === 1) return [[first, first]];
  if (shape.length === 2) return [[first, shape[1] as PlanarPoint]];
  return shape.map((p, i) => [p, shape[(i + 1) % shape.length] as PlanarPoint]);
}

/**
 * Smallest distance between two shapes (see {@link PlanarShape}): 0 when they intersect or one
 * contains the other, otherwise the minimum over pairs of edges.
 */
export function shapeDistance(a: PlanarShape, b: PlanarShape): number {
  const first = (s: PlanarShape): PlanarPoint => s[0] as PlanarPoint;
  if (a.length >= 3 && pointInPolygon(first(b), a)) return 0;
  if (b.length >= 3 && pointInPolygon(first(a), b)) return 0;
  let best = Number.POSITIVE_INFINITY;
  const eb = edges(b);
  for (const [p, q] of edges(a)) {
    for (const [r, s] of eb) {
      const d = segmentDistance(p, q, r, s);
      if (d < best) {
        best = d;
        if (best === 0) return 0;
      }
    }
  }
  return best;
}
