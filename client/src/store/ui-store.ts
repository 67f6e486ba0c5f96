import { create } from 'zustand';

export type Panel = 'feed' | 'form' | 'outbox' | 'detail' | 'summary';
export type Theme = 'dark' | 'light';

export interface Layers {
  reports: boolean;
  incidents: boolean;
  areas: boolean;
}

export interface UiState {
  /** What the side panel (or, on a phone, the sheet over the map) shows. */
  panel: Panel;
  /** On a phone, whether the panel or the map fills the screen. */
  mobileView: 'map' | 'panel';
  selectedId: string | undefined;
  hoveredId: string | undefined;
  /** Asks the map to fly to a report (set by the feed, consumed by the map). */
  flyTo: { id: string; at: number } | undefined;
  /** Asks the map to fly to a position (set by the settlement search, consumed by the map). */
  goTo: { lon: number; lat: number; at: number } | undefined;
  layers: Layers;
  theme: Theme;
  openPanel(panel: Panel): void;
  showMobile(view: 'map' | 'panel'): void;
  select(id: string | undefined, options?: { fly?: boolean }): void;
  /** Flies the map to a report and, on a phone, shows the map. */
  showOnMap(id: string): void;
  hover(id: string | undefined): void;
  /** Flies the map to a position and, on a phone, shows the map. */
  goToPosition(position: { lon: number; lat: number }): void;
  toggleLayer(layer: keyof Layers): void;
  setTheme(theme: Theme): void;
}

const THEME_KEY = 'truceline.theme';

function initialTheme(): Theme {
  const stored = localStorage.getItem(THEME_KEY);
  if (stored === 'dark' || stored === 'light') return stored;
  return window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export const useUi = create<UiState>((set) => ({
  panel: 'feed',
  mobileView: 'map',
  selectedId: undefined,
  hoveredId: undefined,
  flyTo: undefined,
  goTo: undefined,
  layers: { reports: true, incidents: false, areas: false },
  theme: initialTheme(),
  openPanel: (panel) => set({ panel, mobileView: 'panel' }),
  showMobile: (mobileView) => set({ mobileView }),
  select: (id, options) =>
    set({
      selectedId: id,
      // On a phone the detail replaces the map; "show on map" flies back to it.
      ...(id ? { panel: 'detail' as const, mobileView: 'panel' as const } : { panel: 'feed' as const }),
      ...(id && options?.fly ? { flyTo: { id, at: Date.now() } } : {}),
    }),
  showOnMap: (id) => set({ selectedId: id, mobileView: 'map', flyTo: { id, at: Date.now() } }),
  hover: (hoveredId) => set({ hoveredId }),
  goToPosition: ({ lon, lat }) => set({ mobileView: 'map', goTo: { lon, lat, at: Date.now() } }),
  toggleLayer: (layer) => set((s) => ({ layers: { ...s.layers, [layer]: !s.layers[layer] } })),
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
}));
