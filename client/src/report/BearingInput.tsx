import { locateFromBearing } from '@truceline/shared';
import { t } from '../i18n';
import type { DistanceUnit } from './draft-fields';
import { formatDistanceInput, parseDistance } from './distance';
import { draftSector, observerOf } from './draft-geometry';
import { useDraft } from './draft-store';
import { FieldErrorList, invalidProps } from './FieldErrorList';

const DISTANCE_UNITS: readonly DistanceUnit[] = ['m', 'km'];
const sliderValue = (metres: number | undefined): number => (metres !== undefined && Number.isFinite(metres) ? metres : 50);
import { isCoarse } from '../map/placement';
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
  const unit = fields.distanceUnit;
  const unitLabel = unit === 'km' ? t.distance.kilometres : t.distance.metres;
  const minM = parseDistance(fields.distanceMin, unit);
  const maxM = parseDistance(fields.distanceMax, unit) ?? minM;
  // The box that does not parse is the mistake; otherwise the range as a whole is.
  const distanceInvalid = invalidProps('distance', errors.distance);
  const minBad = Number.isNaN(minM);
  const maxBad = Number.isNaN(parseDistance(fields.distanceMax, unit));
  const bearingInvalid = invalidProps('bearing', errors.bearing);

  return (
    <div className="bearing">
      <div className="row">
        <span className="label">{t.position.observer}</span>
        <div className="segmented small" role="radiogroup" aria-label={t.position.observer} {...invalidProps('position', errors.position)}>
          {(['gps', 'map'] as const).map((src) => (
            <label key={src} className={fields.observerSource === src ? 'on' : ''}>
              <input type="radio" name="observer-source" value={src} checked={fields.observerSource === src} onChange={() => change({ observerSource: src })} />
              {src === 'gps' ? t.position.observerFromGps : t.position.observerFromMap}
            </label>
          ))}
        </div>
      </div>
      {fields.observerSource === 'map' && <p className="hint">{t.position.placeObserverHint}</p>}
      {observer && <PositionReadout lon={observer.lon} lat={observer.lat} accuracyM={observer.accuracyM} />}
      {fields.observerSource === 'map' && observer?.accuracyM !== undefined && isCoarse(observer.accuracyM) && (
        <p className="warning" role="alert">{t.position.coarse}</p>
      )}

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
          <input name="bearing-from" inputMode="decimal" {...bearingInvalid} value={fields.bearingFrom} onChange={(e) => change({ bearingFrom: e.target.value })} />
          <input type="range" min={0} max={max} step={1} aria-label={t.position.bearingFrom} value={Number(fields.bearingFrom) || 0} onChange={(e) => change({ bearingFrom: e.target.value })} />
        </label>
        <label>
          {t.position.bearingTo}
          <input name="bearing-to" inputMode="decimal" {...bearingInvalid} value={fields.bearingTo} onChange={(e) => change({ bearingTo: e.target.value })} />
          <input type="range" min={0} max={max} step={1} aria-label={t.position.bearingTo} value={Number(fields.bearingTo) || 0} onChange={(e) => change({ bearingTo: e.target.value })} />
        </label>
      </div>
      <p className="hint">{t.position.singleBearing}</p>
      <FieldErrorList messages={errors.bearing} field="bearing" />
      <div className="row distance-unit-row">
        <span className="label" id="distance-unit-label">{t.distance.unit}</span>
        <div className="segmented distance-unit" role="radiogroup" aria-labelledby="distance-unit-label">
          {DISTANCE_UNITS.map((u) => (
            <label key={u} className={unit === u ? 'on' : ''}>
              <input type="radio" name="distance-unit" value={u} checked={unit === u} onChange={() => change({ distanceUnit: u })} />
              {u === 'km' ? t.distance.kilometres : t.distance.metres}
            </label>
          ))}
        </div>
      </div>
      <div className="row">
        <label>
          {`${t.position.distanceMin} (${unitLabel})`}
          <input name="distance-min" inputMode="decimal" {...(minBad || !maxBad ? distanceInvalid : {})} value={fields.distanceMin} onChange={(e) => change({ distanceMin: e.target.value })} />
          <input type="range" min={50} max={20000} step={50} aria-label={`${t.distance.fromLabel} (${unitLabel})`} value={sliderValue(minM)} onChange={(e) => change({ distanceMin: formatDistanceInput(Number(e.target.value), unit) })} />
        </label>
        <label>
          {`${t.position.distanceMax} (${unitLabel})`}
          <input name="distance-max" inputMode="decimal" {...(maxBad || !minBad ? distanceInvalid : {})} value={fields.distanceMax} onChange={(e) => change({ distanceMax: e.target.value })} />
          <input type="range" min={50} max={20000} step={50} aria-label={`${t.distance.toLabel} (${unitLabel})`} value={sliderValue(maxM)} onChange={(e) => change({ distanceMax: formatDistanceInput(Number(e.target.value), unit) })} />
        </label>
      </div>
      {minM !== undefined && maxM !== undefined && !minBad && !Number.isNaN(maxM) && (
        <p className="hint" data-testid="distance-readout">{t.distance.readout(minM, maxM)}</p>
      )}
      <FieldErrorList messages={errors.distance} field="distance" />
      {located && (
        <>
          <p className="hint">{t.feed.uncertainty(located.uncertaintyM)}</p>
          <PositionReadout lon={located.location.lon} lat={located.location.lat} />
        </>
      )}
    </div>
  );
}
