import { Router } from 'express';
import { PlacesQuery, type PlacesResponse } from '@truceline/shared';
import type { Places } from '../../places/places.js';
import { requireAction, requireAuth } from '../auth-middleware.js';
import { parseWith } from '../parse.js';
import { limitReads } from '../read-limits.js';
import type { HttpServices } from '../services.js';

/** Settlement search for the map's "go to" box: name prefix, accents ignored, most populous first. */
export function placeRoutes(s: HttpServices & { places: Places }): Router {
  const router = Router();
  router.get('/places', requireAuth(s.sessions), requireAction('report:read'), limitReads(s.readLimits), async (req, res) => {
    const query = parseWith(PlacesQuery, req.query, 'query');
    await s.places.ready;
    const body: PlacesResponse = { places: s.places.search(query.q, query.limit) };
    res.json(body);
  });
  return router;
}
