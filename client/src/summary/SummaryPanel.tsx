import { useEffect, useState } from 'react';
import { SUMMARY_PERIODS, type SummaryPeriod, type SummaryPeriodCounts, type SummaryResponse } from '@truceline/shared';
import { t } from '../i18n';
import { useSession } from '../session/session-store';
import { useFilters } from '../store/filters-store';
import { ViolationsChart } from './ViolationsChart';
import { downloadSummaryCsv, fetchSummary, summaryWindows, type SummaryRequest } from './summary-api';

const FIGURES = ['incidents', 'violations', 'explosions', 'killed', 'injured', 'reports'] as const;

type Loaded = { current: SummaryResponse; previous?: SummaryResponse };

function periodLabel(period: SummaryPeriod): (p: SummaryPeriodCounts) => string {
  const format = new Intl.DateTimeFormat(undefined, period === 'hour' ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' });
  return (p) => format.format(new Date(p.start));
}

function difference(now: number, before: number | undefined): string {
  if (before === undefined) return '';
  const d = now - before;
  return d === 0 ? '±0' : d > 0 ? `+${d}` : String(d);
}

/** Counts per period for the current filters (coordinators and admins), beside the period before. */
export function SummaryPanel() {
  const token = useSession((s) => s.token);
  const filters = useFilters();
  const [period, setPeriod] = useState<SummaryPeriod>('day');
  const [cutoff, setCutoff] = useState('00:00');
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const { now, update: _update, tick: _tick, ...f } = filters;
  const key = JSON.stringify([f, now, period, cutoff]);

  useEffect(() => {
    if (!token) return;
    let live = true;
    const req: SummaryRequest = { filters: f, now, period, cutoff };
    const windows = summaryWindows(f, now);
    void Promise.all([fetchSummary(token, req, windows.current), windows.previous ? fetchSummary(token, req, windows.previous) : undefined])
      .then(([current, previous]) => {
        if (!live) return;
        setLoaded({ current, previous });
        setMessage(undefined);
      })
      .catch((error: unknown) => live && setMessage(t.summary.failed(error instanceof Error ? error.message : String(error))));
    return () => {
      live = false;
    };
    // `key` holds every input of the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, key]);

  const download = (): void => {
    if (!token) return;
    const req: SummaryRequest = { filters: f, now, period, cutoff };
    downloadSummaryCsv(token, req, summaryWindows(f, now).current).catch((error: unknown) =>
      setMessage(t.summary.failed(error instanceof Error ? error.message : String(error))),
    );
  };

  const label = periodLabel(period);
  return (
    <section className="summary" aria-label={t.summary.title}>
      <div className="toolbar">
        <label>
          {t.summary.period}{' '}
          <select value={period} onChange={(e) => setPeriod(e.target.value as SummaryPeriod)}>
            {SUMMARY_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t.summary.periods[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.summary.cutoff}{' '}
          <input type="time" value={cutoff} step={60} onChange={(e) => e.target.value && setCutoff(e.target.value)} />
        </label>
        <button type="button" onClick={download}>
          {t.summary.downloadCsv}
        </button>
      </div>
      {message && <p className="muted" role="status">{message}</p>}
      {loaded && (
        <>
          <p className="muted">{t.summary.zone(loaded.current.timezone, loaded.current.cutoff)}</p>
          <table className="summary-total" data-testid="summary-total">
            <thead>
              <tr>
                <th />
                <th>{t.summary.thisRange}</th>
                {loaded.previous && <th>{t.summary.previousRange}</th>}
                {loaded.previous && <th>{t.summary.change}</th>}
              </tr>
            </thead>
            <tbody>
              {FIGURES.map((k) => (
                <tr key={k} data-figure={k}>
                  <th scope="row">{t.summary.figures[k]}</th>
                  <td>{loaded.current.total[k]}</td>
                  {loaded.previous && <td>{loaded.previous.total[k]}</td>}
                  {loaded.previous && <td>{difference(loaded.current.total[k], loaded.previous.total[k])}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          <ViolationsChart periods={loaded.current.periods} label={label} />
          <table className="summary-periods" data-testid="summary-periods">
            <thead>
              <tr>
                <th>{t.summary.start}</th>
                {FIGURES.map((k) => (
                  <th key={k}>{t.summary.figures[k]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {loaded.current.periods.map((p) => (
                <tr key={p.start}>
                  <td title={`${p.start} – ${p.end}`}>{label(p)}</td>
                  {FIGURES.map((k) => (
                    <td key={k}>{p[k]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
