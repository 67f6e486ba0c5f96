import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ERROR_STATUS, REPORT_LIMITS } from '@truceline/shared';
import type { Logger } from 'pino';
import { AppError, toApiError } from '../app-error.js';

/** body-parser's own errors carry a `type`; map the ones a client can cause. */
function fromBodyParser(error: unknown): AppError | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  if (!('type' in error)) return fromStatus(error);
  switch (error.type) {
    case 'entity.too.large':
      return new AppError('too_large', `The request body is larger than ${REPORT_LIMITS.maxBodyBytes / 1024} KiB.`);
    case 'entity.parse.failed':
      return new AppError('invalid', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('invalid', 'Send the body as UTF-8 JSON.');
    case 'request.aborted':
      return new AppError('invalid', 'The request was aborted before its body arrived.');
    default:
      return fromStatus(error);
  }
}

/** Errors of express's own middleware (static files: missing, forbidden path, bad range) carry a status. */
function fromStatus(error: object): AppError | undefined {
  const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  if (status === 404 || status === 403) return new AppError('not_found', 'No such file.');
  if (status === 416) return new AppError('invalid', 'The requested byte range is not in the file.');
  if (status !== undefined && status >= 400 && status < 500) return new AppError('invalid', 'The request could not be served.');
  return undefined;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      // Mid-stream (an export): abort, so the client sees a cut transfer, not a whole file.
      // Nothing else may write to it now, so the chain ends here.
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const known = error instanceof AppError ? error : fromBodyParser(error);
    if (!known) log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    const body = toApiError(known ?? error);
    if (body.code === 'rate_limited' && body.retryAfterMs !== undefined) {
      res.setHeader('Retry-After', String(Math.ceil(body.retryAfterMs / 1000)));
    }
    res.status(ERROR_STATUS[body.code]).json({ error: body });
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No API route ${req.method} ${req.path}.`));
};
