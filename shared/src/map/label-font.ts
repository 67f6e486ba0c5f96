/** The one label font of every style Truceline makes; the client's own map layers ask for it by name. */
export const LABEL_FONT = 'Noto Sans Regular';

/**
 * MapLibre `font-faces` for {@link LABEL_FONT}: the Noto Sans files the web client serves under
 * `/fonts/` (see client/scripts/build-basemap.mjs), split by script so a page of Latin labels
 * never downloads Cyrillic. Used by the built-in offline style and by styles the server makes.
 */
export function labelFontFaces(origin: string): Record<string, { url: string; 'unicode-range': string[] }[]> {
  const font = (subset: string): string => `${origin}/fonts/noto-sans-${subset}-400-normal.woff2`;
  return {
    [LABEL_FONT]: [
      { url: font('latin'), 'unicode-range': ['U+0000-00FF', 'U+2000-206F'] },
      { url: font('latin-ext'), 'unicode-range': ['U+0100-024F', 'U+1E00-1EFF'] },
      { url: font('cyrillic'), 'unicode-range': ['U+0400-045F', 'U+0490-0491', 'U+04B0-04B1'] },
      { url: font('cyrillic-ext'), 'unicode-range': ['U+0460-052F'] },
    ],
  };
}
