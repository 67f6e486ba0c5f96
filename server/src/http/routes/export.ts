import { Router } from 'express';
import { GEOJSON_CONTENT_TYPE, ReportFilterQuery } from '@truceline/shared';
import { writeFeatureCollection } from '../../export/geojson-stream.js';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { toReportFilter } from '../filters.js';
import { parseWith } from '../parse.js';
import { limitReads } from '../read-limits.js';
import type { HttpServices } from '../services.js';

const CHUNK = 500;

/** The export's query as given (validated above): strings keep the entry's canonical form exact. */
function queryStrings(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function exportRoutes(s: HttpServices): Router {
  const router = Router();
  // One point however long: the export streams in chunks that wait for the socket to drain, so
  // its cost is bounded by the in-flight gate, not by the rate.
  router.get('/export.geojson', requireAuth(s.sessions), requireAction('report:export'), limitReads(s.readLimits), async (req, res) => {
    const { user } = authOf(res);
    const filter = toReportFilter(parseWith(ReportFilterQuery, req.query, 'query'), user);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.status(200);
    res.setHeader('Content-Type', `${GEOJSON_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="truceline-${stamp}.geojson"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      const count = await writeFeatureCollection(res, s.store.streamReports(filter, CHUNK));
      // Recorded before the response ends: a client that has the whole file finds it in the log.
      await s.store.appendAudit([
        {
          atMs: Date.now(),
          actor: { id: user.id, username: user.username },
          action: 'export',
          target: { type: 'export', id: 'geojson' },
          after: { filter: queryStrings(req.query), features: count },
        },
      ]);
      res.end();
      s.log.info({ userId: user.id, count }, 'export finished');
    } catch (error) {
      // Headers are gone: cut the connection so the partial file can never parse as whole.
      s.log.warn({ err: error, userId: user.id }, 'export aborted');
      res.destroy();
    }
  });
  return router;
}
