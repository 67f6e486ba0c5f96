import { describe, expect, it } from 'vitest';
import { HashGate } from './hash-gate.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('HashGate', () => {
  it('never runs more than its cap at once, and runs every queued task in turn', async () => {
    let peak = 0;
    const gate = new HashGate(2, 10);
    gate.observe((running) => (peak = Math.max(peak, running)));
    const releases = Array.from({ length: 8 }, deferred);
    const started: number[] = [];
    const done = releases.map((d, i) =>
      gate.run(async () => {
        started.push(i);
        await d.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const d of releases) d.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(2);
  });

  it('refuses at once with rate_limited when the queue is full', async () => {
    const gate = new HashGate(1, 1);
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    const second = gate.run(() => Promise.resolve('queued'));
    await expect(gate.run(() => Promise.resolve('refused'))).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 1_000 });
    hold.resolve();
    await first;
    expect(await second).toBe('queued');
  });

  it('frees the slot when a task fails', async () => {
    const gate = new HashGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve(1))).toBe(1);
  });
});
