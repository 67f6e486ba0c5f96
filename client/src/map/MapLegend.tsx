import { useId, useState, type ReactNode } from 'react';
import { t } from '../i18n';
import { CategoryIcon } from '../report/CategoryIcon';
import { useUi } from '../store/ui-store';
import { AREA_SHADES, OVERLAY_COLORS, REJECTED_OPACITY } from './layers/overlay-layers';

/** The phone layout's breakpoint (styles.css): there the legend starts folded, the map being small. */
const PHONE = '(max-width: 899px)';

function Swatch({ children }: { children: ReactNode }) {
  return (
    <svg width="32" height="24" viewBox="0 0 32 24" aria-hidden="true" focusable="false" className="legend-swatch">
      {children}
    </svg>
  );
}

function Item({ swatch, children }: { swatch: ReactNode; children: ReactNode }) {
  return (
    <li>
      {swatch}
      <span>{children}</span>
    </li>
  );
}

const HEXAGON = '16,2 27,8 27,18 16,24 5,18 5,8';

/**
 * What the map's symbols mean, for the layers switched on: drawn with the colours the layers
 * use (`overlay-layers.ts`). A button folds it, so it never hides the map for good.
 */
export function MapLegend() {
  const layers = useUi((s) => s.layers);
  const [open, setOpen] = useState(() => !window.matchMedia(PHONE).matches);
  const listId = useId();
  // An id usable in `url(#…)`: React's may hold characters a URL fragment would need escaped.
  const gradientId = `legend-shades-${listId.replace(/[^\w-]/g, '')}`;
  const low = AREA_SHADES[0]?.[0] ?? 0;
  const high = AREA_SHADES[AREA_SHADES.length - 1]?.[0] ?? low + 1;
  return (
    <section className="map-legend" aria-label={t.legend.title} data-open={open}>
      <button type="button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {t.legend.title}
      </button>
      <ul id={listId} className="legend-list" hidden={!open}>
        {layers.reports && (
          <>
            <Item swatch={<Swatch><g transform="translate(6 2)"><CategoryIcon category="explosion" size={20} /></g></Swatch>}>{t.legend.report}</Item>
            <Item swatch={<Swatch><g transform="translate(5 1)"><CategoryIcon category="explosion" size={23} /></g></Swatch>}>{t.legend.verified}</Item>
            <Item swatch={<Swatch><g transform="translate(6 2)" opacity={REJECTED_OPACITY}><CategoryIcon category="explosion" size={20} /></g></Swatch>}>{t.legend.rejected}</Item>
            <Item swatch={<Swatch><circle cx="16" cy="12" r="10" fill={OVERLAY_COLORS.cluster} stroke="#fff" strokeWidth="1.5" /><text x="16" y="16" textAnchor="middle" fontSize="11" fill="#fff">12</text></Swatch>}>{t.legend.cluster}</Item>
            <Item swatch={<Swatch><circle cx="16" cy="12" r="10" fill="none" stroke={OVERLAY_COLORS.wedge} strokeWidth="3" /></Swatch>}>{t.legend.selected}</Item>
            <Item swatch={<Swatch><path d="M4 20 L28 4 L28 20 Z" fill={OVERLAY_COLORS.wedge} fillOpacity="0.3" stroke={OVERLAY_COLORS.wedge} strokeWidth="1.5" /></Swatch>}>{t.legend.wedge}</Item>
          </>
        )}
        {layers.incidents && (
          <>
            <Item swatch={<Swatch><circle cx="16" cy="14" r="8" fill="rgba(255, 197, 61, 0.15)" stroke={OVERLAY_COLORS.incident} strokeWidth="2" /><text x="16" y="8" textAnchor="middle" fontSize="9" fill={OVERLAY_COLORS.incident}>3</text></Swatch>}>{t.legend.incident}</Item>
            <Item swatch={<Swatch><path d="M2 22 L16 10 M30 22 L16 10 M16 1 L16 10" stroke={OVERLAY_COLORS.ray} strokeWidth="1.5" /><circle cx="16" cy="10" r="6" fill="none" stroke={OVERLAY_COLORS.fix} strokeWidth="1.5" strokeDasharray="3 2" /><circle cx="16" cy="10" r="2.5" fill={OVERLAY_COLORS.fix} /></Swatch>}>{t.legend.triangulation}</Item>
          </>
        )}
        {layers.areas && (
          <Item
            swatch={
              <Swatch>
                <defs>
                  <linearGradient id={gradientId}>
                    {AREA_SHADES.map(([count, color]) => <stop key={count} offset={(count - low) / (high - low)} stopColor={color} />)}
                  </linearGradient>
                </defs>
                <polygon points={HEXAGON} fill={`url(#${gradientId})`} fillOpacity="0.7" stroke={OVERLAY_COLORS.areaLine} />
                <text x="16" y="17" textAnchor="middle" fontSize="10" fill="#fff" stroke="#5a1d00" strokeWidth="0.6">7</text>
              </Swatch>
            }
          >
            {t.legend.areas}
          </Item>
        )}
      </ul>
    </section>
  );
}
