import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../app-error.js';
import { type Action, can } from '../auth/access.js';
import type { Authenticated, Sessions } from '../auth/sessions.js';

/** The signed-in caller of a route behind `requireAuth`. */
export function authOf(res: Response): Authenticated {
  const auth = res.locals.auth as Authenticated | undefined;
  if (!auth) throw new Error('route is missing requireAuth');
  return auth;
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  return header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

export function requireAuth(sessions: Sessions): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    let auth: Authenticated | undefined;
    try {
      auth = await sessions.authenticate(bearerToken(req));
    } catch {
      // Sessions live in the store: while it is unreachable (a database restart) the caller is
      // told to retry, as a failed commit tells it, not that the server broke.
      throw new AppError('unavailable', 'The server cannot check sessions just now (its storage is unreachable); nothing was done. Try again.');
    }
    if (!auth) {
      throw new AppError(
        'unauthorized',
        header ? 'The session token is invalid, expired or revoked; sign in again.' : 'Sign in first: send Authorization: Bearer <token>.',
      );
    }
    res.locals.auth = auth;
    next();
  };
}

/** Refuses with 403 unless the caller's role grants `action`. */
export function requireAction(action: Action): RequestHandler {
  return (_req, res, next) => {
    const { user } = authOf(res);
    if (!can(user, action)) throw new AppError('forbidden', `Your role (${user.role}) may not do this.`);
    next();
  };
}
