import { describe, expect, it } from 'vitest';
import { loadGeonamesCities } from './geonames-cities.js';

describe('loadGeonamesCities (the bundled GeoNames file)', () => {
  it('keeps places of at least the threshold, with region names from the admin1 table', async () => {
    const cities = await loadGeonamesCities(1000);
    expect(cities.length).toBeGreaterThan(100_000);
    expect(cities.every((c) => c.population !== null && c.population >= 1000)).toBe(true);
    const avdiivka = cities.filter((c) => c.name === 'Avdiivka' && c.countryCode === 'UA');
    expect(avdiivka.map((c) => c.admin1).sort()).toEqual(['Chernihiv Oblast', 'Donetsk Oblast']);
    expect(cities.find((c) => c.name === 'Kraków')).toMatchObject({ countryCode: 'PL', admin1: 'Lesser Poland' });
    // Nearly every place's region is in the table (codes GeoNames gave after the table's release may be missing).
    expect(cities.filter((c) => c.admin1 === null).length).toBeLessThan(cities.length / 500);
    const big = await loadGeonamesCities(1_000_000);
    expect(big.length).toBeLessThan(1000);
    expect(big.some((c) => c.name === 'Kyiv')).toBe(true);
  });
});
