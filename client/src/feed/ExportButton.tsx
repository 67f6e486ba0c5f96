import { useEffect, useState } from 'react';
import { t } from '../i18n';
import { useSession } from '../session/session-store';
import { DEFAULT_FILTERS, type Filters } from '../store/filters';
import { useFilters } from '../store/filters-store';
import { exportGeoJson } from './export-geojson';

const FILTER_KEYS = Object.keys(DEFAULT_FILTERS) as (keyof Filters)[];

/** One button: the current filtered selection as GeoJSON, with progress for large ones. */
export function ExportButton() {
  const token = useSession((s) => s.token);
  const [state, setState] = useState<{ busy: boolean; bytes: number; message?: string }>({ busy: false, bytes: 0 });
  // "Exported 3 reports." speaks of the selection it was made from: gone once that changes.
  // The minute tick moves `now` only, which leaves the selection as it was.
  useEffect(
    () =>
      useFilters.subscribe((s, p) => {
        if (FILTER_KEYS.some((k) => s[k] !== p[k])) setState((current) => (current.message && !current.busy ? { busy: false, bytes: 0 } : current));
      }),
    [],
  );
  const run = async (): Promise<void> => {
    if (!token) return;
    setState({ busy: true, bytes: 0 });
    try {
      const f = useFilters.getState();
      const result = await exportGeoJson(token, f, Date.now(), (bytes) => setState({ busy: true, bytes }));
      setState({ busy: false, bytes: result.bytes, message: t.exporter.done(result.count) });
    } catch (error) {
      setState({ busy: false, bytes: 0, message: t.exporter.failed(error instanceof Error ? error.message : String(error)) });
    }
  };
  return (
    <div className="export">
      <button type="button" onClick={() => void run()} disabled={state.busy}>
        {state.busy ? t.exporter.busy(Math.round(state.bytes / 1024)) : t.exporter.button}
      </button>
      {state.busy && <progress aria-label={t.exporter.button} />}
      {state.message && <span className="muted" role="status" data-testid="export-status">{state.message}</span>}
    </div>
  );
}
