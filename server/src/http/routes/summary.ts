import { type Request, type Response, Router } from 'express';
import { SummaryQuery, type SummaryResponse, formatCutoff } from '@truceline/shared';
import { summaryCsv } from '../../summary/summary-csv.js';
import { type Summary, summarise } from '../../summary/summarise.js';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { toReportFilter } from '../filters.js';
import { parseWith } from '../parse.js';
import { chargeItems, limitReads } from '../read-limits.js';
import type { HttpServices } from '../services.js';

/** Counts from incidents per period (`summary/` holds the rules, the store the aggregation). */
export function summaryRoutes(s: HttpServices): Router {
  const router = Router();
  async function answer(req: Request, res: Response): Promise<SummaryResponse> {
    const { user } = authOf(res);
    const query = parseWith(SummaryQuery, req.query, 'query');
    const filter = toReportFilter(query, user);
    const rule = { period: query.period ?? 'day', zone: s.config.missionTimezone, cutoffMinutes: query.cutoff ?? 0 };
    const asOfSeq = await s.headSeq();
    const tallies = await s.store.incidentTallies(filter);
    // The work is per incident aggregated, so that is what the read budget is charged.
    chargeItems(res, tallies.length);
    const summary: Summary = summarise(tallies, rule, { sinceMs: query.since, untilMs: query.until, nowMs: Date.now() });
    return { timezone: rule.zone, cutoff: formatCutoff(rule.cutoffMinutes), period: rule.period, ...summary, asOfSeq };
  }
  const guards = [requireAuth(s.sessions), requireAction('report:summarise'), limitReads(s.readLimits)];
  router.get('/summary', ...guards, async (req, res) => {
    res.json(await answer(req, res));
  });
  router.get('/summary.csv', ...guards, async (req, res) => {
    const { periods } = await answer(req, res);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="truceline-summary-${stamp}.csv"`);
    res.send(summaryCsv(periods));
  });
  return router;
}
