import { t } from '../i18n';
import { formatDecimal, formatMgrs } from './draft-geometry';

/**
 * A position in decimal degrees and MGRS, the two forms monitors and coordinators read out, with
 * the radius it carries next to the coordinates when it is known: a position is never more exact
 * than that, whatever its digits say.
 */
export function PositionReadout({ lon, lat, accuracyM }: { lon: number; lat: number; accuracyM?: number | undefined }) {
  return (
    <dl className="readout">
      <dt>{t.position.decimal}</dt>
      <dd>
        <span data-testid="position-decimal">{formatDecimal({ lon, lat })}</span>
        {accuracyM !== undefined && (
          <>
            {' '}
            <span className="radius" data-testid="position-radius" title={t.position.radiusLabel}>{t.position.radius(accuracyM)}</span>
          </>
        )}
      </dd>
      <dt>{t.position.mgrs}</dt>
      <dd data-testid="position-mgrs">{formatMgrs({ lon, lat })}</dd>
    </dl>
  );
}
