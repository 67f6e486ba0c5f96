import { Router } from 'express';
import { AUDIT_LIMITS, type AuditAction, AuditQuery, type AuditPage, type ReportHistoryResponse } from '@truceline/shared';
import { AppError } from '../../app-error.js';
import { auditActionsFor } from '../../auth/access.js';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { parseWith } from '../parse.js';
import type { HttpServices } from '../services.js';
import { isUuid } from '../../ids.js';

const REVIEW_ACTIONS: readonly AuditAction[] = ['report.review', 'report.reopen'];
/** More reviews than this on one report is not a history anyone reads in a panel. */
const HISTORY_MAX = 1000;

export function auditRoutes(s: HttpServices): Router {
  const router = Router();
  router.get('/audit', requireAuth(s.sessions), requireAction('audit:readReviews'), async (req, res) => {
    const query = parseWith(AuditQuery, req.query, 'query');
    const allowed = auditActionsFor(authOf(res).user);
    if (query.action !== undefined && allowed !== undefined && !allowed.includes(query.action)) {
      throw new AppError('forbidden', `Your role may not read "${query.action}" entries.`);
    }
    const afterSeq = query.afterSeq ?? 0;
    const limit = query.limit ?? AUDIT_LIMITS.defaultLimit;
    const rows = await s.store.auditEntries({
      afterSeq,
      limit: limit + 1,
      ...(query.action !== undefined ? { actions: [query.action] } : allowed !== undefined ? { actions: allowed } : {}),
      ...(query.targetId !== undefined ? { targetId: query.targetId } : {}),
    });
    const entries = rows.slice(0, limit);
    const page: AuditPage = { entries, lastSeq: entries.at(-1)?.seq ?? afterSeq, hasMore: rows.length > limit };
    res.json(page);
  });

  router.get('/reports/:id/history', requireAuth(s.sessions), requireAction('report:review'), async (req, res) => {
    const id = String(req.params.id).toLowerCase();
    if (!isUuid(id) || !(await s.store.getReport(id))) throw new AppError('not_found', `No report ${String(req.params.id)}.`);
    const entries = await s.store.auditEntries({ afterSeq: 0, limit: HISTORY_MAX, actions: REVIEW_ACTIONS, targetId: id });
    const body: ReportHistoryResponse = { entries };
    res.json(body);
  });
  return router;
}
