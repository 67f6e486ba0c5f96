import { t } from '../i18n';
import { formatDecimal, formatMgrs } from './draft-geometry';

/** A position in decimal degrees and MGRS, the two forms monitors and coordinators read out. */
export function PositionReadout({ lon, lat }: { lon: number; lat: number }) {
  return (
    <dl className="readout">
      <dt>{t.position.decimal}</dt>
      <dd data-testid="position-decimal">{formatDecimal({ lon, lat })}</dd>
      <dt>{t.position.mgrs}</dt>
      <dd data-testid="position-mgrs">{formatMgrs({ lon, lat })}</dd>
    </dl>
  );
}
