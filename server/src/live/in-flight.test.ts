import { describe, expect, it } from 'vitest';
import { InFlight, quiesce } from './in-flight.js';

describe('InFlight', () => {
  it('counts work until it settles, failures included', async () => {
    const inFlight = new InFlight();
    let finish!: () => void;
    const running = inFlight.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const failing = inFlight.run(() => Promise.reject(new Error('refused')));
    expect(inFlight.count).toBe(2);
    await expect(failing).rejects.toThrow('refused');
    expect(inFlight.count).toBe(1);
    finish();
    await running;
    expect(inFlight.count).toBe(0);
  });

  it('ends a begun count once, however often it is ended', () => {
    const inFlight = new InFlight();
    const end = inFlight.begin();
    end();
    end();
    expect(inFlight.count).toBe(0);
  });
});

describe('quiesce', () => {
  it('waits while work is in flight and for a few quiet turns after', async () => {
    const inFlight = new InFlight();
    const end = inFlight.begin();
    let settled = false;
    const done = quiesce(() => inFlight.count > 0, { maxMs: 10_000 }).then(() => (settled = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    end();
    await done;
    expect(settled).toBe(true);
  });

  it('gives up at its deadline', async () => {
    const started = Date.now();
    await quiesce(() => true, { maxMs: 30 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
  });
});
