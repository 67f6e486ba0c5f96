import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import {
  type Category,
  type CountUnit,
  type Incident,
  type IncidentListResponse,
  type IncidentState,
  type Report,
  type ReportInputDraft,
  SummaryResponse,
  type Weapon,
  isMergedIncident,
} from '@truceline/shared';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect } from '../support/sockets.js';
import { makeBearingReport, makeReport } from '../support/reports.js';
import { angleDiff, destination, distanceM, initialBearingDeg } from '../support/geo.js';

/**
 * Issue 10 §5: a night replayed. Five monitors report eight true events from where they stood,
 * some from several places; two monitors correct a report, and the next morning a coordinator
 * rejects four reports (one of them a correction). Everything expected — the incidents, where the fixes must be, the place
 * texts, the summary for two cut-offs — is worked out here from the table of true events below
 * with the rules the README states, never from the server's own code.
 */

const TIMEZONE = 'Europe/Kyiv';
/** Kyiv keeps EET (UTC+02:00) from the last Sunday of October to the last of March: the whole night. */
const KYIV_OFFSET = '+02:00';
const KYIV_OFFSET_MS = 2 * 3_600_000;

/** Settlements of 1,000+ as GeoNames (cities500) places them; each is the nearest one to its events. */
const TOWNS = {
  avdiivka: { name: 'Avdiivka', admin1: 'Donetsk Oblast', lon: 37.74255, lat: 48.13989 },
  toretsk: { name: 'Toretsk', admin1: 'Donetsk Oblast', lon: 37.8478, lat: 48.39477 },
  kramatorsk: { name: 'Kramatorsk', admin1: 'Donetsk Oblast', lon: 37.58793, lat: 48.73049 },
  horlivka: { name: 'Horlivka', admin1: 'Donetsk Oblast', lon: 38.05325, lat: 48.33576 },
  kostiantynivka: { name: 'Kostiantynivka', admin1: 'Donetsk Oblast', lon: 37.7069, lat: 48.5277 },
  bakhmut: { name: 'Bakhmut', admin1: 'Donetsk Oblast', lon: 37.99983, lat: 48.59441 },
  druzhkivka: { name: 'Druzhkivka', admin1: 'Donetsk Oblast', lon: 37.52704, lat: 48.61897 },
  pokrovsk: { name: 'Pokrovsk', admin1: 'Donetsk Oblast', lon: 37.17585, lat: 48.28198 },
} as const;
type Town = (typeof TOWNS)[keyof typeof TOWNS];

const MONITORS = ['m1', 'm2', 'm3', 'm4', 'm5'] as const;
type MonitorName = (typeof MONITORS)[number];

/** What one monitor filed about one event. */
interface Sighting {
  by: MonitorName;
  /** Local time in Kyiv, `DD HH:MM` in November 2026. */
  at: string;
  category: Category;
  /** A location put on the map near the event: `metres` off the truth towards `offsetDeg`. */
  direct?: { offsetDeg: number; metres: number; accuracyM: number };
  /**
   * A bearing taken from an observer `metres` from the truth (towards `fromTruthDeg`), off by
   * `errorDeg` (a compass in the dark), with a distance guessed from the sound's delay; a
   * sector `sectorDeg` wide around it when the monitor could only say "between … and …".
   */
  bearing?: { fromTruthDeg: number; metres: number; errorDeg: number; sectorDeg?: number };
  count?: number;
  countUnit?: CountUnit;
  casualties?: { killed: number; injured: number };
  weapon?: Weapon;
  /** The coordinator rejects this report the next morning, with this note. */
  rejected?: string;
  /**
   * The same monitor files a correction that supersedes this report (its fields replace these),
   * which the coordinator may reject in turn.
   */
  correction?: Pick<Sighting, 'count' | 'casualties' | 'rejected'> & { at?: string };
}

interface TrueEvent {
  key: string;
  town: Town;
  /** Where it happened: `metres` from the town's centre, towards `bearingDeg`. */
  fromTown: { bearingDeg: number; metres: number };
  sightings: Sighting[];
}

