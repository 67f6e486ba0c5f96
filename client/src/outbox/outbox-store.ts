import type { ReportInputDraft } from '@truceline/shared';
import { create } from 'zustand';
import { deviceDb } from './device-db';
import { createOutboxItem, transition, type OutboxEvent, type OutboxItem } from './outbox-machine';

/** Confirmed reports stay listed this long, so the monitor sees them go through. */
const KEEP_CONFIRMED_MS = 24 * 3_600_000;

export interface OutboxStoreState {
  items: Readonly<Record<string, OutboxItem>>;
  loaded: boolean;
  /** Loads the outbox from IndexedDB; reports caught mid-send when the page closed go back to the queue. */
  load(): Promise<void>;
  /** Writes the report to IndexedDB first; it is in the outbox only once that write has committed. */
  add(draft: ReportInputDraft & { id: string }, user: { id: string; username: string }): Promise<OutboxItem>;
  /** Applies an event and persists the new state. */
  dispatch(id: string, event: OutboxEvent): Promise<OutboxItem | undefined>;
  discard(id: string): Promise<void>;
}

export const useOutbox = create<OutboxStoreState>((set, get) => ({
  items: {},
  loaded: false,
  async load() {
    const db = await deviceDb();
    const all = await db.getAll('outbox');
    const now = Date.now();
    const items: Record<string, OutboxItem> = {};
    const tx = db.transaction('outbox', 'readwrite');
    for (const stored of all) {
      if (stored.state === 'confirmed' && now - stored.updatedAt > KEEP_CONFIRMED_MS) {
        void tx.store.delete(stored.id);
        continue;
      }
      const item = stored.state === 'sending' ? transition(stored, { type: 'lost', at: now }) : stored;
      if (item !== stored) void tx.store.put(item);
      items[item.id] = item;
    }
    await tx.done;
    set({ items, loaded: true });
  },
  async add(draft, user) {
    const item = createOutboxItem(draft, user, Date.now());
    const db = await deviceDb();
    await db.put('outbox', item);
    set({ items: { ...get().items, [item.id]: item } });
    return item;
  },
  async dispatch(id, event) {
    const held = get().items[id];
    if (!held) return undefined;
    const next = transition(held, event);
    if (next === held) return held;
    set({ items: { ...get().items, [id]: next } });
    const db = await deviceDb();
    await db.put('outbox', next);
    return next;
  },
  async discard(id) {
    const db = await deviceDb();
    await db.delete('outbox', id);
    const { [id]: _gone, ...rest } = get().items;
    set({ items: rest });
  },
}));
