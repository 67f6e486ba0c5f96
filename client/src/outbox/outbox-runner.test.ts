import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { ReportInputDraft, SubmitResult } from '@truceline/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReport } from '../test/fixtures';
import { closeDeviceDb, deviceDb } from './device-db';
import { OutboxRunner } from './outbox-runner';
import { useOutbox } from './outbox-store';

const USER = { id: 'u1', username: 'monitor1' };

function draft(n: number): ReportInputDraft & { id: string } {
  return {
    id: `0190f3a2-0000-7000-8000-${String(n).padStart(12, '0')}`,
    category: 'shelling',
    observedAt: '2026-03-01T12:00:00Z',
    method: 'heard',
    location: { lon: 37.8, lat: 48 },
  };
}

/** A server stand-in that accepts every report and remembers what it got. */
function acceptingServer() {
  const received: ReportInputDraft[] = [];
  const send = vi.fn(async (drafts: ReportInputDraft[]): Promise<SubmitResult[]> => {
    received.push(...drafts);
    return drafts.map((d, i) => ({ ok: true, duplicate: false, report: createReport({ id: d.id ?? '', seq: received.length + i }) }));
  });
  return { send, received };
}

let runner: OutboxRunner | undefined;

beforeEach(async () => {
  await closeDeviceDb();
  globalThis.indexedDB = new IDBFactory();
  useOutbox.setState({ items: {}, loaded: false });
  await useOutbox.getState().load();
});

afterEach(() => runner?.stop());

describe('outbox runner', () => {
  it('sends saved reports and marks them confirmed, in IndexedDB too', async () => {
    await useOutbox.getState().add(draft(1), USER);
    const server = acceptingServer();
    const confirmed = vi.fn();
    runner = new OutboxRunner({ send: server.send, connected: () => true, userId: USER.id, onConfirmed: confirmed });
    await runner.flush();
    expect(server.received.map((d) => d.id)).toEqual([draft(1).id]);
    expect(useOutbox.getState().items[draft(1).id]?.state).toBe('confirmed');
    expect(confirmed).toHaveBeenCalledOnce();
    const stored = await (await deviceDb()).get('outbox', draft(1).id);
    expect(stored?.state).toBe('confirmed');
  });

  it('keeps reports queued when the transport fails, and resends them with the same ids', async () => {
    await useOutbox.getState().add(draft(1), USER);
    await useOutbox.getState().add(draft(2), USER);
    const failing = vi.fn(async (): Promise<SubmitResult[]> => {
      throw new Error('timeout');
    });
    runner = new OutboxRunner({ send: failing, connected: () => true, userId: USER.id, onConfirmed: () => undefined });
    await runner.flush();
    expect(Object.values(useOutbox.getState().items).map((i) => i.state)).toEqual(['saved', 'saved']);
    runner.stop();

    const server = acceptingServer();
    runner = new OutboxRunner({ send: server.send, connected: () => true, userId: USER.id, onConfirmed: () => undefined });
    await runner.flush();
    expect(server.received.map((d) => d.id)).toEqual([draft(1).id, draft(2).id]);
    expect(Object.values(useOutbox.getState().items).every((i) => i.state === 'confirmed' && i.attempts === 2)).toBe(true);
  });

  it('shows the server reason of a rejected report and does not resend it by itself', async () => {
    await useOutbox.getState().add(draft(1), USER);
    const send = vi.fn(async (): Promise<SubmitResult[]> => [{ ok: false, error: { code: 'invalid', message: 'category: Invalid option' } }]);
    runner = new OutboxRunner({ send, connected: () => true, userId: USER.id, onConfirmed: () => undefined });
    await runner.flush();
    await runner.flush();
    const item = useOutbox.getState().items[draft(1).id];
    expect(item?.state).toBe('failed');
    expect(item?.error?.message).toBe('category: Invalid option');
    expect(send).toHaveBeenCalledOnce();
  });

  it('sends a report as soon as it is saved while connected', async () => {
    const server = acceptingServer();
    runner = new OutboxRunner({ send: server.send, connected: () => true, userId: USER.id, onConfirmed: () => undefined });
    await useOutbox.getState().add(draft(7), USER);
    await vi.waitFor(() => expect(useOutbox.getState().items[draft(7).id]?.state).toBe('confirmed'));
  });

  it('does not try to send without a connection: reports stay saved, untouched', async () => {
    await useOutbox.getState().add(draft(1), USER);
    const server = acceptingServer();
    runner = new OutboxRunner({ send: server.send, connected: () => false, userId: USER.id, onConfirmed: () => undefined });
    await runner.flush();
    expect(server.send).not.toHaveBeenCalled();
    expect(useOutbox.getState().items[draft(1).id]).toMatchObject({ state: 'saved', attempts: 0 });
  });

  it('leaves reports of another account alone', async () => {
    await useOutbox.getState().add(draft(1), { id: 'u2', username: 'other' });
    const server = acceptingServer();
    runner = new OutboxRunner({ send: server.send, connected: () => true, userId: USER.id, onConfirmed: () => undefined });
    await runner.flush();
    expect(server.send).not.toHaveBeenCalled();
  });

  it('puts a report caught mid-send by a closed page back in the queue on the next load', async () => {
    await useOutbox.getState().add(draft(1), USER);
    await useOutbox.getState().dispatch(draft(1).id, { type: 'send', at: 1 });
    useOutbox.setState({ items: {}, loaded: false });
    await useOutbox.getState().load();
    expect(useOutbox.getState().items[draft(1).id]?.state).toBe('saved');
  });

  it('sends what the outbox holds once it is read from the device, if the connection came up first', async () => {
    // A rate-limited report whose wait is over: due, though not newly saved.
    await useOutbox.getState().add(draft(2), USER);
    await useOutbox.getState().dispatch(draft(2).id, { type: 'send', at: 1 });
    await useOutbox.getState().dispatch(draft(2).id, { type: 'rejected', at: 2, error: { code: 'rate_limited', message: 'slow down', retryAfterMs: 1 } });
    expect(useOutbox.getState().items[draft(2).id]?.state).toBe('failed');
    // The page reloads: the runner starts (connected) before the outbox is read back.
    useOutbox.setState({ items: {}, loaded: false });
    const server = acceptingServer();
    runner = new OutboxRunner({ send: server.send, connected: () => true, userId: USER.id, onConfirmed: () => undefined, now: () => 10_000 });
    await runner.flush();
    expect(server.send).not.toHaveBeenCalled();
    await useOutbox.getState().load();
    await vi.waitFor(() => expect(server.received.map((d) => d.id)).toEqual([draft(2).id]));
  });
});
