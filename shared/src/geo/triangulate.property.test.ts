import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../random/seeded-random.js';
import { destination } from '@turf/destination';
import { distance } from '@turf/distance';
import { type BearingSighting, triangulate } from './triangulate.js';


const rad = (d: number): number => (d * Math.PI) / 180;

/** Initial great-circle bearing from a to b (plain spherical formula, independent of the module). */
function bearing([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const y = Math.sin(rad(lon2 - lon1)) * Math.cos(rad(lat2));
  const x = Math.cos(rad(lat1)) * Math.sin(rad(lat2)) - Math.sin(rad(lat1)) * Math.cos(rad(lat2)) * Math.cos(rad(lon2 - lon1));
  return (Math.atan2(y, x) * 180) / Math.PI;
}

const wrapLon = (lon: number): number => ((((lon + 180) % 360) + 360) % 360) - 180;
const norm = (d: number): number => ((d % 360) + 360) % 360;

interface Scene {
  truth: [number, number];
  sightings: BearingSighting[];
}

/**
 * A random truth (anywhere from 75° S to 75° N, often beside the antimeridian) seen by 2–5
 * observers 0.3–30 km away, each with a distance guess that holds the true distance. With
 * `sectors`, each bearing is a sector of up to 40° that holds the true bearing somewhere inside.
 */
function scene(random: () => number, sectors: boolean): Scene {
  const lon = random() < 0.3 ? wrapLon(180 + (random() - 0.5) * 0.4) : (random() - 0.5) * 360;
  const truth: [number, number] = [lon, (random() - 0.5) * 150];
  const n = 2 + Math.floor(random() * 4);
  const sightings = Array.from({ length: n }, (_, i): BearingSighting => {
    const d = 300 + random() * 29_700;
    const [olon = NaN, olat = NaN] = destination(truth, d, random() * 360, { units: 'meters' }).geometry.coordinates;
    const observer: [number, number] = [wrapLon(olon), olat];
    const exact = norm(bearing(observer, truth));
    const trueDistance = distance(observer, truth, { units: 'meters' });
    const width = sectors ? random() * 40 : 0;
    const offset = random() * width;
    return {
      id: `r${i}`,
      observer: { lon: observer[0], lat: observer[1], accuracyM: 3 + random() * 60 },
      bearingTrue: { fromDeg: norm(exact - offset), toDeg: norm(exact - offset + width) },
      distanceM: { min: trueDistance * (0.05 + random() * 0.95), max: Math.min(50_000, trueDistance * (1 + random() * 3)) },
    };
  });
  return { truth, sightings };
}

describe('triangulate (property)', () => {
  it.each([
    ['exact single bearings', false, 0.9],
    ['sectors that hold the true bearing', true, 0.8],
  ] as const)('%s: the fix is within its stated uncertainty of the truth', (_name, sectors, minDefined) => {
    const random = seeded(sectors ? 20_261_201 : 10);
    const runs = 1000;
    let defined = 0;
    for (let run = 0; run < runs; run++) {
      const { truth, sightings } = scene(random, sectors);
      const fix = triangulate(sightings);
      if (!fix) continue;
      defined += 1;
      const off = distance(truth, [fix.location.lon, fix.location.lat], { units: 'meters' });
      if (off > fix.uncertaintyM) {
        throw new Error(`run ${run}: fix ${off.toFixed(1)} m from the truth, claims ${fix.uncertaintyM} m: ${JSON.stringify({ truth, sightings })}`);
      }
      // Every observer bears on the truth and its range holds it: none may be left out.
      if (!sectors) expect(fix.reportIds).toHaveLength(sightings.length);
    }
    // Most scenes have two observers far enough apart at a usable angle.
    expect(defined / runs).toBeGreaterThan(minDefined);
  });
});