/**
 * The night of Friday 27 to Saturday 28 November 2026. Events close in time are more than 15 km
 * apart; within an event reports are minutes apart, direct ones within a few hundred metres,
 * bearings taken 2–4 km away.
 */
const NIGHT: TrueEvent[] = [
  {
    // Triangulated from three checkpoints; one monitor files it as shelling, two as explosions.
    key: 'avdiivka',
    town: TOWNS.avdiivka,
    fromTown: { bearingDeg: 40, metres: 3200 },
    sightings: [
      { by: 'm1', at: '27 18:40', category: 'shelling', bearing: { fromTruthDeg: 200, metres: 2600, errorDeg: 1.5 }, count: 40, weapon: 'artillery' },
      { by: 'm2', at: '27 18:41', category: 'explosion', bearing: { fromTruthDeg: 300, metres: 3100, errorDeg: -1 }, count: 40 },
      { by: 'm3', at: '27 18:42', category: 'explosion', bearing: { fromTruthDeg: 80, metres: 2200, errorDeg: 0.5 }, count: 35 },
    ],
  },
  {
    // First observed at 19:26, a second report at 19:33: across the 19:30 cut-off, counted before it.
    // 12 bursts and 3 grenades: 12 violations, 3 explosions.
    key: 'toretsk',
    town: TOWNS.toretsk,
    fromTown: { bearingDeg: 10, metres: 2400 },
    sightings: [
      { by: 'm4', at: '27 19:26', category: 'small_arms_fire', direct: { offsetDeg: 90, metres: 120, accuracyM: 300 }, count: 12, countUnit: 'bursts' },
      { by: 'm5', at: '27 19:33', category: 'armed_clash', direct: { offsetDeg: 250, metres: 150, accuracyM: 300 }, count: 3, weapon: 'grenade_launcher' },
    ],
  },
  {
    // The 19:24 report is rejected: the incident is first observed at 19:35, after the cut-off.
    // m3 raises 5 to 9 in a correction that is rejected too: m3's report stays withdrawn all the same.
    key: 'kramatorsk',
    town: TOWNS.kramatorsk,
    fromTown: { bearingDeg: 100, metres: 2700 },
    sightings: [
      {
        by: 'm1', at: '27 19:24', category: 'explosion', direct: { offsetDeg: 0, metres: 200, accuracyM: 500 }, count: 100, casualties: { killed: 3, injured: 4 },
        rejected: 'Outgoing fire from the next village, heard before the impacts; not this event.',
      },
      { by: 'm2', at: '27 19:35', category: 'explosion', direct: { offsetDeg: 180, metres: 100, accuracyM: 200 }, count: 6, weapon: 'mortar' },
      {
        by: 'm3', at: '27 19:38', category: 'explosion', direct: { offsetDeg: 300, metres: 80, accuracyM: 150 }, count: 5, casualties: { killed: 0, injured: 1 },
        correction: { count: 9, rejected: 'Nine is the day total of the sector, not this event.' },
      },
    ],
  },
  {
    // Two bearings crossing at ~90°; both monitors saw the one killed, one saw two injured: 1 and 2, not 2 and 3.
    key: 'horlivka',
    town: TOWNS.horlivka,
    fromTown: { bearingDeg: 270, metres: 3200 },
    sightings: [
      { by: 'm4', at: '27 21:15', category: 'explosion', bearing: { fromTruthDeg: 150, metres: 2800, errorDeg: -1.5 }, count: 1, casualties: { killed: 1, injured: 2 } },
      { by: 'm5', at: '27 21:17', category: 'explosion', bearing: { fromTruthDeg: 240, metres: 3300, errorDeg: 1 }, count: 2, casualties: { killed: 1, injured: 1 } },
    ],
  },
  {
    // In the town (under 1 km). m1's phone clock was wrong: m1 first files 8 explosions and 2 killed
    // at 23:58 the day before, then corrects to 01:30, 3 explosions and none killed.
    key: 'kostiantynivka',
    town: TOWNS.kostiantynivka,
    fromTown: { bearingDeg: 160, metres: 400 },
    sightings: [
      {
        by: 'm1', at: '27 23:58', category: 'explosion', direct: { offsetDeg: 45, metres: 30, accuracyM: 20 }, count: 8, casualties: { killed: 2, injured: 0 },
        correction: { at: '28 01:30', count: 3 },
      },
      { by: 'm2', at: '28 01:34', category: 'explosion', direct: { offsetDeg: 200, metres: 60, accuracyM: 30 }, count: 2 },
    ],
  },
  {
    // A false alarm: its only report is rejected, so there is no incident.
    key: 'bakhmut',
    town: TOWNS.bakhmut,
    fromTown: { bearingDeg: 80, metres: 2000 },
    sightings: [
      { by: 'm3', at: '28 03:50', category: 'explosion', direct: { offsetDeg: 0, metres: 0, accuracyM: 500 }, count: 1, rejected: 'Thunder: a storm front passed over Bakhmut at 03:45.' },
    ],
  },
  {
    // By day: four tanks seen in a yard. Items, not explosions: four violations, no explosions.
    key: 'druzhkivka',
    town: TOWNS.druzhkivka,
    fromTown: { bearingDeg: 190, metres: 1800 },
    sightings: [
      { by: 'm5', at: '28 11:20', category: 'heavy_weapons', direct: { offsetDeg: 0, metres: 0, accuracyM: 25 }, count: 4, countUnit: 'items', weapon: 'tank' },
    ],
  },
  {
    // After the next 19:30 cut-off. Three bearings, one a 10° sector; the one that claims 60 is
    // rejected, the other two still cross.
    key: 'pokrovsk',
    town: TOWNS.pokrovsk,
    fromTown: { bearingDeg: 190, metres: 3600 },
    sightings: [
      { by: 'm2', at: '28 20:05', category: 'shelling', bearing: { fromTruthDeg: 20, metres: 2500, errorDeg: 1 }, count: 10 },
      { by: 'm3', at: '28 20:06', category: 'shelling', bearing: { fromTruthDeg: 110, metres: 3000, errorDeg: -0.5, sectorDeg: 10 }, count: 12, weapon: 'mlrs' },
      {
        by: 'm1', at: '28 20:08', category: 'shelling', bearing: { fromTruthDeg: 230, metres: 2100, errorDeg: 2 }, count: 60,
        rejected: 'Counted the outgoing salvos too; the other two monitors heard 10–12 impacts.',
      },
    ],
  },
];

