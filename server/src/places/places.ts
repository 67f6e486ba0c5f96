import type { Logger } from 'pino';
import type { Place, PlaceMatch } from '@truceline/shared';
import { Gazetteer } from './gazetteer.js';
import { loadGeonamesCities } from './geonames-cities.js';
import { mergeGazetteers } from './merge-gazetteers.js';
import { readMissionGazetteer } from './mission-gazetteer.js';
import { describePlace } from './place-text.js';
import type { Settlement } from './settlement.js';

/** What the ingest path needs: the place of a point, or `undefined` while there is no gazetteer. */
export type PlaceOf = (point: { lon: number; lat: number }) => Place | undefined;

// One parse of the 32 MB file per process and threshold: test files start many servers.
const defaultsByThreshold = new Map<number, Promise<Settlement[]>>();

function defaults(minPopulation: number): Promise<Settlement[]> {
  let loading = defaultsByThreshold.get(minPopulation);
  if (!loading) {
    loading = loadGeonamesCities(minPopulation);
    // A failed read is not cached: the next server may try again.
    loading.catch(() => defaultsByThreshold.delete(minPopulation));
    defaultsByThreshold.set(minPopulation, loading);
  }
  return loading;
}

/**
 * The server's gazetteer. A mission's CSVs are read (and a mistake in them refused) at once;
 * the default GeoNames list loads in the background, and `ready` resolves when both are merged
 * and indexed. The commit queue waits for it like for the incident index, so every report
 * stored from then on has its place.
 */
export class Places {
  private gazetteer: Gazetteer | undefined;
  readonly ready: Promise<void>;

  private constructor(mission: Settlement[], minPopulation: number, log: Logger) {
    const startedAt = Date.now();
    this.ready = defaults(minPopulation).then((loaded) => {
      this.gazetteer = new Gazetteer(mergeGazetteers(loaded, mission));
      log.info({ settlements: this.gazetteer.size, mission: mission.length, ms: Date.now() - startedAt }, 'gazetteer loaded');
    });
  }

  /** @throws ConfigError for a bad `DATA_DIR/gazetteer/*.csv` (file and line in the message). */
  static start(dataDir: string, minPopulation: number, log: Logger): Places {
    return new Places(readMissionGazetteer(dataDir), minPopulation, log);
  }

  /** The place of a point; `undefined` before `ready`. */
  readonly placeOf: PlaceOf = (point) => {
    const settlement = this.gazetteer?.nearest(point.lon, point.lat);
    return settlement ? describePlace(settlement, point) : undefined;
  };

  /** Name-prefix search (call after `ready`). */
  search(query: string, limit: number): PlaceMatch[] {
    return (this.gazetteer?.search(query, limit) ?? []).map((s) => ({
      name: s.name,
      admin1: s.admin1,
      countryCode: s.countryCode,
      lon: s.lon,
      lat: s.lat,
      population: s.population,
    }));
  }
}
