import { CATEGORIES, CATEGORY_LABELS, STATUSES, STATUS_LABELS, type Category, type ReportStatus } from '@truceline/shared';
import { t } from '../i18n';
import { TIME_PRESETS, type TimePreset } from '../store/filters';
import { useFilters } from '../store/filters-store';
import { useUi, type Layers } from '../store/ui-store';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromLocalInput(value: string): number | undefined {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** Filters for the map, the feed and the export alike, and the map's layer switches. */
export function FiltersPanel() {
  const f = useFilters();
  const layers = useUi((s) => s.layers);
  return (
    <details className="filters">
      <summary>{t.filters.title}</summary>
      {/* Scrolls on its own, so opening the filters never pushes the feed out of view. */}
      <div className="filters-body">
        <fieldset>
          <legend>{t.filters.time}</legend>
          <div className="chips">
            {TIME_PRESETS.map((p: TimePreset) => (
              <label key={p} className={f.preset === p ? 'on' : ''}>
                <input type="radio" name="time-preset" value={p} checked={f.preset === p} onChange={() => f.update({ preset: p })} />
                {t.filters.presets[p]}
              </label>
            ))}
          </div>
          {f.preset === 'custom' && (
            <div className="row">
              <label>{t.filters.since}<input type="datetime-local" value={toLocalInput(f.since)} onChange={(e) => f.update({ since: fromLocalInput(e.target.value) })} /></label>
              <label>{t.filters.until}<input type="datetime-local" value={toLocalInput(f.until)} onChange={(e) => f.update({ until: fromLocalInput(e.target.value) })} /></label>
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>{t.filters.categories}</legend>
          <div className="chips">
            {CATEGORIES.map((c: Category) => (
              <label key={c} className={f.categories.includes(c) ? 'on' : ''}>
                <input type="checkbox" name="filter-category" value={c} checked={f.categories.includes(c)} onChange={() => f.update({ categories: toggle(f.categories, c) })} />
                {CATEGORY_LABELS[c]}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t.filters.status}</legend>
          <div className="chips">
            {STATUSES.map((s: ReportStatus) => (
              <label key={s} className={f.statuses.includes(s) ? 'on' : ''}>
                <input type="checkbox" name="filter-status" value={s} checked={f.statuses.includes(s)} onChange={() => f.update({ statuses: toggle(f.statuses, s) })} />
                {STATUS_LABELS[s]}
              </label>
            ))}
          </div>
          <label className="check">
            <input type="checkbox" name="only-mine" checked={f.onlyMine} onChange={(e) => f.update({ onlyMine: e.target.checked })} />
            {t.filters.onlyMine}
          </label>
        </fieldset>
        <fieldset>
          <legend>{t.filters.layers}</legend>
          {(['reports', 'incidents', 'areas'] as (keyof Layers)[]).map((l) => (
            <label className="check" key={l}>
              <input type="checkbox" name={`layer-${l}`} checked={layers[l]} onChange={() => useUi.getState().toggleLayer(l)} />
              {l === 'reports' ? t.filters.layerReports : l === 'incidents' ? t.filters.layerIncidents : t.filters.layerAreas}
            </label>
          ))}
        </fieldset>
      </div>
    </details>
  );
}