/** `DD HH:MM` (Kyiv, November 2026) as RFC 3339 with Kyiv's offset, the way a phone there sends it. */
function localTime(at: string): string {
  const [day, hhmm] = at.split(' ');
  return `2026-11-${day}T${hhmm}:00${KYIV_OFFSET}`;
}

const truthOf = (event: TrueEvent) => destination(event.town, event.fromTown.bearingDeg, event.fromTown.metres);

/** One report as filed: the body sent, and whether it counts once the night is reviewed. */
interface Filed {
  event: TrueEvent;
  sighting: Sighting;
  body: ReportInputDraft;
  /** A report that counts: not rejected, and not superseded by a correction. */
  counts: boolean;
}

/** The reports the table makes, in the order they are filed; a correction right after its original. */
function reportsOfTheNight(): Filed[] {
  const filed: Filed[] = [];
  for (const event of NIGHT) {
    const truth = truthOf(event);
    for (const s of event.sightings) {
      const fields = {
        category: s.category,
        observedAt: localTime(s.at),
        method: s.bearing ? ('heard' as const) : ('seen' as const),
        ...(s.count !== undefined && { count: s.count }),
        ...(s.countUnit && { countUnit: s.countUnit }),
        ...(s.casualties && { casualties: s.casualties }),
        ...(s.weapon && { weapon: s.weapon }),
      };
      let body: ReportInputDraft;
      if (s.bearing) {
        const observer = destination(truth, s.bearing.fromTruthDeg, s.bearing.metres);
        const towards = initialBearingDeg(observer, truth) + s.bearing.errorDeg;
        const half = (s.bearing.sectorDeg ?? 0) / 2;
        const compass = (d: number) => Math.round((((d % 360) + 360) % 360) * 10) / 10;
        body = makeBearingReport({
          ...fields,
          observer: { ...observer, accuracyM: 10 },
          bearing: { fromDeg: compass(towards - half), toDeg: compass(towards + half), reference: 'true' },
          distanceM: { min: Math.round(s.bearing.metres * 0.7), max: Math.round(s.bearing.metres * 1.4) },
        });
      } else if (s.direct) {
        const at = destination(truth, s.direct.offsetDeg, s.direct.metres);
        body = makeReport({ ...fields, location: { ...at, accuracyM: s.direct.accuracyM, source: 'map' } });
      } else {
        throw new Error(`a sighting of ${event.key} has neither a location nor a bearing`);
      }
      // A corrected report stays out even when its correction is rejected: the monitor withdrew it.
      filed.push({ event, sighting: s, body, counts: !s.rejected && !s.correction });
      if (s.correction) {
        const { rejected, at, ...fix } = s.correction;
        const { id: _id, count: _count, casualties: _casualties, ...same } = body;
        const correction: ReportInputDraft = { ...same, id: uuidv7(), ...fix, ...(at && { observedAt: localTime(at) }), supersedes: body.id };
        filed.push({ event, sighting: { ...s, ...fix, at: at ?? s.at, rejected, correction: undefined }, body: correction, counts: !rejected });
      }
    }
  }
  return filed;
}

