import { describe, expect, it } from 'vitest';
import type { Area, CommitMessage, IncidentState, LiveFormat, OwnCommitMessage, Report, Role } from '@truceline/shared';
import { PRIVATE_REPORT_FIELDS } from '@truceline/shared';
import { ROOMS, audienceRoom } from '../auth/access.js';
import type { CommitEvents } from '../ingest/broadcast.js';
import { type LiveMessage, buildCommitMessages } from './commit-messages.js';

/** A socket as the adapter sees it: the rooms socket-server.ts joins it to. */
interface FakeSocket {
  name: string;
  rooms: Set<string>;
}

function socketOf(name: string, userId: string, role: Role, live: LiveFormat): FakeSocket {
  return { name, rooms: new Set([audienceRoom(role), ROOMS.user(userId), ROOMS.session(`s-${name}`), ROOMS.format(live)]) };
}

/** What Socket.IO's adapter does with `io.to(rooms).except(except).emit(...)`, on any process. */
function deliver(messages: LiveMessage[], sockets: FakeSocket[]): Map<string, { event: string; payload: unknown }[]> {
  const got = new Map<string, { event: string; payload: unknown }[]>(sockets.map((s) => [s.name, []]));
  for (const m of messages) {
    for (const s of sockets) {
      if (!m.rooms.some((r) => s.rooms.has(r))) continue;
      if ((m.except ?? []).some((r) => s.rooms.has(r))) continue;
      got.get(s.name)?.push({ event: m.event, payload: m.payload });
    }
  }
  return got;
}

function report(id: string, reporterId: string, seq: number): Report {
  return {
    id,
    seq,
    category: 'shelling',
    status: 'pending',
    reporter: { id: reporterId, username: reporterId },
    observer: { lon: 37.8, lat: 48, accuracyM: 10 },
    bearing: { fromDeg: 80, toDeg: 100, reference: 'true' },
    bearingTrue: { fromDeg: 80, toDeg: 100 },
    distanceM: { min: 2000, max: 4000 },
    location: { lon: 37.83, lat: 47.99 },
    locationMethod: 'bearing',
    uncertaintyM: 1234,
    incidentId: 'i1',
  } as unknown as Report;
}

const incident: IncidentState = {
  id: 'i1',
  seq: 13,
  location: { lon: 37.83, lat: 47.99 },
  uncertaintyM: 12,
  locationMethod: 'centroid',
  reportCount: 3,
  monitorCount: 2,
  reportIds: ['r1', 'r2', 'r3'],
  categories: ['shelling'],
  firstObservedAt: '2026-01-01T00:00:00.000Z',
  lastObservedAt: '2026-01-01T00:05:00.000Z',
} as unknown as IncidentState;

const area = { id: 'a1', seq: 14, count: 3 } as unknown as Area;

/** Alice and Bob (monitors) report; Carol (coordinator) reports too and reviews one of Alice's older reports. */
const result: CommitEvents = {
  newReports: [report('r1', 'alice', 10), report('r2', 'bob', 11), report('r3', 'carol', 12)],
  updatedReports: [report('r0', 'alice', 15)],
  incidents: [incident],
  areas: [area],
  lastSeq: 15,
};

const sockets = [
  socketOf('carol/items', 'carol', 'coordinator', 'items'),
  socketOf('carol/commit', 'carol', 'coordinator', 'commit'),
  socketOf('admin/items', 'root', 'admin', 'items'),
  socketOf('alice/items', 'alice', 'monitor', 'items'),
  socketOf('alice/commit', 'alice', 'monitor', 'commit'),
  socketOf('bob/commit', 'bob', 'monitor', 'commit'),
  socketOf('dave/items', 'dave', 'monitor', 'items'),
  socketOf('dave/commit', 'dave', 'monitor', 'commit'),
  socketOf('dave/none', 'dave', 'monitor', 'none'),
];

const isRedacted = (r: Report): boolean => PRIVATE_REPORT_FIELDS.every((f) => !(f in r));
const isFull = (r: Report): boolean => 'reporter' in r && 'observer' in r && 'bearing' in r;
const ids = (reports: Report[] | undefined): string[] => (reports ?? []).map((r) => r.id);

