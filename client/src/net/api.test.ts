import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure, apiResponse } from './api';

/** The server's answer to every fetch: the network is the only stand-in here. */
function answering(response: () => Response): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => response()),
  );
}

async function failure(path = '/api/sync'): Promise<ApiFailure> {
  const error: unknown = await apiResponse(path, { token: 't' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiFailure)) throw new Error(`expected an ApiFailure, got ${String(error)}`);
  return error;
}

const rateLimited = (error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many reads', ...error } }), {
    status: 429,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('apiResponse', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("reads a 429's wait from the body's retryAfterMs", async () => {
    answering(() => rateLimited({ retryAfterMs: 1500 }, { 'Retry-After': '2' }));
    const error = await failure();
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1500, error: { code: 'rate_limited' } });
  });

  it('falls back to the Retry-After header, in seconds', async () => {
    answering(() => rateLimited({}, { 'Retry-After': '7' }));
    expect((await failure()).retryAfterMs).toBe(7000);
  });

  it('has no wait for other refusals', async () => {
    answering(() => new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in' } }), { status: 401, headers: { 'Retry-After': '3' } }));
    expect((await failure()).retryAfterMs).toBeUndefined();
  });
});
