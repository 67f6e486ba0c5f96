import { type ReportFilterQuery, type User, toUtcIso } from '@truceline/shared';
import { AppError } from '../app-error.js';
import { can } from '../auth/access.js';
import { withIndexBounds } from '../storage/report-filter.js';
import type { ReportCursor, ReportFilter } from '../storage/store.js';

/** The parsed query as the store's filter (with the bounds it implies); `reporter=me` becomes the caller's id. */
export function toReportFilter(query: ReportFilterQuery, viewer: User): ReportFilter {
  const filter: ReportFilter = {};
  if (query.bbox) filter.bbox = query.bbox;
  if (query.since !== undefined) filter.sinceMs = query.since;
  if (query.until !== undefined) filter.untilMs = query.until;
  if (query.category) filter.categories = query.category;
  if (query.status) filter.statuses = query.status;
  if (query.reporter !== undefined) {
    const id = query.reporter === 'me' ? viewer.id : query.reporter;
    if (id !== viewer.id && !can(viewer, 'report:seeAllReporters')) {
      throw new AppError('forbidden', 'Monitors may filter by their own reports only (reporter=me).');
    }
    filter.reporterId = id;
  }
  return withIndexBounds(filter);
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(cursor: ReportCursor): string {
  return Buffer.from(JSON.stringify([toUtcIso(cursor.observedAtMs), cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): ReportCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const observedAtMs = Date.parse(value[0]);
      if (Number.isFinite(observedAtMs)) return { observedAtMs, id: value[1] };
    }
  } catch {
    // fall through to the error below: any undecodable cursor is the client's mistake
  }
  throw new AppError('invalid', 'Invalid cursor: pass back nextCursor exactly as received.', [
    { path: 'cursor', message: 'not a cursor this server issued' },
  ]);
}
