import { type Presence as PresenceMessage, SOCKET_LIMITS, type User } from '@truceline/shared';

/** With several processes (`cluster-presence.ts`): everyone online everywhere, and telling the others a change here. */
export interface PresenceSource {
  /** Everyone online on every process; with none to ask, this process's own. */
  everyone(): Promise<PresenceMessage>;
  /** Tells the other processes that who is online here changed. */
  announce(): void;
}

/** With several processes, how often each works out the whole list again even when nothing changed here: a process killed outright announces nothing. */
export const CLUSTER_PRESENCE_REFRESH_MS = 30_000;

/**
 * Who is online, counted by sockets per user (a monitor may have a phone and a laptop).
 * Changes are coalesced: `onChange` runs at most once per interval, with the latest list, and
 * only when the list differs from the one it last sent. With a `source` the list is everyone
 * online on every process, and `onChange` sends it to this process's coordinators only: each
 * process tells its own. A join or leave here is announced to the others (coalesced too), which
 * then work the list out again; so does every process every 30 s, and sends it only if it changed
 * (a killed process's users gone), so that nothing is sent while nobody comes or goes.
 */
export class PresenceTracker {
  private readonly online = new Map<string, { user: User; sockets: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly refresher: NodeJS.Timeout | undefined;
  private lastEmit = 0;
  /** The list last sent (as JSON), so the same one is not sent again. */
  private lastSent: string | undefined;
  /** A join or leave here not yet announced to the other processes. */
  private toAnnounce = false;
  /** A list is being worked out; a change meanwhile may be missing from it (`again`). */
  private computing = false;
  private again = false;
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

  /**
   * What a coordinator who just connected is sent. It may be newer than the list last sent to
   * the others, so the next list goes out even if it equals that one.
   */
  async current(): Promise<PresenceMessage> {
    this.lastSent = undefined;
    if (!this.source) return this.snapshot();
    return this.source.everyone().catch(() => this.snapshot());
  }

  join(user: User): void {
    const entry = this.online.get(user.id);
    if (entry) entry.sockets++;
    else this.online.set(user.id, { user, sockets: 1 });
    if (!entry) this.changedHere();
  }

  leave(userId: string): void {
    const entry = this.online.get(userId);
    if (!entry) return;
    entry.sockets--;
    if (entry.sockets <= 0) {
      this.online.delete(userId);
      this.changedHere();
    }
  }

  /** Another process announced a change: work the list out again. */
  changedElsewhere(): void {
    this.changed();
  }

  /** This process's sockets only. */
  snapshot(): PresenceMessage {
    const online = [...this.online.values()]
      .map(({ user }) => ({ userId: user.id, username: user.username, role: user.role }))
      .sort((a, b) => a.username.localeCompare(b.username));
    return { online };
  }

  private changedHere(): void {
    this.toAnnounce = true;
    this.changed();
  }

  private changed(): void {
    // While waiting, the list about to be worked out will include this change; while working it
    // out, it may not (another process answered before its own change): one more round after.
    if (this.computing) this.again = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.lastEmit = Date.now();
      this.computing = true;
      if (this.toAnnounce) {
        this.toAnnounce = false;
        this.source?.announce();
      }
      const list = this.source ? this.source.everyone().catch(() => this.snapshot()) : Promise.resolve(this.snapshot());
      void list.then((presence) => {
        // Held until sent, so a change meanwhile schedules the next list instead of racing this one.
        this.timer = undefined;
        this.computing = false;
        if (this.closed) return;
        const json = JSON.stringify(presence);
        if (json !== this.lastSent) {
          this.lastSent = json;
          this.onChange(presence);
        }
        if (this.again) {
          this.again = false;
          this.changed();
        }
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
