import type { ReportResponse, ReportStatus } from '@truceline/shared';
import { api, ApiFailure } from '../net/api';
import { useSession } from '../session/session-store';
import { useLiveData } from '../store/live-data-store';

export type ReviewOutcome = { ok: true } | { ok: false; conflict: boolean; message: string };

/**
 * Sets a report's status, with the coordinator's note (required to reject). `expectedSeq` makes a concurrent review by someone else a conflict
 * instead of a silent overwrite; then the current state is fetched and shown.
 */
export async function setReportStatus(id: string, status: ReportStatus, expectedSeq: number, note?: string): Promise<ReviewOutcome> {
  const token = useSession.getState().token;
  const trimmed = note?.trim();
  try {
    const body = trimmed ? { status, note: trimmed, expectedSeq } : { status, expectedSeq };
    const { report } = await api<ReportResponse>(`/api/reports/${encodeURIComponent(id)}`, { method: 'PATCH', token, body });
    useLiveData.getState().reportsArrived([report]);
    return { ok: true };
  } catch (error) {
    if (error instanceof ApiFailure && error.error.code === 'conflict') {
      const { report } = await api<ReportResponse>(`/api/reports/${encodeURIComponent(id)}`, { token });
      useLiveData.getState().reportsArrived([report]);
      return { ok: false, conflict: true, message: error.message };
    }
    return { ok: false, conflict: false, message: error instanceof Error ? error.message : String(error) };
  }
}
