import { describe, expect, it } from 'vitest';
import { distance } from 'geokdbush';
import { Gazetteer } from './gazetteer.js';
import { mergeGazetteers } from './merge-gazetteers.js';
import { searchKey } from './search-key.js';
import type { Settlement } from './settlement.js';

function settlement(name: string, lon: number, lat: number, population: number | null = 1000, extra: Partial<Settlement> = {}): Settlement {
  return { name, key: searchKey(name), admin1: 'Region', countryCode: 'UA', lon, lat, population, source: 'geonames', ...extra };
}

/** A deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Gazetteer.nearest', () => {
  it('finds the same settlement as a scan of all of them, anywhere on the globe', () => {
    const next = random(7);
    const all = Array.from({ length: 2000 }, (_, i) => settlement(`s${i}`, next() * 360 - 180, next() * 170 - 85));
    const gazetteer = new Gazetteer(all);
    for (let q = 0; q < 500; q++) {
      const lon = next() * 360 - 180;
      const lat = next() * 170 - 85;
      let best = all[0] as Settlement;
      for (const s of all) if (distance(lon, lat, s.lon, s.lat) < distance(lon, lat, best.lon, best.lat)) best = s;
      expect(gazetteer.nearest(lon, lat)?.name).toBe(best.name);
    }
  });

  it('looks across the antimeridian', () => {
    const gazetteer = new Gazetteer([settlement('east', 179.9, 0), settlement('west far', -170, 0), settlement('inland', 170, 0)]);
    expect(gazetteer.nearest(-179.95, 0)?.name).toBe('east');
  });

  it('answers undefined from an empty gazetteer', () => {
    expect(new Gazetteer([]).nearest(0, 0)).toBeUndefined();
  });

  it('answers 10,000 lookups over 100,000 settlements within a second (microseconds each)', () => {
    const next = random(11);
    const gazetteer = new Gazetteer(Array.from({ length: 100_000 }, (_, i) => settlement(`s${i}`, next() * 360 - 180, next() * 170 - 85)));
    const started = performance.now();
    for (let q = 0; q < 10_000; q++) gazetteer.nearest(next() * 360 - 180, next() * 170 - 85);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('Gazetteer.search', () => {
  const gazetteer = new Gazetteer([
    settlement('Avdiivka', 37.74, 48.14, 35826),
    settlement('Avdiivka', 32.8, 51.78, 2012),
    settlement('Avdiivka-Small', 30, 50, 50_000),
    settlement('Mar’yinka', 37.5, 47.94, 9900),
    settlement('Kraków', 19.94, 50.06, 755_050),
    settlement('Hamlet', 30, 50, null),
    settlement('Hamletton', 30, 50, 10),
  ]);

  it('matches name prefixes ignoring case, accents and apostrophes, exact names first, then the most populous', () => {
    expect(gazetteer.search('avdi', 10).map((s) => [s.name, s.population])).toEqual([
      ['Avdiivka-Small', 50_000],
      ['Avdiivka', 35826],
      ['Avdiivka', 2012],
    ]);
    expect(gazetteer.search('AVDIIVKA', 10).map((s) => s.population)).toEqual([35826, 2012, 50_000]);
    expect(gazetteer.search('krako', 10).map((s) => s.name)).toEqual(['Kraków']);
    expect(gazetteer.search("mar'yi", 10).map((s) => s.name)).toEqual(['Mar’yinka']);
    expect(gazetteer.search('avdiivka small', 10).map((s) => s.name)).toEqual(['Avdiivka-Small']);
  });

  it('keeps to the limit, ranks an unknown population last, and finds nothing for no letters', () => {
    expect(gazetteer.search('a', 1).map((s) => s.name)).toEqual(['Avdiivka-Small']);
    expect(gazetteer.search('haml', 10).map((s) => s.name)).toEqual(['Hamletton', 'Hamlet']);
    expect(gazetteer.search('  ', 10)).toEqual([]);
    expect(gazetteer.search('zzz', 10)).toEqual([]);
  });
});

describe('mergeGazetteers', () => {
  const avdiivka = settlement('Avdiivka', 37.74255, 48.13989, 35826, { admin1: 'Donetsk Oblast' });
  const mission = (name: string, lon: number, lat: number, extra: Partial<Settlement> = {}): Settlement =>
    settlement(name, lon, lat, null, { admin1: null, countryCode: null, source: 'mission', ...extra });

  it('replaces a default entry of the same name within 1 km, keeping its region and country when the mission gives none', () => {
    const merged = mergeGazetteers([avdiivka], [mission('AVDIIVKA', 37.75, 48.14)]);
    expect(merged).toEqual([{ ...mission('AVDIIVKA', 37.75, 48.14), admin1: 'Donetsk Oblast', countryCode: 'UA' }]);
  });

  it('adds a same-named entry farther away, and any other name, with the nearest settlement’s country', () => {
    const merged = mergeGazetteers([avdiivka], [mission('Avdiivka', 37.9, 48.2), mission('Stepove', 37.7, 48.19, { admin1: 'Donetsk Oblast' })]);
    expect(merged.map((s) => [s.name, s.admin1, s.countryCode, s.source])).toEqual([
      ['Avdiivka', 'Donetsk Oblast', 'UA', 'geonames'],
      ['Avdiivka', null, 'UA', 'mission'],
      ['Stepove', 'Donetsk Oblast', 'UA', 'mission'],
    ]);
  });
});
