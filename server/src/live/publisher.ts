import type { Logger } from 'pino';
import type { Broadcaster, CommitEvents } from '../ingest/broadcast.js';
import { buildCommitMessages } from './commit-messages.js';
import type { TrucelineServer } from './types.js';

/**
 * Sends each durable commit to the sockets that should see it: the messages come from
 * `buildCommitMessages`; the publisher only emits them, in order, through the adapter, which
 * decides who (on this process or another) receives each. It keeps no `seq` of its own: the
 * store's committed watermark is the one head everybody reads.
 */
export class Publisher implements Broadcaster {
  constructor(
    private readonly io: TrucelineServer,
    /** The committed watermark (`store.lastSeq()`). */
    private readonly head: () => Promise<number>,
    private readonly log?: Logger,
  ) {}

  committed(events: CommitEvents): void {
    for (const message of buildCommitMessages(events)) {
      const emitter = this.io.to(message.rooms).except(message.except ?? []);
      // The union of event/payload pairs is sound per member; emit's overloads cannot see that.
      (emitter.emit as (event: string, payload: unknown) => boolean)(message.event, message.payload);
    }
  }

  /**
   * Heartbeat so a client that missed events notices it is behind and calls `reports:sync`.
   * Local sockets only: every process sends its own, so through a shared adapter each socket
   * would otherwise get one per process.
   */
  emitHead(): void {
    this.head().then(
      (lastSeq) => this.io.local.emit('seq:head', { lastSeq }),
      (error: unknown) => this.log?.warn({ err: error }, 'seq:head: could not read the watermark'),
    );
  }
}
