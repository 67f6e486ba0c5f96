import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineConnectionCap, type SharedConnectionCounts } from './engine-connection-cap.js';

/** An engine.io connection stand-in: its request names the address, `close` ends it. */
class FakeSocket extends EventEmitter {
  readonly closes: (boolean | undefined)[] = [];
  constructor(readonly request: IncomingMessage) {
    super();
  }
  close(discard?: boolean): void {
    this.closes.push(discard);
    this.emit('close');
  }
}

const request = (address: string) => ({ address }) as unknown as IncomingMessage;
const addressOf = (req: IncomingMessage) => (req as unknown as { address: string }).address;

function setUp(max: number, signInWithinMs = 10_000) {
  const engine = new EventEmitter();
  const cap = new EngineConnectionCap(max, addressOf);
  cap.count(engine, signInWithinMs);
  const open = (address: string) => {
    const socket = new FakeSocket(request(address));
    engine.emit('connection', socket);
    return socket;
  };
  const allowed = (address: string) =>
    new Promise<{ err: string | null | undefined; ok: boolean }>((resolve) =>
      cap.guard((_req, callback) => callback(null, true))(request(address), (err, ok) => resolve({ err, ok })),
    );
  return { cap, open, allowed };
}

describe('EngineConnectionCap', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('admits handshakes past the cap up to twice it, then refuses with the reason, and admits others', async () => {
    const { open, allowed } = setUp(2);
    for (let i = 0; i < 3; i++) open('a');
    expect(await allowed('a')).toEqual({ err: null, ok: true });
    open('a');
    expect(await allowed('a')).toEqual({ err: 'Too many connections from a: at most 2 at a time (MAX_CONNECTIONS_PER_IP).', ok: false });
    expect(await allowed('b')).toEqual({ err: null, ok: true });
  });

  it('refuses the sign-in on a connection past the cap, and closes one that got past twice it', () => {
    const { cap, open } = setUp(1);
    const first = open('a');
    const second = open('a');
    const third = open('a');
    expect(cap.refusesSignIn(first)).toBe(false);
    expect(cap.refusesSignIn(second)).toBe(true);
    expect([first.closes, second.closes]).toEqual([[], []]);
    expect(third.closes).toHaveLength(1);
    expect(cap.countOf('a')).toBe(2);
  });

  it('frees the slot when a connection closes', async () => {
    const { cap, open, allowed } = setUp(1);
    const socket = open('a');
    socket.close();
    expect(cap.countOf('a')).toBe(0);
    expect((await allowed('a')).ok).toBe(true);
  });

  it('discards a connection not signed in within the deadline, and keeps one that signed in', () => {
    const { cap, open } = setUp(0, 1_000);
    const idle = open('a');
    const signed = open('a');
    cap.signedIn(signed);
    vi.advanceTimersByTime(1_000);
    expect(idle.closes).toEqual([true]);
    expect(signed.closes).toEqual([]);
    expect(cap.countOf('a')).toBe(1);
  });

  it('with a cap of 0 admits any number', async () => {
    const { open, allowed } = setUp(0);
    for (let i = 0; i < 100; i++) open('a');
    expect((await allowed('a')).ok).toBe(true);
  });
});

describe('EngineConnectionCap with counts shared across processes', () => {
  /** Another process holds `elsewhere` connections from each address; `failing` makes every call reject (Redis away). */
  function shared(elsewhere: number, failing = false): SharedConnectionCounts & { open: Map<string, Set<string>> } {
    const open = new Map<string, Set<string>>();
    const of = (address: string) => open.get(address) ?? open.set(address, new Set()).get(address)!;
    return {
      open,
      opened: (address, id) => (failing ? Promise.reject(new Error('down')) : Promise.resolve(of(address).add(id).size + elsewhere)),
      closed: (address, id) => void of(address).delete(id),
      countOf: (address) => (failing ? Promise.reject(new Error('down')) : Promise.resolve(of(address).size + elsewhere)),
    };
  }
  const setUpShared = (max: number, counts: SharedConnectionCounts) => {
    const engine = new EventEmitter();
    const cap = new EngineConnectionCap(max, addressOf, undefined, counts);
    cap.count(engine, 10_000);
    const open = (address: string) => {
      const socket = new FakeSocket(request(address));
      engine.emit('connection', socket);
      return socket;
    };
    const allowed = (address: string) =>
      new Promise<boolean>((resolve) => cap.guard((_req, callback) => callback(null, true))(request(address), (_err, ok) => resolve(ok)));
    return { cap, open, allowed };
  };

  it('counts the connections other processes hold: the sign-in past the cap is refused here, and the handshake at twice it', async () => {
    const counts = shared(2);
    const { cap, open, allowed } = setUpShared(2, counts);
    const first = open('a');
    expect(await cap.refusesSignIn(first)).toBe(true);
    expect(await allowed('a')).toBe(true);
    open('a');
    expect(await allowed('a')).toBe(false);
    expect(await allowed('b')).toBe(true);
    first.close();
    expect(counts.open.get('a')?.size).toBe(1);
  });

  it('falls back to this process\'s own count while the shared one fails', async () => {
    const { cap, open, allowed } = setUpShared(1, shared(5, true));
    expect(await cap.refusesSignIn(open('a'))).toBe(false);
    expect(await cap.refusesSignIn(open('a'))).toBe(true);
    expect(await allowed('a')).toBe(false);
  });
});
