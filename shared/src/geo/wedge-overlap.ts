import type { PlanePoint } from './local-frame.js';

/** One sighting's region in a local plane: a cone from `apex` along `direction`, cut at `reachM`. */
export interface PlaneWedge {
  apex: PlanePoint;
  /** Unit vector of the centre line. */
  direction: PlanePoint;
  /** Half the opening angle, radians, below π/2. */
  halfAngle: number;
  /** How far from the apex the region reaches, m. */
  reachM: number;
}

/** Sides of the polygon that stands in for each wedge's outer arc (drawn outside it, so it contains the arc). */
const ARC_SIDES = 32;

/**
 * The region every wedge holds, as a convex polygon (its vertices), or `[]` when they share
 * none. Each wedge is the intersection of two half-planes (its sides) and a disk (its reach), so
 * the overlap is convex and clipping one half-plane at a time (Sutherland–Hodgman) is exact but
 * for the disks, which are replaced by circumscribed polygons: the result can only be larger
 * than the true overlap, which is the safe side for an uncertainty that must hold the event.
 */
export function wedgeOverlap(wedges: readonly PlaneWedge[]): PlanePoint[] {
  let polygon: PlanePoint[] | undefined;
  for (const w of wedges) {
    const r = w.reachM / Math.cos(Math.PI / ARC_SIDES);
    const start = Math.atan2(w.direction.y, w.direction.x);
    const disk: PlanePoint[] = [];
    for (let i = 0; i < ARC_SIDES; i++) {
      const a = start + (2 * Math.PI * i) / ARC_SIDES;
      disk.push({ x: w.apex.x + r * Math.cos(a), y: w.apex.y + r * Math.sin(a) });
    }
    polygon = polygon ? clipConvex(polygon, disk) : disk;
    // The cone's sides, each kept on the centre line's side: left edge rotated +h, right −h.
    const left = rotate(w.direction, w.halfAngle);
    const right = rotate(w.direction, -w.halfAngle);
    polygon = clipHalfPlane(polygon, w.apex, left, -1);
    polygon = clipHalfPlane(polygon, w.apex, right, 1);
    if (polygon.length === 0) return [];
  }
  return polygon ?? [];
}

function rotate(v: PlanePoint, angle: number): PlanePoint {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return { x: v.x * c - v.y * s, y: v.x * s + v.y * c };
}

/** Keeps the part of `polygon` where sign(cross(edge, p − origin)) is `side` (or on the line). */
function clipHalfPlane(polygon: readonly PlanePoint[], origin: PlanePoint, edge: PlanePoint, side: 1 | -1): PlanePoint[] {
  const value = (p: PlanePoint): number => side * (edge.x * (p.y - origin.y) - edge.y * (p.x - origin.x));
  const out: PlanePoint[] = [];
  polygon.forEach((current, i) => {
    const previous = polygon[(i + polygon.length - 1) % polygon.length] as PlanePoint;
    const vc = value(current);
    const vp = value(previous);
    if (vc >= 0) {
      if (vp < 0) out.push(cut(previous, current, vp, vc));
      out.push(current);
    } else if (vp >= 0) out.push(cut(previous, current, vp, vc));
  });
  return out;
}

/** Clips by every edge of a convex, counter-clockwise `clip` polygon. */
function clipConvex(polygon: readonly PlanePoint[], clip: readonly PlanePoint[]): PlanePoint[] {
  let out = [...polygon];
  clip.forEach((a, i) => {
    const b = clip[(i + 1) % clip.length] as PlanePoint;
    out = clipHalfPlane(out, a, { x: b.x - a.x, y: b.y - a.y }, 1);
  });
  return out;
}

function cut(a: PlanePoint, b: PlanePoint, va: number, vb: number): PlanePoint {
  const t = va / (va - vb);
  return { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
}
