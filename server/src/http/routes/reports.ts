import { Router } from 'express';
import { type Report, ReportListQuery } from '@truceline/shared';
import { AppError } from '../../app-error.js';
import { reportFor } from '../../auth/access.js';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { compressJson } from '../compress-json.js';
import { decodeCursor, encodeCursor, toReportFilter } from '../filters.js';
import { parseWith, requireJsonBody } from '../parse.js';
import { chargeItems, limitReads } from '../read-limits.js';
import type { HttpServices } from '../services.js';
import { isUuid } from '../../ids.js';
import { asOfSeq } from '../../read/as-of-seq.js';

export function reportRoutes(s: HttpServices): Router {
  const router = Router();
  router.use('/reports', requireAuth(s.sessions));

  router.post('/reports', requireAction('report:submit'), async (req, res) => {
    const { report, duplicate } = await s.pipeline.submit(authOf(res).user, requireJsonBody(req.body, 'report'));
    res.status(duplicate ? 200 : 201).json({ report });
  });

  router.get('/reports', requireAction('report:read'), limitReads(s.readLimits), compressJson, async (req, res) => {
    const { user } = authOf(res);
    const query = parseWith(ReportListQuery, req.query, 'query');
    const limit = query.limit ?? 100;
    const filter = toReportFilter(query, user);
    const head = await s.headSeq();
    const rows = await s.store.listReports(filter, {
      limit: limit + 1,
      ...(query.cursor !== undefined ? { after: decodeCursor(query.cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    chargeItems(res, page.length);
    const last = page[page.length - 1];
    res.json({
      reports: page.map((r) => reportFor(user, r)),
      ...(rows.length > limit && last ? { nextCursor: encodeCursor({ observedAtMs: Date.parse(last.observedAt), id: last.id }) } : {}),
      asOfSeq: asOfSeq(head, page),
    });
  });

  router.get('/reports/:id', requireAction('report:read'), async (req, res) => {
    const id = String(req.params.id);
    const report: Report | undefined = isUuid(id) ? await s.store.getReport(id.toLowerCase()) : undefined;
    if (!report) throw new AppError('not_found', `No report ${id}.`);
    res.json({ report: reportFor(authOf(res).user, report) });
  });

  router.patch('/reports/:id', requireAction('report:review'), async (req, res) => {
    const { report } = await s.pipeline.review(authOf(res).user, String(req.params.id), requireJsonBody(req.body, 'review'));
    res.json({ report });
  });
  return router;
}
