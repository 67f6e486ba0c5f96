import {
  REPORT_LIMITS,
  SOCKET_LIMITS,
  type SubmitResult,
  SyncArgs,
  LIST_LIMITS,
} from '@truceline/shared';
import type { Logger } from 'pino';
import { AppError, toApiError } from '../app-error.js';
import type { IngestPipeline } from '../ingest/pipeline.js';
import type { Store } from '../storage/store.js';
import type { InFlight } from './in-flight.js';
import type { ReadLimits } from '../read/read-limits.js';
import { syncPage } from '../read/sync-page.js';
import type { TrucelineSocket } from './types.js';

export interface HandlerDeps {
  pipeline: IngestPipeline;
  store: Store;
  /** Submissions not yet acknowledged: a graceful close waits for them. */
  inFlight: InFlight;
  log: Logger;
  /** The same per-account read budget as the HTTP list and sync routes. */
  readLimits: ReadLimits;
}

function byteLength(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    // Only a circular or BigInt value fails to serialise, and Socket.IO decodes neither.
    return Number.POSITIVE_INFINITY;
  }
}

function tooLarge(what: string, limit: number): AppError {
  return new AppError('too_large', `${what} is larger than ${Math.round(limit / 1024)} KiB.`);
}

type Ack = (answer: unknown) => void;

/** Every event `onEvent` listens to; any other that carries an ack is answered `not_found`. */
const handledEvents = new Set<string>();

/**
 * Listens to `event` taking the ack from where Socket.IO's client puts it: last, whatever came
 * before. Named parameters `(payload, ack)` took an ack sent without a payload as the payload,
 * and an ack after an extra argument as a non-function: either way the event was dropped and the
 * client waited forever. Now an event without any function is dropped (there is no one to
 * answer), and one with the wrong number of arguments is answered `invalid`.
 * `optional`: the payload may be left out (`reports:sync`).
 */
function onEvent(socket: TrucelineSocket, event: string, optional: boolean, handle: (payload: unknown, ack: Ack) => void): void {
  handledEvents.add(event);
  (socket as unknown as { on(e: string, listener: (...args: unknown[]) => void): void }).on(event, (...args) => {
    const ack = args.pop();
    if (typeof ack !== 'function') return;
    if (args.length > 1 || (args.length === 0 && !optional)) {
      const shape = optional ? 'an optional argument' : 'one argument';
      (ack as Ack)({ ok: false, error: new AppError('invalid', `${event} takes ${shape} and an acknowledgement, got ${args.length} arguments.`).toJSON() });
      return;
    }
    handle(args[0], ack as Ack);
  });
}

/** Socket events, translated to the ingest pipeline and the store; nothing else lives here. */
export function registerHandlers(socket: TrucelineSocket, deps: HandlerDeps): void {
  const { pipeline, store, inFlight, log, readLimits } = deps;
  const user = socket.data.user;
  const fail = (error: unknown) => {
    if (!(error instanceof AppError)) log.error({ err: error, userId: user.id }, 'socket handler failed');
    return { ok: false as const, error: toApiError(error) };
  };

  // A misspelt or newer event would otherwise leave its sender waiting for an ack forever.
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (handledEvents.has(event) || typeof ack !== 'function') return;
    (ack as Ack)({ ok: false, error: new AppError('not_found', `This server handles no event ${JSON.stringify(event).slice(0, 100)}.`).toJSON() });
  });

  onEvent(socket, 'report:submit', false, (raw, ack) => {
    void inFlight.run(async () => {
      try {
        if (byteLength(raw) > REPORT_LIMITS.maxBodyBytes) throw tooLarge('A report', REPORT_LIMITS.maxBodyBytes);
        const { report, duplicate } = await pipeline.submit(user, raw);
        ack({ ok: true, report, duplicate });
      } catch (error) {
        ack(fail(error));
      }
    });
  });

  onEvent(socket, 'reports:submit', false, (raws, ack) => {
    void inFlight.run(async () => {
      try {
        if (!Array.isArray(raws)) throw new AppError('invalid', 'reports:submit takes an array of reports.');
        if (raws.length > SOCKET_LIMITS.maxBatchReports) {
          throw new AppError('too_large', `At most ${SOCKET_LIMITS.maxBatchReports} reports per batch; send the rest in another.`);
        }
        if (byteLength(raws) > SOCKET_LIMITS.maxMessageBytes) throw tooLarge('A batch', SOCKET_LIMITS.maxMessageBytes);
        const results: (SubmitResult | undefined)[] = raws.map((raw) =>
          byteLength(raw) > REPORT_LIMITS.maxBodyBytes ? { ok: false, error: tooLarge('A report', REPORT_LIMITS.maxBodyBytes).toJSON() } : undefined,
        );
        const fitting = raws.filter((_, i) => results[i] === undefined);
        const outcomes = await pipeline.submitMany(user, fitting);
        let next = 0;
        ack({ results: results.map((r) => r ?? (outcomes[next++] as SubmitResult)) });
      } catch (error) {
        ack(fail(error));
      }
    });
  });

  onEvent(socket, 'reports:sync', true, (rawArgs, ack) => void sync(rawArgs, ack));
  async function sync(rawArgs: unknown, ack: Ack): Promise<void> {
    try {
      const parsed = SyncArgs.safeParse(rawArgs ?? undefined);
      if (!parsed.success) throw AppError.invalid(parsed.error, 'sync request');
      const afterSeq = parsed.data?.afterSeq ?? 0;
      const limit = parsed.data?.limit ?? LIST_LIMITS.syncDefault;
      const ticket = await readLimits.admit(user.id);
      try {
        // Read before the page: everything up to the watermark is visible to the page's read.
        const head = await store.lastSeq();
        const page = await syncPage(store, head, user, afterSeq, limit);
        ticket.served(page.reports.length);
        ack(page);
      } finally {
        ticket.release();
      }
    } catch (error) {
      ack(fail(error));
    }
  }
}
