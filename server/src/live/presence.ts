import { type Presence as PresenceMessage, SOCKET_LIMITS, type User } from '@truceline/shared';

/**
 * Who is online, counted by sockets per user (a monitor may have a phone and a laptop).
 * Changes are coalesced: `onChange` runs at most once per interval, with the latest list.
 * In memory per process; with several processes the scale-out issue replaces this with
 * `fetchSockets()` across the adapter.
 */
export class PresenceTracker {
  private readonly online = new Map<string, { user: User; sockets: number }>();
  private timer: NodeJS.Timeout | undefined;
  private lastEmit = 0;

  constructor(
    private readonly onChange: (presence: PresenceMessage) => void,
    private readonly intervalMs = SOCKET_LIMITS.presenceIntervalMs,
  ) {}

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
      this.timer = undefined;
      this.lastEmit = Date.now();
      this.onChange(this.snapshot());
    }, wait);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
