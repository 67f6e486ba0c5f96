import { type ApiError, type ErrorCode, type ErrorIssue, issuesFromZod } from '@truceline/shared';
import type { z } from 'zod';

/** A failure that the contract names; transports turn it into an HTTP status or an ack. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static invalid(error: z.ZodError, what = 'request'): AppError {
    const issues = issuesFromZod(error);
    const first = issues[0];
    const summary = first ? `${first.path || what}: ${first.message}` : 'malformed';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    return new AppError('invalid', `Invalid ${what}: ${summary}${more}`, issues);
  }

  toJSON(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** The contract's error object for anything thrown; unknown errors never leak their details. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof AppError) return error.toJSON();
  return { code: 'internal', message: 'The server failed to handle this request; it has been logged.' };
}
