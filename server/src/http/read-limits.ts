import type { RequestHandler, Response } from 'express';
import type { ReadLimits, ReadTicket } from '../read/read-limits.js';
import { authOf } from './auth-middleware.js';

/**
 * Admits a read route's request against its account's budget (after `requireAuth`): over it,
 * `429 rate_limited` with `Retry-After` (the error handler sets it). The in-flight slot is freed
 * on the response's `close`, which Node emits both after the last byte and when the client
 * went away mid-answer (an aborted export), so a dropped stream never keeps a slot.
 */
export function limitReads(limits: ReadLimits): RequestHandler {
  return async (_req, res, next) => {
    const ticket = await limits.admit(authOf(res).user.id);
    // The client may have gone while the admission awaited: then `close` has fired already.
    if (res.closed) return ticket.release();
    res.locals.readTicket = ticket;
    res.once('close', ticket.release);
    next();
  };
}

/** Charges the items a read answered with against its account's budget (see `ITEMS_PER_POINT`). */
export function chargeItems(res: Response, items: number): void {
  const ticket = res.locals.readTicket as ReadTicket | undefined;
  if (!ticket) throw new Error('route is missing limitReads');
  ticket.served(items);
}
