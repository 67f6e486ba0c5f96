import { Router } from 'express';
import { ReportFilterQuery } from '@truceline/shared';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { toReportFilter } from '../filters.js';
import { parseWith } from '../parse.js';
import type { HttpServices } from '../services.js';

/**
 * The largest `seq` of a list answer. A loop, not `Math.max(...list)`: spreading hundreds of
 * thousands of arguments overflows the stack (the unfiltered incident list of a large store).
 */
function highestSeq(start: number, items: readonly { seq: number }[]): number {
  let max = start;
  for (const item of items) if (item.seq > max) max = item.seq;
  return max;
}

/** Incidents and areas: current state, narrowed to those with a matching report. */
export function readModelRoutes(s: HttpServices): Router {
  const router = Router();
  router.get('/incidents', requireAuth(s.sessions), requireAction('report:read'), async (req, res) => {
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), authOf(res).user);
    const asOfSeq = await s.headSeq();
    const incidents = await s.store.listIncidents(filter);
    res.json({ incidents, asOfSeq: highestSeq(asOfSeq, incidents) });
  });
  router.get('/areas', requireAuth(s.sessions), requireAction('report:read'), async (req, res) => {
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), authOf(res).user);
    const asOfSeq = await s.headSeq();
    const areas = await s.store.listAreas(filter);
    res.json({ areas, asOfSeq: highestSeq(asOfSeq, areas) });
  });
  return router;
}