describe('buildCommitMessages', () => {
  const got = deliver(buildCommitMessages(result), sockets);
  const of = (name: string) => got.get(name) ?? [];
  const events = (name: string) => of(name).map((m) => m.event);

  it('gives an items socket each event once, in commit order: new reports, updated reports, incidents, areas', () => {
    for (const name of ['carol/items', 'admin/items', 'alice/items', 'dave/items']) {
      expect(events(name), name).toEqual(['reports:new', 'report:updated', 'incident:updated', 'area:updated']);
    }
  });

  it('gives coordinators and admins everything in full', () => {
    for (const name of ['carol/items', 'admin/items']) {
      const [newOnes, updated, inc] = of(name).map((m) => m.payload);
      expect(ids(newOnes as Report[])).toEqual(['r1', 'r2', 'r3']);
      expect((newOnes as Report[]).every(isFull)).toBe(true);
      expect(isFull(updated as Report)).toBe(true);
      expect(inc).toEqual(incident);
    }
    const commit = of('carol/commit');
    expect(commit.map((m) => m.event)).toEqual(['commit']);
    const message = commit[0]?.payload as CommitMessage;
    expect(message.lastSeq).toBe(15);
    expect(ids(message.reports)).toEqual(['r1', 'r2', 'r3']);
    expect(message.reports?.every(isFull)).toBe(true);
    expect(ids(message.updated)).toEqual(['r0']);
    expect(message.incidents).toEqual([incident]);
    expect(message.areas).toEqual([area]);
  });

  it('gives a monitor who reported nothing every report redacted and incidents without monitorCount', () => {
    const [newOnes, updated, inc, ar] = of('dave/items').map((m) => m.payload);
    expect(ids(newOnes as Report[])).toEqual(['r1', 'r2', 'r3']);
    expect((newOnes as Report[]).every(isRedacted)).toBe(true);
    expect(isRedacted(updated as Report)).toBe(true);
    expect(inc).not.toHaveProperty('monitorCount');
    expect((inc as IncidentState).uncertaintyM).toBeGreaterThanOrEqual(incident.uncertaintyM);
    expect(ar).toEqual(area);
    const [commit] = of('dave/commit');
    expect(commit?.event).toBe('commit');
    const message = commit?.payload as CommitMessage;
    expect(message.reports?.every(isRedacted)).toBe(true);
    expect(message.updated?.every(isRedacted)).toBe(true);
    expect(message.incidents?.[0]).not.toHaveProperty('monitorCount');
    expect(message.lastSeq).toBe(15);
  });

  it('gives a reporter their own reports in full and the others redacted, in one message, not two', () => {
    const items = of('alice/items');
    const newOnes = items[0]?.payload as Report[];
    expect(ids(newOnes)).toEqual(['r1', 'r2', 'r3']);
    expect(newOnes.map((r) => (isFull(r) ? 'full' : isRedacted(r) ? 'redacted' : '?'))).toEqual(['full', 'redacted', 'redacted']);
    // Her own reviewed report, in full, once.
    expect(isFull(items[1]?.payload as Report)).toBe(true);
  });

  it('sends a commit-format reporter commit:own (her reports in full) before the shared redacted commit', () => {
    const commit = of('alice/commit');
    expect(commit.map((m) => m.event)).toEqual(['commit:own', 'commit']);
    const own = commit[0]?.payload as OwnCommitMessage;
    expect(ids(own.reports)).toEqual(['r1']);
    expect(ids(own.updated)).toEqual(['r0']);
    expect([...(own.reports ?? []), ...(own.updated ?? [])].every(isFull)).toBe(true);
    // Same seqs as the redacted copies that follow, so the client keeps the full ones.
    const shared = commit[1]?.payload as CommitMessage;
    expect(shared.reports?.find((r) => r.id === 'r1')?.seq).toBe(own.reports?.[0]?.seq);
    expect(shared.reports?.every(isRedacted)).toBe(true);
    expect(of('bob/commit').map((m) => m.event)).toEqual(['commit:own', 'commit']);
    expect(ids((of('bob/commit')[0]?.payload as OwnCommitMessage).reports)).toEqual(['r2']);
  });

  it('sends a privileged reporter no personal copy: the full messages already have her reports', () => {
    expect(events('carol/items').filter((e) => e === 'reports:new')).toHaveLength(1);
    expect(events('carol/commit')).toEqual(['commit']);
  });

  it('sends a `none` socket nothing', () => {
    expect(of('dave/none')).toEqual([]);
  });

  it('addresses rooms only, whatever sockets exist: the same messages for any audience', () => {
    const messages = buildCommitMessages(result);
    expect(buildCommitMessages(result)).toEqual(messages);
    const rooms = new Set(messages.flatMap((m) => [...m.rooms, ...(m.except ?? [])]));
    for (const room of rooms) expect(room).toMatch(/^(role:(privileged|monitor)|user:[a-z]+|live:(items|commit|none))$/);
    // One personal message per reporter per format, whether or not anyone of theirs is connected.
    const personal = messages.filter((m) => m.rooms.some((r) => r.startsWith('user:')));
    expect(personal.map((m) => `${m.event} ${m.rooms.join()}`).sort()).toEqual(
      [
        'commit:own user:alice',
        'commit:own user:bob',
        'commit:own user:carol',
        'report:updated user:alice',
        'reports:new user:alice',
        'reports:new user:bob',
        'reports:new user:carol',
      ].sort(),
    );
  });

  it('leaves empty parts out and changes nothing it was given', () => {
    const before = structuredClone(result);
    buildCommitMessages(result);
    expect(result).toEqual(before);
    const areasOnly = buildCommitMessages({ newReports: [], updatedReports: [], incidents: [], areas: [area], lastSeq: 20 });
    expect(areasOnly.map((m) => m.event)).toEqual(['area:updated', 'commit', 'commit']);
    for (const m of areasOnly.filter((x) => x.event === 'commit')) expect(m.payload).toEqual({ lastSeq: 20, areas: [area] });
  });
});