/** What the counting rules of the README give for one event, or undefined when none of its reports counts. */
function expectedIncident(event: TrueEvent, filed: readonly Filed[]) {
  const counted = filed.filter((f) => f.event === event && f.counts);
  if (counted.length === 0) return undefined;
  const max = (values: (number | undefined)[]): number | undefined => {
    const given = values.filter((v): v is number => v !== undefined);
    return given.length > 0 ? Math.max(...given) : undefined;
  };
  return {
    ids: counted.map((f) => f.body.id),
    // An incident counts once, in the period of its first observation among its counted reports.
    firstObservedMs: Math.min(...counted.map((f) => Date.parse(f.body.observedAt))),
    // Several monitors hearing the same 40 explosions report 40: the largest count, 1 without any.
    violations: max(counted.map((f) => f.body.count)) ?? 1,
    // The same, over the counts whose unit is explosions (the default unit).
    explosions: max(counted.map((f) => ((f.body.countUnit ?? 'explosions') === 'explosions' ? f.body.count : undefined))) ?? 0,
    // The largest figure any report gives, never the sum.
    killed: max(counted.map((f) => f.body.casualties?.killed)) ?? 0,
    injured: max(counted.map((f) => f.body.casualties?.injured)) ?? 0,
    reports: counted.length,
    categories: [...new Set(counted.map((f) => f.body.category))],
    weapons: [...new Set(counted.flatMap((f) => (f.body.weapon ? [f.body.weapon] : [])))],
    // Bearings from two or more places and no direct location: the table's events triangulate.
    triangulated: counted.filter((f) => f.sighting.bearing).length >= 2 && counted.every((f) => f.sighting.bearing),
    bearingIds: counted.filter((f) => f.sighting.bearing).map((f) => f.body.id),
  };
}
type Expected = NonNullable<ReturnType<typeof expectedIncident>>;

/** The start (UTC ms) of the Kyiv day that begins at `cutoff` on November `day`, 2026. */
function cutoffStart(day: number, cutoff: string): number {
  const [hh, mm] = cutoff.split(':').map(Number) as [number, number];
  return Date.UTC(2026, 10, day, hh, mm) - KYIV_OFFSET_MS;
}

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

/** "3.2 km NE of Town (Oblast)" from the town to `point`, or "in Town (Oblast)" under 1 km; km from whole metres. */
function placeText(town: Town, point: { lon: number; lat: number }): string {
  const metres = Math.round(distanceM(town, point));
  const where = `${town.name} (${town.admin1})`;
  if (metres < 1000) return `in ${where}`;
  const direction = COMPASS[Math.floor(((initialBearingDeg(town, point) + 22.5) % 360) / 45)];
  return `${(Math.round(metres / 100) / 10).toFixed(1)} km ${direction} of ${where}`;
}

