import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@truceline/server';
import { type TestAccount as Account, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { isoSeconds, minutesAgo } from '../support/time.js';

/** More than one export chunk (500): the later pages are read after the test's commits. */
const BEFORE = 620;

describe('an export while reports are committed', () => {
  let server: TestServer;
  let monitor: Account;
  let coordinator: Account;
  // The export's first page is read, then it waits here: whatever commits meanwhile is
  // certainly committed before its later pages are read, however fast the machine.
  let firstPageRead: () => void = () => undefined;
  const firstPage = new Promise<void>((resolve) => (firstPageRead = resolve));
  let letItGoOn: () => void = () => undefined;
  const goOn = new Promise<void>((resolve) => (letItGoOn = resolve));

  const wrapStore = (store: Store): Store => {
    const stream = store.streamReports.bind(store);
    store.streamReports = async function* (filter, chunkSize) {
      let pages = 0;
      for await (const chunk of stream(filter, chunkSize)) {
        yield chunk;
        if (++pages === 1) {
          firstPageRead();
          await goOn;
        }
      }
    };
    return store;
  };

  const post = (body: unknown) => api(server.url, 'POST', '/api/reports', { token: monitor.token, body });

  beforeAll(async () => {
    server = await startServer({ wrapStore });
    [monitor, coordinator] = await createUsers(server, ['monitor', 'coordinator'] as const);
  });
  afterAll(() => server.close());

  it('holds exactly the reports committed before it began, and other reads see the new ones meanwhile', async () => {
    const before = Array.from({ length: BEFORE }, (_, i) => makeReport({ observedAt: isoSeconds(minutesAgo(60 + i)) }));
    for (let i = 0; i < before.length; i += 100) {
      const answers = await Promise.all(before.slice(i, i + 100).map(post));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    }

    const exporting = fetch(`${server.url}/api/export.geojson`, { headers: { authorization: `Bearer ${coordinator.token}` } }).then((res) => res.text());
    await firstPage;
    // Older than everything: in list order these fall on the pages not read yet. Newer: on the page already sent.
    const during = [
      ...Array.from({ length: 30 }, (_, i) => makeReport({ observedAt: isoSeconds(minutesAgo(60 * 24 + i)) })),
      ...Array.from({ length: 5 }, () => makeReport({ observedAt: isoSeconds(minutesAgo(1)) })),
    ];
    for (const body of during) expect((await post(body)).status).toBe(201);
    // The export's snapshot is its own: the shared reader already answers with the new reports.
    expect((await api(server.url, 'GET', `/api/reports/${during[0]!.id}`, { token: coordinator.token })).status).toBe(200);
    letItGoOn();

    const collection = JSON.parse(await exporting) as { features: { id: string }[] };
    const ids = collection.features.map((f) => f.id);
    expect(ids).toHaveLength(BEFORE);
    expect(new Set(ids)).toEqual(new Set(before.map((r) => r.id)));

    // The next export begins after those commits and holds them all.
    const next = await fetch(`${server.url}/api/export.geojson`, { headers: { authorization: `Bearer ${coordinator.token}` } });
    expect((JSON.parse(await next.text()) as { features: unknown[] }).features).toHaveLength(BEFORE + during.length);
  });
});
