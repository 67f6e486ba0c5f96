import type { z } from 'zod';
import { AppError } from '../app-error.js';

/** Parses a request part with its shared schema, or throws the contract's `invalid` error. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw AppError.invalid(parsed.error, what);
  return parsed.data;
}