function expectPlace(place: Report['place'], town: Town, point: { lon: number; lat: number }, what: string): void {
  expect(place, what).toBeDefined();
  expect(place, what).toMatchObject({ name: town.name, admin1: town.admin1, countryCode: 'UA', text: placeText(town, point) });
  expect(Math.abs(place!.distanceM - distanceM(town, point)), what).toBeLessThanOrEqual(1);
  if (place!.distanceM > 0) expect(angleDiff(place!.bearingDeg, initialBearingDeg(town, point)), what).toBeLessThanOrEqual(0.1);
}

describe('a night replayed: five monitors, eight true events, two corrections and four rejections', () => {
  let server: TestServer;
  let monitors: Record<MonitorName, Account>;
  let coordinator: Account;
  let watcher: ClientSocket;
  let live: ReturnType<typeof collect<'incident:updated'>>;
  const filed = reportsOfTheNight();
  const expected = new Map<TrueEvent, Expected>();
  for (const event of NIGHT) {
    const e = expectedIncident(event, filed);
    if (e) expected.set(event, e);
  }

  const listIncidents = async (): Promise<IncidentState[]> => {
    const res = await api<IncidentListResponse>(server.url, 'GET', '/api/incidents', { token: coordinator.token });
    expect(res.status).toBe(200);
    return res.body.incidents.filter((i): i is IncidentState => !isMergedIncident(i));
  };
  const incidentOf = (incidents: IncidentState[], e: Expected): IncidentState | undefined =>
    incidents.find((i) => i.reportIds.some((id) => e.ids.includes(id)));

  beforeAll(async () => {
    server = await startServer({ env: { MISSION_TIMEZONE: TIMEZONE } });
    const accounts = await createUsers(server, ['monitor', 'monitor', 'monitor', 'monitor', 'monitor', 'coordinator'] as const);
    monitors = Object.fromEntries(MONITORS.map((name, i) => [name, accounts[i]!])) as Record<MonitorName, Account>;
    coordinator = accounts[5];
    // The coordination cell watches the night live from the start.
    watcher = (await connect(server.url, coordinator.token, (s) => (live = collect(s, 'incident:updated')))).socket;

    for (const f of filed) {
      const res = await api<{ report: Report }>(server.url, 'POST', '/api/reports', { token: monitors[f.sighting.by].token, body: f.body });
      expect(res.status, `${f.event.key} ${f.sighting.by} ${f.sighting.at}: ${JSON.stringify(res.body)}`).toBe(201);
    }
    // The next morning the coordinator reviews the night.
    for (const f of filed.filter((x) => x.sighting.rejected)) {
      const res = await api(server.url, 'PATCH', `/api/reports/${f.body.id}`, { token: coordinator.token, body: { status: 'rejected', note: f.sighting.rejected } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });
  afterAll(async () => {
    watcher?.close();
    await server?.close();
  });

  it('makes one incident of each event that has a counted report, the same in the list and live', async () => {
    const incidents = await listIncidents();
    expect(incidents).toHaveLength(expected.size);
    for (const [event, e] of expected) {
      const incident = incidentOf(incidents, e);
      expect(incident, event.key).toBeDefined();
      expect(new Set(incident!.reportIds), event.key).toEqual(new Set(e.ids));
      expect(incident, event.key).toMatchObject({ reportCount: e.reports, firstObservedAt: new Date(e.firstObservedMs).toISOString() });
      expect(new Set(incident!.categories), event.key).toEqual(new Set(e.categories));
    }
    // Rejected and superseded reports belong to no incident; the others to their event's.
    for (const f of filed) {
      const { report } = (await api<{ report: Report }>(server.url, 'GET', `/api/reports/${f.body.id}`, { token: coordinator.token })).body;
      if (f.counts) expect(report.incidentId, `${f.event.key} ${f.sighting.at}`).toBe(incidentOf(incidents, expected.get(f.event)!)!.id);
      else expect(report.incidentId, `${f.event.key} ${f.sighting.at}`).toBeNull();
    }

    // What the coordinator's map holds: the latest state of each incident received, tombstones and emptied ones dropped.
    const onTheMap = (): IncidentState[] => {
      const latest = new Map<string, Incident>();
      for (const i of live.seen) if ((latest.get(i.id)?.seq ?? -1) < i.seq) latest.set(i.id, i);
      return [...latest.values()].filter((i): i is IncidentState => !isMergedIncident(i) && i.reportCount > 0).sort((a, b) => a.seq - b.seq);
    };
    await vi.waitFor(() => expect(onTheMap()).toEqual([...incidents].sort((a, b) => a.seq - b.seq)), { timeout: 5_000, interval: 50 });
    expect(onTheMap()).toHaveLength(expected.size);
  });

  it('places each triangulated fix within its stated uncertainty of where the event really was', async () => {
    const incidents = await listIncidents();
    const triangulated = [...expected].filter(([, e]) => e.triangulated);
    expect(triangulated.map(([event]) => event.key)).toEqual(['avdiivka', 'horlivka', 'pokrovsk']);
    for (const [event, e] of expected) {
      const incident = incidentOf(incidents, e)!;
      if (!e.triangulated) {
        expect(incident.locationMethod, event.key).toBe('centroid');
        continue;
      }
      expect(incident.locationMethod, event.key).toBe('triangulated');
      expect(new Set(incident.triangulation?.reportIds), event.key).toEqual(new Set(e.bearingIds));
      const off = distanceM(incident.location, truthOf(event));
      expect(off, `${event.key}: ${Math.round(off)} m off, claims ${incident.uncertaintyM} m`).toBeLessThan(incident.uncertaintyM);
      // The crossing is worth more than any one bearing's guess along its line.
      const own = await Promise.all(
        e.bearingIds.map(async (id) => (await api<{ report: Report }>(server.url, 'GET', `/api/reports/${id}`, { token: coordinator.token })).body.report.uncertaintyM),
      );
      expect(incident.uncertaintyM, event.key).toBeLessThan(Math.min(...own));
    }
  });

  it('describes every report and incident as "x.x km DIR of Town (Oblast)", or "in Town (Oblast)" under 1 km', async () => {
    for (const f of filed) {
      const { report } = (await api<{ report: Report }>(server.url, 'GET', `/api/reports/${f.body.id}`, { token: coordinator.token })).body;
      // A direct report is where the monitor put it; a bearing report where the server derived it along the bearing.
      if (f.body.location) expect(report.location).toMatchObject({ lon: f.body.location.lon, lat: f.body.location.lat });
      expectPlace(report.place, f.event.town, report.location, `report ${f.event.key} ${f.sighting.by} ${f.sighting.at}`);
    }
    const incidents = await listIncidents();
    for (const [event, e] of expected) {
      const incident = incidentOf(incidents, e)!;
      expectPlace(incident.place, event.town, incident.location, `incident ${event.key}`);
    }
    // The event in Kostiantynivka's streets reads as "in", the others as distances.
    expect(incidentOf(incidents, expected.get(NIGHT.find((n) => n.key === 'kostiantynivka')!)!)!.place?.text).toBe('in Kostiantynivka (Donetsk Oblast)');
  });

  /** The figures of some incidents, added up as the README says a period's are. */
  function countsOf(incidents: readonly Expected[]) {
    const sum = (pick: (e: Expected) => number) => incidents.reduce((n, e) => n + pick(e), 0);
    // Incidents per category and weapon: one with two categories counts once in each.
    const tally = (pick: (e: Expected) => string[]) => {
      const out: Record<string, number> = {};
      for (const e of incidents) for (const key of pick(e)) out[key] = (out[key] ?? 0) + 1;
      return out;
    };
    return {
      incidents: incidents.length,
      violations: sum((e) => e.violations),
      explosions: sum((e) => e.explosions),
      killed: sum((e) => e.killed),
      injured: sum((e) => e.injured),
      reports: sum((e) => e.reports),
      byCategory: tally((e) => e.categories),
      byWeapon: tally((e) => e.weapons),
    };
  }

  /**
   * The days from `cutoff` on November `from` to `to` (each to the next cut-off), and the events
   * first observed in each, of those that `matches` keeps.
   */
  function days(cutoff: string, from: number, to: number, matches: (e: Expected) => boolean = () => true) {
    const out: { start: number; end: number; events: TrueEvent[] }[] = [];
    for (let d = from; d <= to; d++) {
      const [start, end] = [cutoffStart(d, cutoff), cutoffStart(d + 1, cutoff)];
      const events = [...expected].filter(([, e]) => matches(e) && e.firstObservedMs >= start && e.firstObservedMs < end);
      out.push({ start, end, events: events.map(([event]) => event) });
    }
    return out;
  }
  const CUTOFFS = [
    // Midnight to midnight: the 27th holds the evening's four incidents, the 28th the rest.
    { cutoff: '00:00', from: 27, to: 28 },
    // "From 19:30 to 19:30": the evening splits at the cut-off, the last event opens a third day.
    { cutoff: '19:30', from: 26, to: 28 },
  ];

  const summaryOfDays = async (periods: ReturnType<typeof days>, query: string) => {
    const since = new Date(periods[0]!.start).toISOString();
    const until = new Date(periods[periods.length - 1]!.end).toISOString();
    const res = await api(server.url, 'GET', `/api/summary?since=${since}&until=${until}&period=day&${query}`, { token: coordinator.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return SummaryResponse.parse(res.body);
  };
  const figures = ({ incidents, violations, explosions, killed, injured, reports, byCategory, byWeapon }: SummaryResponse['total']) => ({
    incidents, violations, explosions, killed, injured, reports, byCategory, byWeapon,
  });
  const expectedDays = (periods: ReturnType<typeof days>) =>
    periods.map((p) => ({ start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString(), ...countsOf(p.events.map((event) => expected.get(event)!)) }));

  it.each(CUTOFFS)('counts the night by the README rules with the $cutoff cut-off', async ({ cutoff, from, to }) => {
    const periods = days(cutoff, from, to);
    // Every counted incident falls in one of the days asked.
    expect(periods.flatMap((p) => p.events)).toHaveLength(expected.size);
    const body = await summaryOfDays(periods, `cutoff=${cutoff}`);
    expect(body).toMatchObject({ timezone: TIMEZONE, cutoff, period: 'day' });
    expect(body.periods.map((p) => ({ start: p.start, end: p.end, ...figures(p) }))).toEqual(expectedDays(periods));
    expect(figures(body.total)).toEqual(countsOf([...expected.values()]));
  });

  it('counts, for a category filter, the incidents with a counted report of it, with the figures of all their reports', async () => {
    const periods = days('19:30', 26, 28, (e) => e.categories.includes('shelling'));
    expect(periods.flatMap((p) => p.events).map((e) => e.key)).toEqual(['avdiivka', 'pokrovsk']);
    const body = await summaryOfDays(periods, 'cutoff=19:30&category=shelling');
    expect(body.periods.map((p) => ({ start: p.start, end: p.end, ...figures(p) }))).toEqual(expectedDays(periods));
  });

  it('is timed so that the two cut-offs put some incidents in different days', () => {
    const together = ({ cutoff, from, to }: (typeof CUTOFFS)[number]) => days(cutoff, from, to).map((p) => p.events.map((e) => e.key)).filter((keys) => keys.length > 0);
    const [midnight, evening] = CUTOFFS.map(together);
    expect(midnight).toEqual([['avdiivka', 'toretsk', 'kramatorsk', 'horlivka'], ['kostiantynivka', 'druzhkivka', 'pokrovsk']]);
    expect(evening).toEqual([['avdiivka', 'toretsk'], ['kramatorsk', 'horlivka', 'kostiantynivka', 'druzhkivka'], ['pokrovsk']]);
  });
});
