import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestAccount, type TestServer, createUsers, startServer } from '../support/server.js';
import type { Socket } from 'socket.io-client';
import { connect } from '../support/sockets.js';
import { binaryValue, checkProperty, expectClientError, expectServerAlive, hostileValue, nearValidReport, snapshot } from '../support/fuzz.js';

/**
 * Every Socket.IO event the server handles, fuzzed over this run's transport (the file runs
 * once over websocket, once over long-polling): arbitrary and near-valid arguments, wrong
 * argument counts, binary attachments, acks missing, not functions or in the wrong place. The
 * server must answer every ack with the contract's shapes, store nothing it rejected, keep the
 * socket open and keep serving.
 */
const HANDLERS = fileURLToPath(new URL('../../server/src/live/socket-handlers.ts', import.meta.url));
const RUNS = 60;
const ACK_TIMEOUT_MS = 8000;

type Answer = Record<string, unknown>;

/** What a valid answer to each event looks like; anything else must be an error ack. */
const EVENTS: Record<string, { argument: fc.Arbitrary<unknown>; isSuccess(answer: Answer): boolean }> = {
  'report:submit': {
    argument: fc.oneof(nearValidReport, hostileValue, binaryValue),
    isSuccess: (a) => a.ok === true && typeof a.report === 'object' && typeof a.duplicate === 'boolean',
  },
  'reports:submit': {
    argument: fc.oneof(fc.array(fc.oneof(nearValidReport, hostileValue, binaryValue), { maxLength: 4 }), hostileValue, binaryValue),
    isSuccess: (a) => Array.isArray(a.results),
  },
  'reports:sync': {
    argument: fc.oneof(
      fc.record({ afterSeq: fc.oneof(fc.integer(), fc.double(), hostileValue), limit: fc.oneof(fc.integer(), fc.double(), hostileValue) }, { requiredKeys: [] }),
      hostileValue,
      binaryValue,
    ),
    isSuccess: (a) => Array.isArray(a.reports) && typeof a.lastSeq === 'number' && typeof a.hasMore === 'boolean',
  },
};

/** How the acknowledgement is passed: properly last, left out, or a non-function in its place. */
const ackStyle = fc.constantFrom('function', 'function', 'missing', 'not-a-function');

/** Each item of a batch answer is a stored report or the contract's error. */
function expectBatchResults(results: unknown[]): number {
  let stored = 0;
  for (const result of results) {
    const r = result as Answer;
    if (r.ok === true) {
      expect(r).toMatchObject({ report: expect.any(Object), duplicate: expect.any(Boolean) });
      stored++;
    } else {
      const { ok: _ok, id: _id, ...rest } = r;
      expect(r.ok).toBe(false);
      expectClientError(rest);
    }
  }
  return stored;
}

describe('fuzzing every Socket.IO event', () => {
  let server: TestServer;
  let monitor: TestAccount;
  // Untyped: the point is to send what the event map forbids.
  let socket: Socket;

  beforeAll(async () => {
    server = await startServer();
    [monitor] = await createUsers(server, ['monitor'] as const);
    socket = (await connect(server.url, monitor.token)).socket as unknown as Socket;
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  /** The socket still answers: a sync round trip. */
  async function expectSocketAnswers(): Promise<void> {
    expect(socket.connected).toBe(true);
    const answer = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('reports:sync', { afterSeq: 0, limit: 1 })) as Answer;
    expect(Array.isArray(answer.reports)).toBe(true);
  }

  it('has a fuzz case for every event the server handles', () => {
    const handled = [...fs.readFileSync(HANDLERS, 'utf8').matchAll(/(?:socket\.on\(|onEvent\(socket,)\s*'([^']+)'/g)].map((m) => m[1]);
    expect(handled.length).toBeGreaterThan(0);
    expect(new Set(Object.keys(EVENTS))).toEqual(new Set(handled));
  });

  for (const [event, spec] of Object.entries(EVENTS)) {
    it(`${event}: any arguments, any ack, and the server answers with the contract and stores nothing rejected`, async () => {
      await checkProperty(
        fc.asyncProperty(fc.array(spec.argument, { maxLength: 3 }), ackStyle, async (args, style) => {
          const before = await snapshot(server);
          if (style !== 'function') {
            socket.emit(event, ...args, ...(style === 'not-a-function' ? [{ ack: true }] : []));
            await expectSocketAnswers();
            // Without an ack nobody can be told a report was stored, so none may be.
            expect(await snapshot(server)).toEqual(before);
            return;
          }
          const answer = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args)) as Answer;
          expect(answer).toBeTypeOf('object');
          let stored = 0;
          if (answer.ok === false) {
            const { ok: _ok, ...rest } = answer;
            expectClientError(rest);
          } else {
            expect(spec.isSuccess(answer), JSON.stringify(answer).slice(0, 500)).toBe(true);
            if (event === 'report:submit') stored = 1;
            if (event === 'reports:submit') stored = expectBatchResults(answer.results as unknown[]);
          }
          if (stored === 0) expect(await snapshot(server)).toEqual(before);
          expect(socket.connected).toBe(true);
        }),
        RUNS,
      );
      await expectSocketAnswers();
      await expectServerAlive(server, monitor.token);
    });
  }
});
