import type { z } from 'zod';
import { AppError } from '../app-error.js';

/** express leaves the body undefined when the Content-Type is not JSON: say so plainly. */
export function requireJsonBody(body: unknown, what: string): unknown {
  if (body === undefined) throw new AppError('invalid', `Send the ${what} as a JSON object with Content-Type: application/json.`);
  return body;
}

/** Parses a request part with its shared schema, or throws the contract's `invalid` error. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw AppError.invalid(parsed.error, what);
  return parsed.data;
}
