import type { Presence } from '@truceline/shared';
import type { PresenceSource } from './presence.js';
import type { TrucelineServer } from './types.js';

/** Server-to-server: "send me your list" (answered with the process's own, `PresenceTracker.snapshot`). */
export const PRESENCE_ASK = 'truceline:presence';
/** Server-to-server: "who is online changed here": the others ask again and tell their coordinators. */
export const PRESENCE_CHANGED = 'truceline:presence-changed';

/**
 * Everyone online on every process: this process's own list and each other's, asked with one
 * server-side emit that every process answers with its compact list (a user once, however many
 * sockets). Chosen over a presence hash in Redis kept alive by TTLs: the answers come from the
 * processes holding the sockets, so they cannot go stale, and a killed process stops counting as
 * soon as its Redis subscription is gone. It replaced `fetchSockets()`, whose answer carries every
 * socket's whole handshake: a megabyte a time with a thousand sockets. A process that does not
 * answer within the adapter's timeout (5 s) is left out; with Redis away the list is this
 * process's own.
 */
export function clusterPresence(io: TrucelineServer, own: () => Presence): PresenceSource {
  return {
    everyone: () =>
      new Promise((resolve) => {
        const answered = (_error: Error | null, answers: Presence[] | undefined) => resolve(merge([own(), ...(answers ?? [])]));
        // Through the adapter itself: `io.serverSideEmit` drops the promise, whose rejection
        // (Redis away: the adapter cannot count the processes) would go unhandled.
        Promise.resolve(io.of('/').adapter.serverSideEmit([PRESENCE_ASK, answered]) as unknown).catch(() => answered(null, []));
      }),
    announce: () => io.serverSideEmit(PRESENCE_CHANGED),
  };
}

/** Lets the other processes ask this one's list and tell it theirs changed. */
export function answerPresence(io: TrucelineServer, tracker: { snapshot(): Presence; changedElsewhere(): void }): void {
  io.on(PRESENCE_ASK, (answer) => answer(tracker.snapshot()));
  io.on(PRESENCE_CHANGED, () => tracker.changedElsewhere());
}

function merge(lists: readonly Presence[]): Presence {
  const online = new Map<string, Presence['online'][number]>();
  for (const list of lists) for (const entry of list?.online ?? []) online.set(entry.userId, entry);
  return { online: [...online.values()].sort((a, b) => a.username.localeCompare(b.username)) };
}
