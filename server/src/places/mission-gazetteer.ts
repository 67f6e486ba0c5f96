import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ConfigError } from '../config.js';
import { searchKey } from './search-key.js';
import type { Settlement } from './settlement.js';

/** The folder under DATA_DIR whose `*.csv` files extend the default gazetteer. */
export const MISSION_GAZETTEER_DIR = 'gazetteer';
export const MISSION_CSV_HEADER = ['name', 'lat', 'lon', 'admin1', 'population'] as const;

/**
 * A mission's own places: every `DATA_DIR/gazetteer/*.csv` (header `name,lat,lon,admin1,population`,
 * admin1 and population may be empty), files in name order. Read at start, before the port
 * opens: a mistake is a `ConfigError` naming the file and line (the process exits 2), because a
 * village silently missing from every report's place is worse than a server that says why it
 * will not start.
 */
export function readMissionGazetteer(dataDir: string): Settlement[] {
  const dir = path.join(dataDir, MISSION_GAZETTEER_DIR);
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.flatMap((f) => parseMissionCsv(fs.readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f)));
}

/** One mission CSV's settlements; `where` names the file in errors. */
export function parseMissionCsv(text: string, where: string): Settlement[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new ConfigError(`${where}${line ? `:${line}` : ''}: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) return [];
  if (header.record.map((h) => h.toLowerCase()).join(',') !== MISSION_CSV_HEADER.join(',')) {
    throw new ConfigError(`${where}:${header.info.lines}: the header must be "${MISSION_CSV_HEADER.join(',')}", got "${header.record.join(',')}"`);
  }
  return rows.map(({ record, info }) => {
    const at = `${where}:${info.lines}`;
    if (record.length !== MISSION_CSV_HEADER.length) {
      throw new ConfigError(`${at}: expected ${MISSION_CSV_HEADER.length} columns (${MISSION_CSV_HEADER.join(',')}), got ${record.length}`);
    }
    const [name, latText, lonText, admin1, populationText] = record as [string, string, string, string, string];
    if (name === '') throw new ConfigError(`${at}: name is empty`);
    const lat = Number(latText);
    const lon = Number(lonText);
    if (latText === '' || !Number.isFinite(lat) || lat < -90 || lat > 90) throw new ConfigError(`${at}: lat must be a number in [-90, 90], got "${latText}"`);
    if (lonText === '' || !Number.isFinite(lon) || lon < -180 || lon > 180) throw new ConfigError(`${at}: lon must be a number in [-180, 180], got "${lonText}"`);
    if (populationText !== '' && !/^\d+$/.test(populationText)) throw new ConfigError(`${at}: population must be a whole number or empty, got "${populationText}"`);
    return {
      name,
      key: searchKey(name),
      admin1: admin1 === '' ? null : admin1,
      countryCode: null,
      lon: lon === 180 ? -180 : lon,
      lat,
      population: populationText === '' ? null : Number(populationText),
      source: 'mission' as const,
    };
  });
}
