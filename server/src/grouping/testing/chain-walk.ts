import { EARTH_RADIUS_M } from '../earth.js';
import type { Member } from '../types.js';

const MIN = 60_000;
const deg = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * Test data: a walk of reports every 3–12 minutes, 200–700 m on from the last, its heading
 * drifting slowly, so that each links to the next and the chain runs past the incident limits in
 * time or space, crossing tile lines on the way.
 */
export function chainWalk(
  random: () => number,
  start: { lon: number; lat: number; startMs: number },
  steps: number,
  member: (i: number) => Pick<Member, 'id' | 'category' | 'reporterId'>,
): Member[] {
  let { lon, lat, startMs: t } = start;
  let heading = random() * 2 * Math.PI;
  const out: Member[] = [];
  for (let i = 0; i < steps; i++) {
    heading += (random() - 0.5) * 0.8;
    const step = 200 + random() * 500;
    lat += deg(step * Math.cos(heading));
    lon += deg(step * Math.sin(heading)) / Math.cos((lat * Math.PI) / 180);
    t += Math.floor((3 + random() * 9) * MIN);
    out.push({ ...member(i), startMs: t, endMs: t + Math.floor(random() * 5 * MIN), lon, lat, radiusM: random() * 300 });
  }
  return out;
}
