import { describe, expect, it } from 'vitest';
import type { Report } from '@truceline/shared';
import type { CommitEvents } from '../ingest/broadcast.js';
import { buildCommitMessages } from './commit-messages.js';
import { Publisher } from './publisher.js';
import type { TrucelineServer } from './types.js';

interface Emitted {
  via: 'rooms' | 'local';
  rooms: string[];
  except: string[];
  event: string;
  payload: unknown;
}

/**
 * The part of a Socket.IO server the publisher uses, recording each emit. It has no sockets at
 * all, like a process whose watchers are all connected to other processes.
 */
function recordingServer(): { io: TrucelineServer; emitted: Emitted[] } {
  const emitted: Emitted[] = [];
  const chain = (rooms: string[], except: string[]) => ({
    except: (more: string | string[]) => chain(rooms, [...except, ...([] as string[]).concat(more)]),
    emit: (event: string, payload: unknown) => emitted.push({ via: 'rooms', rooms, except, event, payload }) > 0,
  });
  const io = {
    to: (rooms: string | string[]) => chain(([] as string[]).concat(rooms), []),
    local: { emit: (event: string, payload: unknown) => emitted.push({ via: 'local', rooms: [], except: [], event, payload }) > 0 },
    sockets: { adapter: { rooms: new Map() } },
  };
  return { io: io as unknown as TrucelineServer, emitted };
}

const report = { id: 'r1', seq: 7, reporter: { id: 'alice', username: 'alice' }, location: { lon: 1, lat: 2 }, uncertaintyM: 10 } as unknown as Report;
const events: CommitEvents = { newReports: [report], updatedReports: [], incidents: [], areas: [], lastSeq: 7 };

describe('Publisher', () => {
  it('hands every built message to the adapter in order, though no socket of this process is in any room', () => {
    const { io, emitted } = recordingServer();
    new Publisher(io, () => Promise.resolve(7)).committed(events);
    const expected = buildCommitMessages(events).map((m) => ({ via: 'rooms', rooms: m.rooms, except: m.except ?? [], event: m.event, payload: m.payload }));
    expect(emitted).toEqual(expected);
    expect(emitted.map((e) => e.event)).toEqual(['reports:new', 'reports:new', 'reports:new', 'commit:own', 'commit', 'commit']);
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
      { via: 'local', rooms: [], except: [], event: 'seq:head', payload: { lastSeq: 41 } },
      { via: 'local', rooms: [], except: [], event: 'seq:head', payload: { lastSeq: 42 } },
    ]);
  });
});
