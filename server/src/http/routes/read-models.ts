import { Router } from 'express';
import { ReportFilterQuery } from '@truceline/shared';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { toReportFilter } from '../filters.js';
import { parseWith } from '../parse.js';
import type { HttpServices } from '../services.js';

/** Incidents and areas: current state, narrowed to those with a matching report. */
export function readModelRoutes(s: HttpServices): Router {
  const router = Router();
  router.get('/incidents', requireAuth(s.sessions), requireAction('report:read'), async (req, res) => {
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), authOf(res).user);
    const asOfSeq = await s.headSeq();
    const incidents = await s.store.listIncidents(filter);
    res.json({ incidents, asOfSeq: Math.max(asOfSeq, ...incidents.map((i) => i.seq)) });
  });
  router.get('/areas', requireAuth(s.sessions), requireAction('report:read'), async (req, res) => {
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), authOf(res).user);
    const asOfSeq = await s.headSeq();
    const areas = await s.store.listAreas(filter);
    res.json({ areas, asOfSeq: Math.max(asOfSeq, ...areas.map((a) => a.seq)) });
  });
  return router;
}
