import { SOCKET_LIMITS, type Report, type ReportInputDraft, type SubmitResult } from '@truceline/shared';
import { isDue, type OutboxItem } from './outbox-machine';
import { useOutbox } from './outbox-store';

/** Sends a batch and resolves with one result per report, in order; rejects when the transport failed. */
export type SendBatch = (drafts: ReportInputDraft[]) => Promise<SubmitResult[]>;

export interface OutboxRunnerDeps {
  send: SendBatch;
  /** Whether there is a connection to send over; without one, reports simply stay saved. */
  connected: () => boolean;
  userId: string;
  /** Called with every report the server confirmed, so it shows at once without waiting for the broadcast. */
  onConfirmed(report: Report): void;
  now?: () => number;
}

/**
 * Drains the outbox over a live connection: one flush at a time, batches of at most the
 * contract's limit, and a timer for failures that said when to try again. Owned by the socket
 * module, which starts it on connect and stops it on disconnect.
 */
export class OutboxRunner {
  private flushing: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: OutboxRunnerDeps) {
    // A newly saved report (or a retry the monitor pressed) is sent straight away.
    this.unsubscribe = useOutbox.subscribe((state, prev) => {
      // The outbox read from the device after the connection came up: send all that is due.
      if (state.loaded && !prev.loaded) {
        void this.flush();
        return;
      }
      if (state.items === prev.items) return;
      // Only new or retried reports: one that went back to `saved` after a lost send waits for
      // the next connection, otherwise a failing transport would be retried in a tight loop.
      const woke = Object.values(state.items).some(
        (i) => i.state === 'saved' && i.userId === deps.userId && (prev.items[i.id] === undefined || prev.items[i.id]?.state === 'failed'),
      );
      if (woke) void this.flush();
    });
  }

  /** Sends everything due; concurrent calls coalesce into one more round. */
  flush(): Promise<void> {
    if (this.stopped || !this.deps.connected()) return Promise.resolve();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.flush();
      } else {
        this.schedule();
      }
    });
    return this.flushing;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private due(): OutboxItem[] {
    const now = this.now();
    return Object.values(useOutbox.getState().items)
      .filter((i) => isDue(i, this.deps.userId, now))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  private async drain(): Promise<void> {
    const outbox = useOutbox.getState();
    for (let batch = this.due().slice(0, SOCKET_LIMITS.maxBatchReports); batch.length > 0 && !this.stopped; batch = this.due().slice(0, SOCKET_LIMITS.maxBatchReports)) {
      const at = this.now();
      for (const item of batch) await outbox.dispatch(item.id, { type: 'send', at });
      let results: SubmitResult[];
      try {
        results = await this.deps.send(batch.map((i) => i.draft));
      } catch (error) {
        console.info('outbox: send failed, reports stay queued', error);
        for (const item of batch) await outbox.dispatch(item.id, { type: 'lost', at: this.now() });
        return;
      }
      for (const [index, item] of batch.entries()) {
        const result = results[index];
        if (!result) {
          await outbox.dispatch(item.id, { type: 'lost', at: this.now() });
        } else if (result.ok) {
          await outbox.dispatch(item.id, { type: 'accepted', at: this.now(), report: result.report });
          this.deps.onConfirmed(result.report);
        } else {
          await outbox.dispatch(item.id, { type: 'rejected', at: this.now(), error: result.error });
        }
      }
      // A lost item is back in `saved`: stop this round instead of hammering a failing transport.
      if (results.length < batch.length) return;
    }
  }

  /** Wakes up for the earliest retryable failure. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    const next = Object.values(useOutbox.getState().items)
      .filter((i) => i.userId === this.deps.userId && i.state === 'failed' && i.retryAt !== undefined)
      .reduce<number | undefined>((min, i) => (min === undefined || (i.retryAt ?? Infinity) < min ? i.retryAt : min), undefined);
    if (next === undefined) return;
    this.timer = setTimeout(() => void this.flush(), Math.max(0, next - this.now()));
  }
}
