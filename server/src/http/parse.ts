import type { z } from 'zod';
import { AppError } from '../app-error.js';

/** Parses a request part with its shared schema, or throws the contract's `invalid` error. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // express leaves the body undefined when the Content-Type is not JSON: say so plainly.
    if (value === undefined && what !== 'query') {
      throw new AppError('invalid', `Send the ${what} as a JSON object with Content-Type: application/json.`);
    }
    throw AppError.invalid(parsed.error, what);
  }
  return parsed.data;
}
