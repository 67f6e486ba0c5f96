import { expect } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '@truceline/shared';

/**
 * Asserts the contract's error body exactly: `{error: {code, message, issues?: [{path, message}]}}`
 * (plus `retryAfterMs` with `rate_limited`), and nothing else at the top level.
 */
export function expectErrorBody(body: unknown, code: ErrorCode): void {
  expect(body).toBeTypeOf('object');
  const { error, ...rest } = body as { error: Record<string, unknown> };
  expect(rest).toEqual({});
  expect(error).toMatchObject({ code, message: expect.any(String) });
  expect((error.message as string).length).toBeGreaterThan(0);
  const allowed = new Set(['code', 'message', 'issues', ...(code === 'rate_limited' ? ['retryAfterMs'] : [])]);
  for (const key of Object.keys(error)) expect(allowed, `unexpected error field ${key}`).toContain(key);
  if (error.issues !== undefined) {
    expect(Array.isArray(error.issues)).toBe(true);
    for (const issue of error.issues as unknown[]) {
      expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
    }
  }
}

/** Asserts an HTTP answer carries `code` with the status the contract gives it. */
export function expectHttpError(res: { status: number; body: unknown }, code: ErrorCode): void {
  expect(res.status, JSON.stringify(res.body)).toBe(ERROR_STATUS[code]);
  expectErrorBody(res.body, code);
}

/** Asserts a socket acknowledgement is `{ok: false, error}` carrying the contract's error object for `code`. */
export function expectAckError(ack: unknown, code: ErrorCode): void {
  expect(ack).toMatchObject({ ok: false });
  const { ok: _ok, id: _id, ...rest } = ack as { ok: false; id?: string; error: unknown };
  expectErrorBody(rest, code);
}
