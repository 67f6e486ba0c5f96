import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, disconnected } from '../support/sockets.js';
import { engineHandshake, enginePoll } from '../support/engine.js';

// MAX_CONNECTIONS_PER_IP counts engine.io connections, signed in or not, and one that does not
// sign in within SOCKET_CONNECT_TIMEOUT_MS is dropped (issue 9 §4).
describe('MAX_CONNECTIONS_PER_IP=2 at the engine.io connection', () => {
  const CONNECT_TIMEOUT_MS = 1_000;
  let bare: TestServer;
  let signedIn: TestServer;
  let token: string;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    [bare, signedIn] = await Promise.all([
      startServer({ env: { MAX_CONNECTIONS_PER_IP: '2', SOCKET_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) } }),
      startServer({ env: { MAX_CONNECTIONS_PER_IP: '2' } }),
    ]);
    [{ token }] = await createUsers(signedIn, ['monitor'] as const);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([bare.close(), signedIn.close()]);
  });

  it('refuses a third bare handshake with 403, and frees the slots of connections that never sign in', async () => {
    const idle = await engineHandshake(bare.url);
    const watched = await engineHandshake(bare.url);
    expect([idle.status, watched.status]).toEqual([200, 200]);

    const third = await engineHandshake(bare.url);
    expect(third.status).toBe(403);
    expect(third.message).toMatch(/Too many connections from 127\.0\.0\.1: at most 2 at a time \(MAX_CONNECTIONS_PER_IP\)/);

    // `idle` never polls (a polling connection that does not poll used to keep its slot for
    // engine.io's 30 s close timeout on top of the connect timeout). `watched` polls, so its
    // close is seen; it opened after `idle`, so `idle`'s deadline has passed by then.
    const startedAt = Date.now();
    const packets = await enginePoll(bare.url, watched.sid!);
    expect(packets === 'cut' || packets.startsWith('1'), packets).toBe(true);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);

    const again = [await engineHandshake(bare.url), await engineHandshake(bare.url)];
    expect(again.map((h) => h.status)).toEqual([200, 200]);
  });

  it('counts signed-in Socket.IO connections too, and frees a slot when one disconnects', async () => {
    const first = await connect(signedIn.url, token);
    const second = await connect(signedIn.url, token);
    open.push(first.socket, second.socket);

    expect((await engineHandshake(signedIn.url)).status).toBe(403);
    const refused = await connectError(signedIn.url, { token });
    expect(refused).toBeInstanceOf(Error);

    const gone = disconnected(first.socket);
    first.socket.close();
    await gone;
    // The server sees the close a moment after the client; nothing tells the client when.
    await expect.poll(async () => (await engineHandshake(signedIn.url)).status, { timeout: 5_000 }).toBe(200);
    // The new bare connection and `second` fill the cap again.
    expect((await engineHandshake(signedIn.url)).status).toBe(403);
  });
});
