import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Report } from '@truceline/shared';
import type { OutboxItem } from './outbox-machine';

/** A page of the report cache: up to a few hundred reports in one record (see `report-cache.ts`). */
export interface ReportPage {
  key: number;
  reports: Report[];
}

interface TrucelineDb extends DBSchema {
  outbox: { key: string; value: OutboxItem };
  /** Version 1's report cache, one record per report; read once and emptied by version 2's cache. */
  reports: { key: string; value: Report };
  reportPages: { key: number; value: ReportPage };
  meta: { key: string; value: { key: string; value: unknown } };
}

export type DeviceDb = IDBPDatabase<TrucelineDb>;

const DB_NAME = 'truceline';
let opening: Promise<DeviceDb> | undefined;

/** The device's database: the outbox (never lost), and a cache of reports for offline reading. */
export function deviceDb(): Promise<DeviceDb> {
  opening ??= openDB<TrucelineDb>(DB_NAME, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('outbox', { keyPath: 'id' });
        db.createObjectStore('reports', { keyPath: 'id' });
        db.createObjectStore('meta', { keyPath: 'key' });
      }
      // Version 2: the report cache in pages (one record per report cost a write each).
      if (oldVersion < 2) db.createObjectStore('reportPages', { keyPath: 'key' });
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
