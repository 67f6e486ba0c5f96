import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_EVENTS, openApiDocument } from '@truceline/shared/api-description';
import type { ServerToClientEvents } from '@truceline/shared';
import { type TestAccount, type TestServer, api, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, collect, connect, connectError, emitAck } from '../support/sockets.js';
import { makeReport } from '../support/reports.js';

type Json = Record<string, unknown>;
interface EventDoc {
  payload: Json;
  ack?: Json;
}

/**
 * What the server sends and acknowledges on Socket.IO matches the `x-socketio-events` section
 * of `GET /api/openapi.json`, checked against the served document and against the same
 * document with closed objects (a field the description does not name fails).
 */
describe('the published Socket.IO events', () => {
  let server: TestServer;
  let monitor: TestAccount;
  let coordinator: TestAccount;
  let spare: TestAccount;
  const docs: Json[] = [];
  const open: ClientSocket[] = [];
  const sampled = new Set<string>();
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);

  function eventDoc(doc: Json, direction: 'serverToClient' | 'clientToServer', event: string): EventDoc {
    const found = ((doc['x-socketio-events'] as Json)[direction] as Record<string, EventDoc>)[event];
    expect(found, `${direction} ${event} is not documented`).toBeDefined();
    return found!;
  }

  function expectMatches(schema: Json, value: unknown, where: string): void {
    const validate = ajv.compile(schema);
    expect(validate(value), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }

  function expectPayload(event: keyof ServerToClientEvents, value: unknown): void {
    for (const doc of docs) expectMatches(eventDoc(doc, 'serverToClient', event).payload, value, event);
    sampled.add(`serverToClient ${event}`);
  }

  /** Emits `payload`; the document must accept it when `valid` and refuse it when not, and describe the ack either way. */
  async function expectAck(socket: ClientSocket, event: 'report:submit' | 'reports:submit' | 'reports:sync', payload: unknown, valid = true): Promise<unknown> {
    for (const doc of docs) {
      const validate = ajv.compile(eventDoc(doc, 'clientToServer', event).payload);
      expect(validate(payload), `${event} argument ${valid ? 'refused' : 'accepted'} by the document`).toBe(valid);
    }
    const ack = await emitAck(socket, event, payload as never);
    for (const doc of docs) expectMatches(eventDoc(doc, 'clientToServer', event).ack!, ack, `${event} ack`);
    sampled.add(`clientToServer ${event}`);
    return ack;
  }

  beforeAll(async () => {
    server = await startServer();
    [monitor, coordinator, spare] = await createUsers(server, ['monitor', 'coordinator', 'monitor'] as const);
    const res = await api<Json>(server.url, 'GET', '/api/openapi.json');
    docs.push(res.body, openApiDocument({ closed: true }));
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await server?.close();
  });

  it('describes every event of both maps, with a payload schema, and an ack schema for client events', () => {
    for (const doc of docs) {
      const section = doc['x-socketio-events'] as Record<string, Record<string, EventDoc>>;
      expect(Object.keys(section.serverToClient!).sort()).toEqual(Object.keys(SOCKET_EVENTS.serverToClient).sort());
      expect(Object.keys(section.clientToServer!).sort()).toEqual(Object.keys(SOCKET_EVENTS.clientToServer).sort());
      for (const event of Object.values(section.clientToServer!)) expect(event.ack).toBeTypeOf('object');
    }
  });

  it('matches the handshake refusal, what the server emits and what it acknowledges', async () => {
    const refused = await connectError(server.url, { token: 'not-a-session-token' });
    for (const doc of docs) expectMatches(((doc['x-socketio-events'] as Json).handshake as Json).connectErrorData as Json, refused.data, 'connect_error data');

    const watcher = await connect(server.url, coordinator.token);
    open.push(watcher.socket);
    expectPayload('hello', watcher.hello);
    const fresh = collect(watcher.socket, 'reports:new');
    const updated = collect(watcher.socket, 'report:updated');
    const incidents = collect(watcher.socket, 'incident:updated');
    const areas = collect(watcher.socket, 'area:updated');
    const presence = collect(watcher.socket, 'presence:update');

    const submitter = await connect(server.url, monitor.token, () => undefined, { auth: { token: monitor.token, live: 'commit' } });
    open.push(submitter.socket);
    expectPayload('hello', submitter.hello);
    const commits = collect(submitter.socket, 'commit');
    const own = collect(submitter.socket, 'commit:own');

    const report = makeReport();
    await expectAck(submitter.socket, 'report:submit', report);
    await expectAck(submitter.socket, 'report:submit', report);
    await expectAck(submitter.socket, 'report:submit', { ...makeReport(), location: { lon: 200, lat: 0 } }, false);
    await expectAck(submitter.socket, 'reports:submit', [makeReport(), makeReport()]);
    await expectAck(submitter.socket, 'reports:submit', [makeReport(), { ...makeReport(), method: 'smelled' }], false);
    await expectAck(submitter.socket, 'reports:sync', { afterSeq: 0, limit: 10 });
    await expectAck(submitter.socket, 'reports:sync', { afterSeq: -1 }, false);

    expectPayload('reports:new', await fresh.until((list) => list.some((r) => r.id === report.id)));
    expectPayload('incident:updated', await incidents.until());
    expectPayload('area:updated', await areas.until());
    expectPayload('commit', await commits.until((c) => (c.reports ?? []).some((r) => r.id === report.id)));
    expectPayload('commit:own', await own.until((c) => (c.reports ?? []).some((r) => r.id === report.id)));
    expectPayload('presence:update', await presence.until((p) => p.online.some((u) => u.userId === monitor.user.id)));

    const review = await api(server.url, 'PATCH', `/api/reports/${report.id}`, { token: coordinator.token, body: { status: 'verified' } });
    expect(review.status).toBe(200);
    expectPayload('report:updated', await updated.until((r) => r.id === report.id && r.status === 'verified'));

    const leaving = await connect(server.url, spare.token);
    open.push(leaving.socket);
    const ended = collect(leaving.socket, 'session:ended');
    // An admin's password reset ends the user's sessions with `session:ended` (a logout only disconnects).
    const reset = await api(server.url, 'PATCH', `/api/users/${spare.user.id}`, { token: server.adminToken, body: { password: 'a-reset-passphrase-77' } });
    expect(reset.status).toBe(200);
    expectPayload('session:ended', await ended.until());
  });

  it('has sampled every documented event but seq:head', () => {
    // `seq:head` comes every 10 s of real time; its one-field payload is checked by type only.
    const all = [
      ...Object.keys(SOCKET_EVENTS.serverToClient).map((e) => `serverToClient ${e}`),
      ...Object.keys(SOCKET_EVENTS.clientToServer).map((e) => `clientToServer ${e}`),
    ];
    expect(all.filter((e) => !sampled.has(e))).toEqual(['serverToClient seq:head']);
  });
});
