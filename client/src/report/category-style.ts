import type { Category } from '@truceline/shared';

export interface CategoryStyle {
  /** Fill colour on the map and in the form; chosen to stay apart for common colour blindness. */
  color: string;
  /** SVG path in a 24×24 box, drawn white on the colour (React `<path>` and canvas `Path2D` alike). */
  path: string;
}

/** Colour and symbol per category: the map, the feed and the form all read them from here. */
export const CATEGORY_STYLE: Readonly<Record<Category, CategoryStyle>> = {
  explosion: { color: '#e5484d', path: 'M12 2l2.2 5.3 5.6-2.1-2.1 5.6L23 12l-5.3 2.2 2.1 5.6-5.6-2.1L12 23l-2.2-5.3-5.6 2.1 2.1-5.6L1 12l5.3-2.2-2.1-5.6 5.6 2.1z' },
  shelling: { color: '#d6409f', path: 'M10 2h4v3l2 3v11h-8V8l2-3zM7 20h10v2H7z' },
  small_arms_fire: { color: '#f76b15', path: 'M3 10h12l3-2v8l-3-2H3zM19 9h2v6h-2z' },
  armed_clash: { color: '#ffc53d', path: 'M4 2l8 8 8-8 2 2-8 8 8 8-2 2-8-8-8 8-2-2 8-8-8-8z' },
  air_drone_strike: { color: '#8e4ec6', path: 'M11 2h2v12l4-3v3l-5 5-5-5v-3l4 3zM4 21h16v2H4z' },
  projectile_in_flight: { color: '#6e56cf', path: 'M2 19C6 8 14 4 20 6l-1-3 4 4-4 4-1-3C13 7 8 11 5 20z' },
  drone_sighting: { color: '#3e63dd', path: 'M9 9h6v6H9zM2 4a3 3 0 116 0 3 3 0 01-6 0zm14 0a3 3 0 116 0 3 3 0 01-6 0zM2 20a3 3 0 116 0 3 3 0 01-6 0zm14 0a3 3 0 116 0 3 3 0 01-6 0zM7 6l3 3-1 1-3-3zm11 0l1 1-3 3-1-1zM7 18l-1-1 3-3 1 1zm11 0l-3-3 1-1 3 3z' },
  heavy_weapons: { color: '#0090ff', path: 'M4 12h14v6H4zM7 9h8v3H7zM15 10h8v2h-8zM3 18h16v3H3z' },
  mine_uxo: { color: '#12a594', path: 'M12 6a6 6 0 110 12 6 6 0 010-12zM11 1h2v4h-2zm0 18h2v4h-2zM1 11h4v2H1zm18 0h4v2h-4z' },
  civilian_harm: { color: '#ce2c31', path: 'M12 2a3 3 0 110 6 3 3 0 010-6zM8 9h8l1 7h-2l-1 7h-4l-1-7H7z' },
  infrastructure_damage: { color: '#ad7f58', path: 'M12 2l10 9h-3v11H5V11H2zM11 12l2 3-2 2 1 4h-1l-2-4 2-2-2-3z' },
  monitor_restriction: { color: '#687076', path: 'M12 1a11 11 0 110 22 11 11 0 010-22zm0 3a8 8 0 100 16 8 8 0 000-16zM6 10.5h12v3H6z' },
  other: { color: '#8b8d98', path: 'M12 2a10 10 0 110 20 10 10 0 010-20zm0 4a4 4 0 00-4 4h2.5a1.5 1.5 0 113 0c0 1.5-2.5 1.8-2.5 4.5h2.5c0-2 2.5-2.5 2.5-4.5a4 4 0 00-4-4zm-1.3 10h2.6v2.6h-2.6z' },
};
