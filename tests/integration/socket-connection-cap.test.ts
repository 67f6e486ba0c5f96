import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, createUsers, startServer } from '../support/server.js';
import { type ClientSocket, connect, connectError, disconnected } from '../support/sockets.js';
import { engineHandshake, enginePoll } from '../support/engine.js';
import { expectErrorBody } from '../support/errors.js';

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

  it('refuses bare handshakes at twice the cap with 403, and frees the slots of connections that never sign in', async () => {
    const idle = await engineHandshake(bare.url);
    const watched = await engineHandshake(bare.url);
    const past = [await engineHandshake(bare.url), await engineHandshake(bare.url)];
    expect([idle, watched, ...past].map((h) => h.status)).toEqual([200, 200, 200, 200]);

    const fifth = await engineHandshake(bare.url);
    expect(fifth.status).toBe(403);
    expect(fifth.message).toMatch(/Too many connections from 127\.0\.0\.1: at most 2 at a time \(MAX_CONNECTIONS_PER_IP\)/);

    // `idle` never polls (a polling connection that does not poll used to keep its slot for
    // engine.io's 30 s close timeout on top of the connect timeout). `watched` polls, so its
    // close is seen: the server ends it when it has not signed in by its deadline.
    const packets = await enginePoll(bare.url, watched.sid!);
    expect(packets === 'cut' || packets.startsWith('1'), packets).toBe(true);

    // Every bare connection has been dropped by now (`idle` opened first, the others with `watched`).
    await expect.poll(async () => (await engineHandshake(bare.url)).status, { timeout: 5_000 }).toBe(200);
  });

  it('counts signed-in Socket.IO connections too, refuses the next with rate_limited, and frees a slot when one disconnects', async () => {
    const first = await connect(signedIn.url, token);
    const second = await connect(signedIn.url, token);
    open.push(first.socket, second.socket);

    // The contract's refusal: `connect_error` with `data.error`, so a client can tell it from a network failure.
    const refused = await connectError(signedIn.url, { token });
    expectErrorBody(refused.data, 'rate_limited');
    expect(JSON.stringify(refused.data)).toMatch(/MAX_CONNECTIONS_PER_IP/);

    const gone = disconnected(first.socket);
    first.socket.close();
    await gone;
    // The server sees the close a moment after the client; nothing tells the client when.
    await expect.poll(async () => {
      const attempt = await connect(signedIn.url, token).catch(() => undefined);
      if (attempt) open.push(attempt.socket);
      return attempt !== undefined;
    }, { timeout: 5_000 }).toBe(true);
  });
});
