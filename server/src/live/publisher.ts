import type { Logger } from 'pino';
import type { Broadcaster, CommitEvents } from '../ingest/broadcast.js';
import { buildCommitMessages } from './commit-messages.js';
import { localAudience } from './local-audience.js';
import type { TrucelineServer } from './types.js';

/** The server-to-server event that carries one commit to the other processes (JSON of `CommitEvents`). */
export const COMMIT_EVENT = 'truceline:commit';

/**
 * Sends each durable commit to the sockets that should see it. The commit itself goes once to
 * every other process (`serverSideEmit` through the Redis adapter, when there is one), and each
 * process, this one included, builds the messages with `buildCommitMessages` and emits to its
 * own sockets only those that have an audience here. So a commit costs one message between
 * processes, not one per audience and reporter, and a message nobody on a process would receive
 * (a reporter's personal list, say) is never encoded there. It keeps no `seq` of its own: the
 * store's committed watermark is the one head everybody reads.
 */
export class Publisher implements Broadcaster {
  constructor(
    private readonly io: TrucelineServer,
    /** The committed watermark (`store.lastSeq()`). */
    private readonly head: () => Promise<number>,
    private readonly log?: Logger,
    /** Whether other processes share this one's sockets' work (a cross-process adapter). */
    private readonly shared = false,
  ) {
    if (shared) {
      io.on(COMMIT_EVENT, (json: string) => {
        try {
          this.deliver(JSON.parse(json) as CommitEvents);
        } catch (error) {
          this.log?.error({ err: error }, 'a commit from another process could not be delivered');
        }
      });
    }
  }

  committed(events: CommitEvents): void {
    // Other processes first: their watchers should not wait for this process's writes.
    if (this.shared) this.io.serverSideEmit(COMMIT_EVENT, JSON.stringify(events));
    this.deliver(events);
  }

  /** Emits a commit's messages, in order, to this process's sockets that should receive them. */
  private deliver(events: CommitEvents): void {
    const audience = localAudience(this.io.of('/').adapter.rooms);
    for (const message of buildCommitMessages(events)) {
      const except = message.except ?? [];
      if (!audience(message.rooms, except)) continue;
      const emitter = this.io.local.to(message.rooms).except(except);
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
