import { describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import { ROOMS } from '../auth/access.js';
import type { CommitEvents } from '../ingest/broadcast.js';
import { buildCommitMessages } from './commit-messages.js';
import { COMMIT_EVENT, Publisher } from './publisher.js';
import type { TrucelineServer } from './types.js';

interface Emitted {
  rooms: string[];
  except: string[];
  event: string;
  payload: unknown;
}

/**
 * The part of a Socket.IO server the publisher uses, recording each local emit and each message
 * to other processes; `rooms` is this process's room index (room → socket ids).
 */
function recordingServer(rooms = new Map<string, Set<string>>()) {
  const emitted: Emitted[] = [];
  const toOthers: unknown[][] = [];
  const listeners = new Map<string, (json: string) => void>();
  const chain = (to: string[], except: string[]) => ({
    to: (more: string | string[]) => chain([...to, ...([] as string[]).concat(more)], except),
    except: (more: string | string[]) => chain(to, [...except, ...([] as string[]).concat(more)]),
    emit: (event: string, payload: unknown) => emitted.push({ rooms: to, except, event, payload }) > 0,
  });
  const io = {
    local: chain([], []),
    of: () => ({ adapter: { rooms } }),
    serverSideEmit: (...args: unknown[]) => toOthers.push(args) > 0,
    on: (event: string, listener: (json: string) => void) => listeners.set(event, listener),
  };
  return { io: io as unknown as TrucelineServer, emitted, toOthers, listeners };
}

const alice = { id: 'alice', username: 'alice' };
const report = { id: 'r1', seq: 7, reporter: alice, location: { lon: 1, lat: 2 }, uncertaintyM: 10 } as unknown as Report;
const events: CommitEvents = { newReports: [report], updatedReports: [], incidents: [], areas: [], lastSeq: 7 };
const asEmitted = (m: ReturnType<typeof buildCommitMessages>[number]): Emitted => ({ rooms: m.rooms, except: m.except ?? [], event: m.event, payload: m.payload });

/** A coordinator on `commit`, a monitor (not alice) on `items`, and alice herself on `commit`. */
function populated(): Map<string, Set<string>> {
  return new Map([
    [ROOMS.privileged, new Set(['coord'])],
    [ROOMS.monitors, new Set(['bob', 'alice-phone'])],
    [ROOMS.user('alice'), new Set(['alice-phone'])],
    [ROOMS.user('bob'), new Set(['bob'])],
    [ROOMS.format('commit'), new Set(['coord', 'alice-phone'])],
    [ROOMS.format('items'), new Set(['bob'])],
  ]);
}

describe('Publisher', () => {
  it('emits, in order, exactly the built messages that reach a socket of this process', () => {
    const { io, emitted } = recordingServer(populated());
    new Publisher(io, () => Promise.resolve(7)).committed(events);
    const built = buildCommitMessages(events);
    // Left out: the coordinators' `reports:new` and alice's personal one (both sockets are on
    // `commit`); bob gets the monitors' per-item list, and only bob is on `items`.
    const expected = built.filter((m) => m.event !== 'reports:new' || m.rooms[0] === ROOMS.monitors).map(asEmitted);
    expect(built).toHaveLength(6);
    expect(emitted).toEqual(expected);
    expect(emitted.map((e) => `${e.event} ${e.rooms.join()}`)).toEqual([
      `reports:new ${ROOMS.monitors}`,
      `commit:own ${ROOMS.user('alice')}`,
      `commit ${ROOMS.privileged}`,
      `commit ${ROOMS.monitors}`,
    ]);
  });

  it('encodes nothing on a process none of whose sockets would receive the commit', () => {
    const { io, emitted } = recordingServer();
    new Publisher(io, () => Promise.resolve(7)).committed(events);
    expect(emitted).toEqual([]);
  });

  it('sends each commit once to the other processes when they share the work, and delivers theirs as its own', () => {
    const here = recordingServer(populated());
    new Publisher(here.io, () => Promise.resolve(7), undefined, true).committed(events);
    expect(here.toOthers).toEqual([[COMMIT_EVENT, JSON.stringify(events)]]);

    const there = recordingServer(populated());
    new Publisher(there.io, () => Promise.resolve(7), undefined, true);
    there.listeners.get(COMMIT_EVENT)?.(JSON.stringify(events));
    expect(there.emitted).toEqual(here.emitted);
    expect(there.toOthers).toEqual([]);
  });

  it('keeps to itself without a cross-process adapter', () => {
    const { io, toOthers, listeners } = recordingServer(populated());
    new Publisher(io, () => Promise.resolve(7)).committed(events);
    expect(toOthers).toEqual([]);
    expect(listeners.size).toBe(0);
  });

  it("sends seq:head with the store's watermark to this process's own sockets only", async () => {
    const { io, emitted } = recordingServer();
    let watermark = 41;
    const publisher = new Publisher(io, () => Promise.resolve(watermark));
    publisher.emitHead();
    await new Promise((resolve) => setImmediate(resolve));
    watermark = 42;
    publisher.emitHead();
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toEqual([
      { rooms: [], except: [], event: 'seq:head', payload: { lastSeq: 41 } },
      { rooms: [], except: [], event: 'seq:head', payload: { lastSeq: 42 } },
    ]);
  });
});
