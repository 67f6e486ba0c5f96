import { Router } from 'express';
import type { HttpServices } from '../services.js';

export function healthRoutes(s: HttpServices): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const state = s.lifecycle();
    if (state !== 'ready') {
      res.status(503).json({ status: state });
      return;
    }
    res.json({ status: 'ok', lastSeq: await s.headSeq() });
  });
  return router;
}
