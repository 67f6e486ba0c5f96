import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, login, tempDataDir } from '../support/server.js';
import { makeReport } from '../support/reports.js';
import { assertBuilt, type ServerProcess, startProcess } from './spawn.js';

// Engine.IO v4 over HTTP long-polling, spoken by hand: packets are `<type><data>` joined by the
// record separator; Socket.IO packets ride in engine `message` packets (type 4).
const SEPARATOR = '\x1e';
// What a proxy-bound client sends, and what made the race reproducible: compressed answers.
const HEADERS = { 'accept-encoding': 'gzip, deflate, br' };
const ROUNDS = 60;
const PARALLEL = 6;

interface Answer {
  status: number;
  text: string;
}

describe('the built server under raw Engine.IO long-polling', () => {
  let server: ServerProcess;
  let token: string;

  const poll = async (query: string, init: { method?: string; body?: string } = {}): Promise<Answer> => {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling${query}`, {
      ...init,
      headers: { ...HEADERS, ...(init.body !== undefined ? { 'content-type': 'text/plain;charset=UTF-8' } : {}) },
    });
    return { status: res.status, text: await res.text() };
  };
  const handshake = async (): Promise<string> => {
    const { status, text } = await poll('');
    expect(status).toBe(200);
    expect(text.startsWith('0')).toBe(true);
    return (JSON.parse(text.slice(1)) as { sid: string }).sid;
  };
  const packets = (answer: Answer) => answer.text.split(SEPARATOR);

  /** The process is alive, still serving HTTP and the API, and printed no crash. */
  const assertServing = async () => {
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
    expect(server.output()).not.toMatch(/ERR_HTTP_HEADERS_SENT|Uncaught|at .*node_modules/);
  };

  beforeAll(async () => {
    assertBuilt();
    server = await startProcess({ DATA_DIR: tempDataDir(), ADMIN_PASSWORD: 'admin-password-for-tests', RATE_LIMIT: '0', MAX_CONNECTIONS_PER_IP: '0' });
    token = (await login(server.url, 'admin', 'admin-password-for-tests')).token;
  });
  afterEach(assertServing);
  afterAll(async () => {
    // A clean, graceful exit proves nothing was left broken behind the answers.
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it(`runs ${ROUNDS} sessions: handshake, connect with and without a token racing a GET, a submission, close`, async () => {
    const round = async (i: number) => {
      const sid = await handshake();
      const auth = [{ token }, { token: 'not-a-token-but-long-enough-to-check' }, undefined][i % 3];
      // The connect packet and the long-poll GET on one sid at the same moment: the race
      // that wrote a response twice.
      const [posted, first] = await Promise.all([poll(`&sid=${sid}`, { method: 'POST', body: `40${auth ? JSON.stringify(auth) : ''}` }), poll(`&sid=${sid}`)]);
      expect(posted).toEqual({ status: 200, text: 'ok' });
      expect(first.status).toBe(200);
      if (auth?.token !== token) {
        // Refused: a CONNECT_ERROR carrying the contract's error, so a client can tell a bad token.
        const refusal = packets(first).find((p) => p.startsWith('44'));
        expect(JSON.parse(refusal!.slice(2))).toMatchObject({ data: { error: { code: 'unauthorized' } } });
        return;
      }
      let received = packets(first);
      expect(received[0]).toMatch(/^40\{"sid":/);
      const report = makeReport();
      const [submitted, ...more] = await Promise.all([
        poll(`&sid=${sid}`, { method: 'POST', body: `42${i}${JSON.stringify(['report:submit', report])}` }),
        poll(`&sid=${sid}`),
      ]);
      expect(submitted.text).toBe('ok');
      received = received.concat(...more.map(packets));
      // The ack (`43<id>[…]`) may come in this GET or the next; hello and fan-out come too.
      while (!received.some((p) => p.startsWith(`43${i}[`))) received = received.concat(packets(await poll(`&sid=${sid}`)));
      const ack = JSON.parse(received.find((p) => p.startsWith(`43${i}[`))!.slice(`43${i}`.length)) as [{ ok: boolean; report: { id: string } }];
      expect(ack[0]).toMatchObject({ ok: true, report: { id: report.id } });
      // Close the engine session; a GET on it afterwards is an error answer, not a crash.
      expect((await poll(`&sid=${sid}`, { method: 'POST', body: '1' })).status).toBe(200);
      const gone = await poll(`&sid=${sid}`);
      expect(gone.status).toBe(400);
    };
    for (let start = 0; start < ROUNDS; start += PARALLEL) {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, ROUNDS - start) }, (_, k) => round(start + k)));
    }
  });

  it('answers malformed and out-of-order requests with an error, and keeps serving', async () => {
    const error = (status: number, code: number) => ({ status, text: expect.stringContaining(`"code":${code}`) as unknown as string });
    expect(await poll('&sid=unknown-session')).toEqual(error(400, 1));
    expect(await poll('', { method: 'POST', body: '40' })).toEqual(error(400, 2));
    const badVersion = await fetch(`${server.url}/socket.io/?EIO=3&transport=polling`, { headers: HEADERS });
    expect(badVersion.status).toBe(400);
    const badTransport = await fetch(`${server.url}/socket.io/?EIO=4&transport=carrier-pigeon`, { headers: HEADERS });
    expect(badTransport.status).toBe(400);

    // Bodies no encoder made: each ends that session (a close packet, or an unknown sid after).
    for (const body of ['zzz', '40{not json', '42["report:submit",', '4', 'bAAAA', '42["report:submit",{}]', '41', '4' + '\u0000'.repeat(64)]) {
      const sid = await handshake();
      const posted = await poll(`&sid=${sid}`, { method: 'POST', body });
      expect(posted.status).toBe(200);
      const after = await poll(`&sid=${sid}`);
      expect([200, 400]).toContain(after.status);
      if (after.status === 200) expect(packets(after).at(-1)).toMatch(/^1|^44|^6/);
    }

    // Two GETs on one sid at once: engine.io refuses the overlap and ends the session.
    const sid = await handshake();
    const [a, b] = await Promise.all([poll(`&sid=${sid}`), poll(`&sid=${sid}`)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);

    // A body over the server's buffer limit is refused as too large.
    const big = await handshake();
    expect((await poll(`&sid=${big}`, { method: 'POST', body: `4${'x'.repeat(3 * 1024 * 1024)}` })).status).toBe(413);
  });
});
