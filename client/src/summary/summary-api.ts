import type { SummaryPeriod, SummaryResponse } from '@truceline/shared';
import { ApiFailure } from '../net/api';
import { filtersToQuery, timeWindow, type Filters } from '../store/filters';

export interface SummaryRequest {
  filters: Filters;
  now: number;
  period: SummaryPeriod;
  /** `HH:MM` in the mission's time zone. */
  cutoff: string;
}

/**
 * The filters' window closed at `now` (the summary needs both ends to compare), and the window
 * of the same length just before it; no previous window when the filters have no start.
 */
export function summaryWindows(filters: Filters, now: number): { current: { since?: number; until: number }; previous?: { since: number; until: number } } {
  const { since, until = now } = timeWindow(filters, now);
  if (since === undefined) return { current: { until } };
  return { current: { since, until }, previous: { since: since - (until - since), until: since } };
}

function query(req: SummaryRequest, window: { since?: number; until: number }): URLSearchParams {
  const q = filtersToQuery(req.filters, req.now);
  q.delete('since');
  q.delete('until');
  if (window.since !== undefined) q.set('since', new Date(window.since).toISOString());
  q.set('until', new Date(window.until).toISOString());
  q.set('period', req.period);
  q.set('cutoff', req.cutoff);
  return q;
}

async function get(token: string, path: string): Promise<Response> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiFailure(response.status, { code: 'internal', message: body?.error?.message ?? `HTTP ${response.status}` });
  }
  return response;
}

export async function fetchSummary(token: string, req: SummaryRequest, window: { since?: number; until: number }): Promise<SummaryResponse> {
  return (await (await get(token, `/api/summary?${query(req, window).toString()}`)).json()) as SummaryResponse;
}

/** The same summary as CSV, through an authenticated fetch, handed to the browser as a download. */
export async function downloadSummaryCsv(token: string, req: SummaryRequest, window: { since?: number; until: number }): Promise<void> {
  const blob = await (await get(token, `/api/summary.csv?${query(req, window).toString()}`)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `truceline-summary-${new Date(req.now).toISOString().slice(0, 16).replace(':', '')}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
