import { locateFromBearing } from '@truceline/shared';
import { t } from '../i18n';
import { draftSector, observerOf } from './draft-geometry';
import { useDraft } from './draft-store';
import { FieldErrorList } from './FieldErrorList';
import { PositionReadout } from './PositionReadout';

/**
 * "From where I stand": the observer's position, a bearing sector (degrees or mils, true or
 * magnetic north, said explicitly) and a distance range. Sliders and number boxes edit the same
 * values, and the map draws the wedge as they change.
 */
export function BearingInput() {
  const fields = useDraft((s) => s.fields);
  const errors = useDraft((s) => s.errors);
  const change = useDraft((s) => s.change);
  const max = fields.bearingUnit === 'mil' ? 6399 : 359;
  const observer = observerOf(fields);
  const sector = draftSector(fields, new Date());
  const located = sector && locateFromBearing(sector.observer, sector, sector);

  return (
    <div className="bearing">
      <div className="row">
        <span className="label">{t.position.observer}</span>
        <div className="segmented small" role="radiogroup" aria-label={t.position.observer}>
          {(['gps', 'map'] as const).map((src) => (
            <label key={src} className={fields.observerSource === src ? 'on' : ''}>
              <input type="radio" name="observer-source" value={src} checked={fields.observerSource === src} onChange={() => change({ observerSource: src })} />
              {src === 'gps' ? t.position.observerFromGps : t.position.observerFromMap}
            </label>
          ))}
        </div>
      </div>
      {fields.observerSource === 'map' && <p className="hint">{t.position.tapObserverHint}</p>}
      {observer && <PositionReadout lon={observer.lon} lat={observer.lat} />}

      <div className="row">
        <label>
          {t.position.bearingUnit}
          <select value={fields.bearingUnit} onChange={(e) => change({ bearingUnit: e.target.value === 'mil' ? 'mil' : 'deg' })} name="bearing-unit">
            <option value="deg">{t.position.degrees}</option>
            <option value="mil">{t.position.mils}</option>
          </select>
        </label>
        <label>
          {t.position.reference}
          <select value={fields.reference} onChange={(e) => change({ reference: e.target.value === 'magnetic' ? 'magnetic' : 'true' })} name="bearing-reference">
            <option value="true">{t.position.trueNorth}</option>
            <option value="magnetic">{t.position.magneticNorth}</option>
          </select>
        </label>
      </div>
      <div className="row">
        <label>
          {t.position.bearingFrom}
          <input name="bearing-from" inputMode="decimal" value={fields.bearingFrom} onChange={(e) => change({ bearingFrom: e.target.value })} />
          <input type="range" min={0} max={max} step={1} aria-label={t.position.bearingFrom} value={Number(fields.bearingFrom) || 0} onChange={(e) => change({ bearingFrom: e.target.value })} />
        </label>
        <label>
          {t.position.bearingTo}
          <input name="bearing-to" inputMode="decimal" value={fields.bearingTo} onChange={(e) => change({ bearingTo: e.target.value })} />
          <input type="range" min={0} max={max} step={1} aria-label={t.position.bearingTo} value={Number(fields.bearingTo) || 0} onChange={(e) => change({ bearingTo: e.target.value })} />
        </label>
      </div>
      <p className="hint">{t.position.singleBearing}</p>
      <FieldErrorList messages={errors.bearing} />
      <div className="row">
        <label>
          {t.position.distanceMin}
          <input name="distance-min" inputMode="numeric" value={fields.distanceMin} onChange={(e) => change({ distanceMin: e.target.value })} />
          <input type="range" min={50} max={20000} step={50} aria-label={t.position.distanceMin} value={Number(fields.distanceMin) || 50} onChange={(e) => change({ distanceMin: e.target.value })} />
        </label>
        <label>
          {t.position.distanceMax}
          <input name="distance-max" inputMode="numeric" value={fields.distanceMax} onChange={(e) => change({ distanceMax: e.target.value })} />
          <input type="range" min={50} max={20000} step={50} aria-label={t.position.distanceMax} value={Number(fields.distanceMax) || 50} onChange={(e) => change({ distanceMax: e.target.value })} />
        </label>
      </div>
      <FieldErrorList messages={errors.distance} />
      {located && (
        <>
          <p className="hint">{t.feed.uncertainty(located.uncertaintyM)}</p>
          <PositionReadout lon={located.location.lon} lat={located.location.lat} />
        </>
      )}
    </div>
  );
}
