import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Report } from '@truceline/shared';
import type { OutboxItem } from './outbox-machine';

interface TrucelineDb extends DBSchema {
  outbox: { key: string; value: OutboxItem };
  reports: { key: string; value: Report };
  meta: { key: string; value: { key: string; value: unknown } };
}

export type DeviceDb = IDBPDatabase<TrucelineDb>;

const DB_NAME = 'truceline';
let opening: Promise<DeviceDb> | undefined;

/** The device's database: the outbox (never lost), and a cache of reports for offline reading. */
export function deviceDb(): Promise<DeviceDb> {
  opening ??= openDB<TrucelineDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' });
      db.createObjectStore('reports', { keyPath: 'id' });
      db.createObjectStore('meta', { keyPath: 'key' });
    },
  });
  return opening;
}

/** Closes the connection (tests open a fresh fake database per test). */
export async function closeDeviceDb(): Promise<void> {
  const db = await opening;
  db?.close();
  opening = undefined;
}
