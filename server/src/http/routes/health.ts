import { Router } from 'express';
import { bearerToken } from '../auth-middleware.js';
import type { HttpServices } from '../services.js';

/**
 * `GET /api/health`: `200 {status: "ok"}` when ready; `503` while starting or draining, and
 * `503 {status: "degraded", reason}` while commits fail (a full disk) until one succeeds, so a
 * load balancer or an operator sees what submitters see. No token is needed; with a valid one
 * the answer also carries `lastSeq` (how far the deployment has got is not for anyone to ask).
 */
export function healthRoutes(s: HttpServices): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    const state = s.lifecycle();
    if (state !== 'ready') {
      res.status(503).json({ status: state });
      return;
    }
    const trouble = s.commitTrouble();
    if (trouble) {
      res.status(503).json({ status: 'degraded', reason: trouble.reason, since: new Date(trouble.sinceMs).toISOString() });
      return;
    }
    const token = bearerToken(req);
    const signedIn = token !== undefined && (await s.sessions.authenticate(token)) !== undefined;
    res.json(signedIn ? { status: 'ok', lastSeq: await s.headSeq() } : { status: 'ok' });
  });
  return router;
}
