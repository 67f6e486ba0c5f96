import type { Presence } from '@truceline/shared';
import type { TrucelineServer } from './types.js';

/** Long enough for a process under load to answer; a dead one is dropped by the adapter's heartbeat meanwhile. */
const ASK_TIMEOUT_MS = 3_000;

/**
 * Everyone online on every process, asked through the adapter (`fetchSockets()`: each process
 * answers with its sockets' data). Chosen over a presence hash in Redis kept alive by TTLs: the
 * answer is the sockets themselves, so it cannot go stale, needs no expiry tuning and forgets a
 * killed process as soon as the adapter's heartbeat does; its cost (one request to every process)
 * is paid at most once per presence interval, since updates are coalesced.
 */
export function clusterPresence(io: TrucelineServer): () => Promise<Presence> {
  return async () => {
    const sockets = await io.timeout(ASK_TIMEOUT_MS).fetchSockets();
    const online = new Map<string, Presence['online'][number]>();
    for (const { data } of sockets) {
      const user = data.user;
      if (user) online.set(user.id, { userId: user.id, username: user.username, role: user.role });
    }
    return { online: [...online.values()].sort((a, b) => a.username.localeCompare(b.username)) };
  };
}
