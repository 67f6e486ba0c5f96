import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.js';
import { parseMissionCsv, readMissionGazetteer } from './mission-gazetteer.js';

const HEADER = 'name,lat,lon,admin1,population\n';

describe('parseMissionCsv', () => {
  it('reads entries, with empty admin1 and population as null and quoted names with commas', () => {
    const entries = parseMissionCsv(`${HEADER}Stepove,48.19,37.70,Donetsk Oblast,120\n"Vodiane, Yasynuvata",48.12,37.71,,\n`, 'm.csv');
    expect(entries).toEqual([
      { name: 'Stepove', key: 'stepove', admin1: 'Donetsk Oblast', countryCode: null, lon: 37.7, lat: 48.19, population: 120, source: 'mission' },
      { name: 'Vodiane, Yasynuvata', key: 'vodiane, yasynuvata', admin1: null, countryCode: null, lon: 37.71, lat: 48.12, population: null, source: 'mission' },
    ]);
  });

  it('accepts a byte-order mark and a header in capitals', () => {
    expect(parseMissionCsv(`\uFEFFName,Lat,Lon,Admin1,Population\nA,1,2,,\n`, 'm.csv')).toHaveLength(1);
  });

  it.each([
    ['a wrong header', 'name,lon,lat,admin1,population\nA,1,2,,\n', 'm.csv:1: the header must be "name,lat,lon,admin1,population"'],
    ['a latitude out of range', `${HEADER}A,1,2,,\nB,91,2,,\n`, 'm.csv:3: lat must be a number in [-90, 90], got "91"'],
    ['a longitude that is not a number', `${HEADER}A,1,east,,\n`, 'm.csv:2: lon must be a number in [-180, 180], got "east"'],
    ['a missing column', `${HEADER}A,1,2,\n`, 'm.csv:2: expected 5 columns'],
    ['an empty name', `${HEADER},1,2,,\n`, 'm.csv:2: name is empty'],
    ['a fractional population', `${HEADER}A,1,2,,12.5\n`, 'm.csv:2: population must be a whole number or empty, got "12.5"'],
    ['an unclosed quote', `${HEADER}"A,1,2,,\n`, 'm.csv'],
  ])('refuses %s with the file and line', (_what, text, message) => {
    expect(() => parseMissionCsv(text, 'm.csv')).toThrow(ConfigError);
    expect(() => parseMissionCsv(text, 'm.csv')).toThrow(message);
  });
});

describe('readMissionGazetteer', () => {
  it('reads every .csv of DATA_DIR/gazetteer in name order, and nothing when the folder is absent', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'truceline-gazetteer-'));
    expect(readMissionGazetteer(dataDir)).toEqual([]);
    fs.mkdirSync(path.join(dataDir, 'gazetteer'));
    fs.writeFileSync(path.join(dataDir, 'gazetteer', 'b.csv'), `${HEADER}B,1,2,,\n`);
    fs.writeFileSync(path.join(dataDir, 'gazetteer', 'a.CSV'), `${HEADER}A,1,2,,\n`);
    fs.writeFileSync(path.join(dataDir, 'gazetteer', 'notes.txt'), 'not a gazetteer');
    expect(readMissionGazetteer(dataDir).map((e) => e.name)).toEqual(['A', 'B']);
  });
});
