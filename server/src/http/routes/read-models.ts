import { Router } from 'express';
import { BulkSyncQuery, LIST_LIMITS, ReportFilterQuery, SYNC_HEADERS } from '@truceline/shared';
import { incidentFor } from '../../auth/access.js';
import { asOfSeq } from '../../read/as-of-seq.js';
import { syncPageJson } from '../../read/sync-page.js';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { compressJson } from '../compress-json.js';
import { toReportFilter } from '../filters.js';
import { parseWith } from '../parse.js';
import { chargeItems, limitReads } from '../read-limits.js';
import type { HttpServices } from '../services.js';

/** Incidents and areas: current state, narrowed to those with a matching report; and the bulk catch-up. */
export function readModelRoutes(s: HttpServices): Router {
  const router = Router();
  router.get('/incidents', requireAuth(s.sessions), requireAction('report:read'), limitReads(s.readLimits), compressJson, async (req, res) => {
    const { user } = authOf(res);
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), user);
    const head = await s.headSeq();
    const incidents = (await s.store.listIncidents(filter)).map((incident) => incidentFor(user, incident));
    chargeItems(res, incidents.length);
    res.json({ incidents, asOfSeq: asOfSeq(head, incidents) });
  });
  router.get('/areas', requireAuth(s.sessions), requireAction('report:read'), limitReads(s.readLimits), compressJson, async (req, res) => {
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), authOf(res).user);
    const head = await s.headSeq();
    const areas = await s.store.listAreas(filter);
    chargeItems(res, areas.length);
    res.json({ areas, asOfSeq: asOfSeq(head, areas) });
  });
  // `reports:sync` over HTTP with pages of up to 10,000: a device catching up on a large history
  // makes a tenth of the round trips, and the transfer is not held up by a busy page between
  // pages. Same answer and rules as the socket event: every report with `seq > afterSeq` once,
  // ascending; `lastSeq` never claims more than was read; each report as this viewer may see it.
  router.get('/sync', requireAuth(s.sessions), requireAction('report:read'), limitReads(s.readLimits), compressJson, async (req, res) => {
    const query = parseWith(BulkSyncQuery, req.query, 'query');
    const head = await s.headSeq();
    const page = await syncPageJson(s.store, head, authOf(res).user, query.afterSeq ?? 0, query.limit ?? LIST_LIMITS.syncMax);
    chargeItems(res, page.count);
    res.setHeader(SYNC_HEADERS.lastSeq, String(page.lastSeq));
    res.setHeader(SYNC_HEADERS.hasMore, String(page.hasMore));
    res.type('application/json').send(page.json);
  });
  return router;
}
