import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LIVE_FORMATS, ROLES } from '@truceline/shared';
import type { CommitEvents } from '../ingest/broadcast.js';
import type { TrucelineServer } from '../live/types.js';
import type { CommitBatch, CommitResult } from '../storage/store.js';
import { adapterErrors } from './adapter-errors.js';

// From a fast local group commit (~1 ms) to a stalled database (the 10 s bucket fills).
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the metrics wrap: the one method that makes reports durable. */
interface CommittingStore {
  commit(batch: CommitBatch): Promise<CommitResult>;
}

/** What the metrics wrap: where every write waits for its commit. */
interface WriteQueue {
  submit(...args: never[]): Promise<unknown>;
  review(...args: never[]): Promise<unknown>;
}

/**
 * One server's metrics, in a registry of its own (tests run several servers in one process).
 * The hooks wrap what already exists (the store's `commit`, the commit queue's entry points, the
 * broadcaster, the socket server), so nothing below knows metrics exist and nothing is counted
 * when metrics are off (`createTruceline` then builds none of this).
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly commitSeconds: Histogram;
  private readonly writeSeconds: Histogram;
  private readonly broadcastSeconds: Histogram;
  private readonly reportsStored: Counter;
  /** When each commit's result came back from the store, so the broadcast of it can be timed from there. */
  private readonly committedAt = new WeakMap<object, number>();
  /** Start times of the writes waiting for their commit, oldest first (a Map keeps insertion order). */
  private readonly waiting = new Map<number, number>();
  private nextWrite = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(adapterErrors);
    const registers = [this.registry];
    this.commitSeconds = new Histogram({
      name: 'truceline_commit_seconds',
      help: 'Duration of one group commit in the store (the transaction, from BEGIN to a durable COMMIT)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.writeSeconds = new Histogram({
      name: 'truceline_write_seconds',
      help: 'From a submission or review entering the commit queue to its answer (queueing, planning and the commit)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.broadcastSeconds = new Histogram({
      name: 'truceline_broadcast_seconds',
      help: "From a commit being durable to its live messages having been emitted to this process's sockets and the commit sent to the other processes (acks go out first)",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.reportsStored = new Counter({
      name: 'truceline_reports_stored_total',
      help: 'New reports this process stored (replays answered `duplicate` are not counted)',
      registers,
    });
    const waiting = this.waiting;
    new Gauge({
      name: 'truceline_commit_queue_waiting',
      help: 'Submissions and reviews in this process waiting for their commit',
      registers,
      collect() {
        this.set(waiting.size);
      },
    });
    new Gauge({
      name: 'truceline_watermark_lag_seconds',
      help: 'How long the oldest write waiting in this process has waited for the committed watermark to cover it; 0 when none waits',
      registers,
      collect() {
        const oldest = waiting.values().next();
        this.set(oldest.done ? 0 : (performance.now() - oldest.value) / 1000);
      },
    });
  }

  /** The store, with `commit` timed and its new reports counted; every other method as it is. */
  store<S extends CommittingStore>(store: S): S {
    return new Proxy(store, {
      get: (target, property) => {
        if (property === 'commit') {
          return async (batch: CommitBatch): Promise<CommitResult> => {
            const end = this.commitSeconds.startTimer();
            const result = await target.commit(batch);
            end();
            this.committedAt.set(result, performance.now());
            this.reportsStored.inc(result.newReports.length);
            return result;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** The commit queue, with each submission and review timed from entering it to its answer. */
  queue<Q extends WriteQueue>(queue: Q): Q {
    const track = (write: Promise<unknown>): Promise<unknown> => {
      const id = this.nextWrite++;
      const startedAt = performance.now();
      this.waiting.set(id, startedAt);
      const done = () => this.waiting.delete(id);
      return write.then(
        (outcome) => {
          done();
          this.writeSeconds.observe((performance.now() - startedAt) / 1000);
          return outcome;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      );
    };
    return new Proxy(queue, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property === 'submit' || property === 'review') return (...args: unknown[]) => track(method(...args) as Promise<unknown>);
        return method;
      },
    });
  }

  /** Runs `emit` (the publisher handing a commit's messages to the adapter) and times it from the commit. */
  broadcast(events: CommitEvents, emit: () => void): void {
    const from = this.committedAt.get(events) ?? performance.now();
    emit();
    this.broadcastSeconds.observe((performance.now() - from) / 1000);
  }

  /** Connected sockets of this process by role and live format, counted at each scrape. */
  watchSockets(io: TrucelineServer): void {
    new Gauge({
      name: 'truceline_sockets',
      help: 'Signed-in Socket.IO connections of this process, by role and live format',
      labelNames: ['role', 'format'],
      registers: [this.registry],
      collect() {
        const counts = new Map<string, number>();
        for (const socket of io.of('/').sockets.values()) {
          const key = `${socket.data.user.role} ${socket.data.live}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        // Every combination, zeros included: a series that vanishes reads as "no data", not "none".
        for (const role of ROLES) for (const format of LIVE_FORMATS) this.set({ role, format }, counts.get(`${role} ${format}`) ?? 0);
      },
    });
  }

  /** The store's committed watermark (`lastSeq()`) at each scrape. */
  watchWatermark(lastSeq: () => Promise<number>): void {
    new Gauge({
      name: 'truceline_watermark_seq',
      help: 'The committed watermark: every change with a seq up to it is visible to every reader',
      registers: [this.registry],
      async collect() {
        // A database that is down leaves the last value; the lag gauge tells the rest.
        const seq = await lastSeq().catch(() => undefined);
        if (seq !== undefined) this.set(seq);
      },
    });
  }
}
