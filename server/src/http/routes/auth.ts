import { Router } from 'express';
import { ChangePasswordBody, LoginBody } from '@truceline/shared';
import { AppError } from '../../app-error.js';
import { requireGoodPassword } from '../../auth/password-policy.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { clientAddress } from '../../net/client-address.js';
import { authOf, requireAuth } from '../auth-middleware.js';
import { parseWith, requireJsonBody } from '../parse.js';
import type { HttpServices } from '../services.js';

export function authRoutes(s: HttpServices): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = parseWith(LoginBody, requireJsonBody(req.body, 'login'), 'login');
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], s.config.trustProxy);
    // Counted, and refused when over the limit, before any password is hashed.
    const attempt = await s.loginLimiter.begin(address, body.username);
    const result = await s.sessions.login(body.username, body.password).catch(async (error: unknown) => {
      await attempt.abandoned();
      throw error;
    });
    if (!result) {
      await attempt.failed();
      // Who tried is unknown (the name may not exist): no actor; the name as typed is the target.
      await s.store.appendAudit([
        { atMs: s.sessions.now(), actor: null, action: 'auth.login_failed', target: { type: 'username', id: body.username }, address },
      ]);
      throw new AppError('unauthorized', 'Wrong username or password.');
    }
    await attempt.succeeded();
    const { id, username } = result.user;
    await s.store.appendAudit([
      { atMs: s.sessions.now(), actor: { id, username }, action: 'auth.login', target: { type: 'user', id }, address },
    ]);
    s.log.info({ userId: result.user.id }, 'signed in');
    res.json(result);
  });
  router.post('/auth/logout', requireAuth(s.sessions), async (_req, res) => {
    const { sessionId, user } = authOf(res);
    await s.sessions.logout(sessionId, { id: user.id, username: user.username });
    s.disconnectSession(sessionId);
    res.status(204).end();
  });
  router.get('/me', requireAuth(s.sessions), (_req, res) => {
    res.json({ user: authOf(res).user });
  });
  // A wrong current password is `invalid` on `currentPassword`, not `unauthorized`: the caller's
  // session is fine, and a client that signs out on 401 would lose it over a typo.
  router.post('/me/password', requireAuth(s.sessions), async (req, res) => {
    const { user, sessionId } = authOf(res);
    const body = parseWith(ChangePasswordBody, requireJsonBody(req.body, 'password change'), 'password change');
    requireGoodPassword(body.newPassword, user.username, 'newPassword');
    // It tells whether a password is right, like a sign-in: the same limits.
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], s.config.trustProxy);
    const attempt = await s.loginLimiter.begin(address, user.username);
    const found = await s.store.findUserByName(user.username);
    const right = found
      ? await verifyPassword(body.currentPassword, found.passwordHash).catch(async (error: unknown) => {
          await attempt.abandoned();
          throw error;
        })
      : false;
    if (!right) {
      await attempt.failed();
      throw new AppError('invalid', 'The current password is wrong.', [{ path: 'currentPassword', message: 'is wrong' }]);
    }
    await attempt.succeeded();
    const atMs = s.sessions.now();
    const actor = { id: user.id, username: user.username };
    const target = { type: 'user', id: user.id };
    await s.store.setPasswordHash(user.id, await hashPassword(body.newPassword), [{ atMs, actor, action: 'user.password.change', target }]);
    // Whoever else knew the old password is signed out everywhere; this device stays signed in.
    await s.store.revokeUserSessions(user.id, atMs, sessionId, { atMs, actor, action: 'session.revoke', target });
    s.endUserSessions(user.id, sessionId);
    s.log.info({ userId: user.id }, 'password changed');
    res.status(204).end();
  });
  return router;
}
