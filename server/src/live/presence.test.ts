import { afterEach, describe, expect, it } from 'vitest';
import type { Presence, User } from '@truceline/shared';
import { PresenceTracker } from './presence.js';

const user = (id: string, username: string): User => ({ id, username, role: 'monitor' }) as User;
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('PresenceTracker', () => {
  const trackers: PresenceTracker[] = [];
  afterEach(() => {
    for (const t of trackers.splice(0)) t.close();
  });

  it('sends the list from every process when it has a source, after a change seen here', async () => {
    const sent: Presence[] = [];
    const everywhere: Presence = { online: [{ userId: 'x', username: 'on-another-process', role: 'monitor' }] };
    const tracker = new PresenceTracker((p) => sent.push(p), 0, () => Promise.resolve(everywhere));
    trackers.push(tracker);
    tracker.join(user('a', 'here'));
    await until(() => sent.length > 0);
    expect(sent).toEqual([everywhere]);
    expect(await tracker.current()).toEqual(everywhere);
  });

  it('falls back to its own sockets when the other processes cannot be asked', async () => {
    const sent: Presence[] = [];
    const tracker = new PresenceTracker((p) => sent.push(p), 0, () => Promise.reject(new Error('redis away')));
    trackers.push(tracker);
    tracker.join(user('a', 'here'));
    await until(() => sent.length > 0);
    expect(sent).toEqual([{ online: [{ userId: 'a', username: 'here', role: 'monitor' }] }]);
  });
});
