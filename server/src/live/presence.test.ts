import { afterEach, describe, expect, it } from 'vitest';
import type { Presence, User } from '@truceline/shared';
import { type PresenceSource, PresenceTracker } from './presence.js';

const user = (id: string, username: string): User => ({ id, username, role: 'monitor' }) as User;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** A source whose answer the test sets, counting announcements. */
function source(everywhere: () => Promise<Presence>): PresenceSource & { announced: number } {
  const s = { announced: 0, everyone: everywhere, announce: () => void s.announced++ };
  return s;
}

describe('PresenceTracker', () => {
  const trackers: PresenceTracker[] = [];
  afterEach(() => {
    for (const t of trackers.splice(0)) t.close();
  });

  it('sends the list from every process when it has a source, after a change seen here, and announces the change once', async () => {
    const sent: Presence[] = [];
    const everywhere: Presence = { online: [{ userId: 'x', username: 'on-another-process', role: 'monitor' }] };
    const src = source(() => Promise.resolve(everywhere));
    const tracker = new PresenceTracker((p) => sent.push(p), 0, src);
    trackers.push(tracker);
    tracker.join(user('a', 'here'));
    tracker.join(user('b', 'here too'));
    await until(() => sent.length > 0);
    expect(sent).toEqual([everywhere]);
    expect(src.announced).toBe(1);
    expect(await tracker.current()).toEqual(everywhere);
  });

  it('falls back to its own sockets when the other processes cannot be asked', async () => {
    const sent: Presence[] = [];
    const tracker = new PresenceTracker((p) => sent.push(p), 0, source(() => Promise.reject(new Error('redis away'))));
    trackers.push(tracker);
    tracker.join(user('a', 'here'));
    await until(() => sent.length > 0);
    expect(sent).toEqual([{ online: [{ userId: 'a', username: 'here', role: 'monitor' }] }]);
  });

  it('sends a list worked out again only when it changed, and does not announce changes made elsewhere', async () => {
    const sent: Presence[] = [];
    let everywhere: Presence = { online: [{ userId: 'x', username: 'x', role: 'monitor' }] };
    const src = source(() => Promise.resolve(everywhere));
    const tracker = new PresenceTracker((p) => sent.push(p), 0, src);
    trackers.push(tracker);
    tracker.changedElsewhere();
    await until(() => sent.length > 0);
    tracker.changedElsewhere();
    await settle();
    expect(sent).toHaveLength(1);
    everywhere = { online: [] };
    tracker.changedElsewhere();
    await until(() => sent.length > 1);
    expect(sent).toEqual([{ online: [{ userId: 'x', username: 'x', role: 'monitor' }] }, { online: [] }]);
    expect(src.announced).toBe(0);
  });

  it('sends the next list even if unchanged once a coordinator was given one directly', async () => {
    const sent: Presence[] = [];
    const everywhere: Presence = { online: [] };
    const tracker = new PresenceTracker((p) => sent.push(p), 0, source(() => Promise.resolve(everywhere)));
    trackers.push(tracker);
    tracker.changedElsewhere();
    await until(() => sent.length > 0);
    await tracker.current();
    tracker.changedElsewhere();
    await until(() => sent.length > 1);
    expect(sent).toHaveLength(2);
  });

  it('announces and sends a change made here while a list was being worked out', async () => {
    const sent: Presence[] = [];
    const pending: ((others: Presence) => void)[] = [];
    let announced = 0;
    const tracker: PresenceTracker = new PresenceTracker((p) => sent.push(p), 0, {
      everyone: () => new Promise((resolve) => pending.push((others) => resolve({ online: [...tracker.snapshot().online, ...others.online] }))),
      announce: () => void announced++,
    });
    trackers.push(tracker);
    tracker.changedElsewhere();
    await until(() => pending.length === 1);
    // A monitor joins here while the other processes are being asked: the list being worked out
    // happens to include them, but the others have not been told.
    tracker.join(user('m', 'mon'));
    pending[0]?.({ online: [] });
    await until(() => pending.length === 2);
    expect(announced).toBe(1);
    pending[1]?.({ online: [] });
    await settle();
    expect(sent).toEqual([{ online: [{ userId: 'm', username: 'mon', role: 'monitor' }] }]);
  });

  it('without a source, sends this process’s own list on each change', async () => {
    const sent: Presence[] = [];
    const tracker = new PresenceTracker((p) => sent.push(p), 0);
    trackers.push(tracker);
    tracker.join(user('a', 'alice'));
    await until(() => sent.length > 0);
    tracker.leave('a');
    await until(() => sent.length > 1);
    expect(sent).toEqual([{ online: [{ userId: 'a', username: 'alice', role: 'monitor' }] }, { online: [] }]);
  });
});
