import { useEffect } from 'react';
import { t } from '../i18n';
import { isCoarse } from '../map/placement';
import type { PositionMode } from './draft-fields';
import { directLocation, draftSector, parseMgrs } from './draft-geometry';
import { PositionReadout } from './PositionReadout';
import { useDraft } from './draft-store';
import { BearingInput } from './BearingInput';
import { FieldErrorList, invalidProps } from './FieldErrorList';

const MODES: PositionMode[] = ['gps', 'map', 'mgrs', 'bearing'];
/** Above this the fix is too coarse to locate an event by itself. */
const ACCURACY_WARN_M = 100;

/** Watches the device's GPS while the form needs it; the watch ends with the component. */
function useGpsWatch(active: boolean): void {
  useEffect(() => {
    if (!active || !('geolocation' in navigator)) return;
    const watch = navigator.geolocation.watchPosition(
      (p) => useDraft.getState().change({ gps: { lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy } }),
      (error) => console.info('gps: no fix', error.message),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
    );
    return () => navigator.geolocation.clearWatch(watch);
  }, [active]);
}

/** Four ways to say where: GPS, the map's crosshair, an MGRS reference, or bearing and distance. */
export function PositionPicker() {
  const fields = useDraft((s) => s.fields);
  const errors = useDraft((s) => s.errors);
  const change = useDraft((s) => s.change);
  const usesGps = fields.positionMode === 'gps' || (fields.positionMode === 'bearing' && fields.observerSource === 'gps');
  useGpsWatch(usesGps);
  const location = directLocation(fields);
  const sector = fields.positionMode === 'bearing' ? draftSector(fields, new Date()) : undefined;
  const gpsAccuracy = fields.gps?.accuracyM;
  // A missing position is marked where it is given: the MGRS box, the observer's source, or else the mode.
  const positionInvalid = invalidProps('position', errors.position);

  return (
    <fieldset className="position">
      <legend>{t.position.title}</legend>
      <div className="segmented" role="radiogroup" aria-label={t.position.title} {...(fields.positionMode === 'map' || fields.positionMode === 'gps' ? positionInvalid : {})}>
        {MODES.map((mode) => (
          <label key={mode} className={fields.positionMode === mode ? 'on' : ''}>
            <input type="radio" name="position-mode" value={mode} checked={fields.positionMode === mode} onChange={() => change({ positionMode: mode })} />
            {t.position.modes[mode]}
          </label>
        ))}
      </div>

      {usesGps && (
        <p className="hint" data-testid="gps-status">
          {fields.gps ? t.position.accuracy(gpsAccuracy ?? 0) : t.position.gpsWaiting}
        </p>
      )}
      {usesGps && gpsAccuracy !== undefined && gpsAccuracy > ACCURACY_WARN_M && <p className="warning" role="alert">{t.position.lowAccuracy}</p>}
      {fields.positionMode === 'map' && <p className="hint">{t.position.placeHint}</p>}
      {fields.positionMode === 'mgrs' && (
        <label>
          {t.position.mgrsLabel}
          <input
            name="mgrs"
            value={fields.mgrsText}
            placeholder={t.position.mgrsPlaceholder}
            autoCapitalize="characters"
            spellCheck={false}
            {...positionInvalid}
            aria-invalid={(fields.mgrsText.trim() !== '' && !parseMgrs(fields.mgrsText)) || positionInvalid['aria-invalid'] === true}
            onChange={(e) => change({ mgrsText: e.target.value })}
          />
          {fields.mgrsText.trim() !== '' && !parseMgrs(fields.mgrsText) && <span className="error">{t.position.mgrsInvalid}</span>}
        </label>
      )}
      {fields.positionMode === 'bearing' && <BearingInput />}

      {location && <PositionReadout lon={location.lon} lat={location.lat} accuracyM={location.accuracyM} />}
      {location?.source === 'map' && location.accuracyM !== undefined && isCoarse(location.accuracyM) && (
        <p className="warning" role="alert">{t.position.coarse}</p>
      )}
      {sector && <p className="hint">{t.position.wedgeLabel}</p>}
      {!location && fields.positionMode !== 'bearing' && <p className="muted">{t.position.notSet}</p>}
      <FieldErrorList messages={errors.position} field="position" />
    </fieldset>
  );
}
