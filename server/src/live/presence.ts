import { type Presence as PresenceMessage, SOCKET_LIMITS, type User } from '@truceline/shared';

/** Everyone online on every process (`cluster-presence.ts`); rejects when the others cannot be asked. */
export type PresenceSource = () => Promise<PresenceMessage>;

/** With several processes, how often each sends the whole list even when nothing changed here: a process killed outright announces nothing. */
export const CLUSTER_PRESENCE_REFRESH_MS = 30_000;

/**
 * Who is online, counted by sockets per user (a monitor may have a phone and a laptop).
 * Changes are coalesced: `onChange` runs at most once per interval, with the latest list.
 * A change seen here (a join or leave on this process) is what triggers an update; with a
 * `source` the list sent is everyone online on every process, so coordinators on any process
 * see monitors on all of them; if it fails (Redis away) the list is this process's own.
 */
export class PresenceTracker {
  private readonly online = new Map<string, { user: User; sockets: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly refresher: NodeJS.Timeout | undefined;
  private lastEmit = 0;
  private closed = false;

  constructor(
    private readonly onChange: (presence: PresenceMessage) => void,
    private readonly intervalMs = SOCKET_LIMITS.presenceIntervalMs,
    private readonly source?: PresenceSource,
  ) {
    if (source) {
      this.refresher = setInterval(() => this.changed(), CLUSTER_PRESENCE_REFRESH_MS);
      this.refresher.unref();
    }
  }

  /** What a coordinator who just connected is sent. */
  async current(): Promise<PresenceMessage> {
    if (!this.source) return this.snapshot();
    return this.source().catch(() => this.snapshot());
  }

  join(user: User): void {
    const entry = this.online.get(user.id);
    if (entry) entry.sockets++;
    else this.online.set(user.id, { user, sockets: 1 });
    if (!entry) this.changed();
  }

  leave(userId: string): void {
    const entry = this.online.get(userId);
    if (!entry) return;
    entry.sockets--;
    if (entry.sockets <= 0) {
      this.online.delete(userId);
      this.changed();
    }
  }

  /** This process's sockets only. */
  snapshot(): PresenceMessage {
    const online = [...this.online.values()]
      .map(({ user }) => ({ userId: user.id, username: user.username, role: user.role }))
      .sort((a, b) => a.username.localeCompare(b.username));
    return { online };
  }

  private changed(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.lastEmit = Date.now();
      void this.current().then((presence) => {
        // Held until sent, so a change meanwhile schedules the next list instead of racing this one.
        this.timer = undefined;
        if (!this.closed) this.onChange(presence);
      });
    }, wait);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.refresher) clearInterval(this.refresher);
    this.timer = undefined;
  }
}
