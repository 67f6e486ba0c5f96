import { Router } from 'express';
import { LoginBody } from '@truceline/shared';
import { AppError } from '../../app-error.js';
import { clientAddress } from '../../net/client-address.js';
import { authOf, requireAuth } from '../auth-middleware.js';
import { parseWith, requireJsonBody } from '../parse.js';
import type { HttpServices } from '../services.js';

export function authRoutes(s: HttpServices): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = parseWith(LoginBody, requireJsonBody(req.body, 'login'), 'login');
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], s.config.trustProxy);
    const waitMs = s.loginLimiter.take(`${address}|${body.username.toLowerCase()}`);
    if (waitMs > 0) throw new AppError('rate_limited', 'Too many sign-in attempts; wait a minute and try again.', undefined, waitMs);
    const result = await s.sessions.login(body.username, body.password);
    if (!result) throw new AppError('unauthorized', 'Wrong username or password.');
    s.log.info({ userId: result.user.id }, 'signed in');
    res.json(result);
  });
  router.post('/auth/logout', requireAuth(s.sessions), async (_req, res) => {
    const { sessionId } = authOf(res);
    await s.sessions.logout(sessionId);
    s.disconnectSession(sessionId);
    res.status(204).end();
  });
  router.get('/me', requireAuth(s.sessions), (_req, res) => {
    res.json({ user: authOf(res).user });
  });
  return router;
}
