import { type Area, type IncidentState, isMergedIncident, type MapView, type Report } from '@truceline/shared';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { Protocol as PmtilesProtocol } from 'pmtiles';
import { addProtocol, Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource, type MapGeoJSONFeature, type StyleSpecification } from 'maplibre-gl';
import { useDraft } from '../report/draft-store';
import { useFilters } from '../store/filters-store';
import { visibleReports } from '../store/visible-reports';
import { HIGHLIGHT_MS, useLiveData } from '../store/live-data-store';
import { useSession } from '../session/session-store';
import { useUi, type Theme } from '../store/ui-store';
import { t } from '../i18n';
import { offlineStyle } from './basemap/offline-style';
import { addCategoryImages } from './category-images';
import { LocateControl } from './locate-control';
import { DEVICE_ZOOM, saveView } from './opening-view';
import { areaLabelPoints, areasOf, incidentPoints, incidentsOf } from './layers/aggregate-features';
import { draftFeatures } from './layers/draft-features';
import { addOverlayLayers, LAYERS, selectedFilter, SOURCES } from './layers/overlay-layers';
import { reportPoints, reportWedge } from './layers/report-features';
import { triangulationFeatures } from './layers/triangulation-features';

// MapLibre finds its worker next to its own module, which a bundle moves; point it at the emitted file.
setWorkerUrl(workerUrl);
// A deployment's style may read a PMTiles archive that Truceline serves from DATA_DIR/basemap.
addProtocol('pmtiles', new PmtilesProtocol().tile);

export interface MapControllerOptions {
  container: HTMLElement;
  /** A deployment's own style (URL), or `undefined` for the built-in offline basemap. */
  styleUrl: string | undefined;
  /** Where the map opens (the saved view, else the mission's default; see `opening-view.ts`). */
  view: MapView;
  onBasemapError(): void;
  /** A message about the locate-me button (refused, unavailable), or `undefined` to clear it. */
  onLocateMessage(message: string | undefined): void;
}

/** What a source holds when it holds nothing (how `addOverlayLayers` creates it). */
const EMPTY = Symbol('empty');

type Dirty = 'reports' | 'wedges' | 'aggregates' | 'draft' | 'selection' | 'visibility' | 'triangulation';

/**
 * Drives MapLibre from the stores: every store change marks what is stale, and one animation
 * frame later each stale source gets one `setData` — a burst of live reports is one redraw.
 */
export class MapController {
  readonly map: MapLibreMap;
  private readonly dirty = new Set<Dirty>();
  private frame: number | undefined;
  private freshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribers: (() => void)[] = [];
  private theme: Theme;
  /** The person moved the map (drag, pinch, wheel, buttons): a late device fix no longer moves it. */
  private userMoved = false;
  /**
   * What each source was last given, so a store change that leaves it as it was is not sent
   * again: every `setData` copies the whole collection to the worker, re-indexes it there and
   * reloads its tiles, and on a page without GPU every redraw that follows costs ~100 ms. A new
   * style starts with empty sources, so `style.load` forgets all of it.
   */
  private readonly drawn = new Map<string, unknown>();

  constructor(private readonly options: MapControllerOptions) {
    this.theme = useUi.getState().theme;
    const { view } = options;
    this.map = new MapLibreMap({
      container: options.container,
      style: this.style(),
      center: [view.lon, view.lat],
      zoom: view.zoom,
      attributionControl: { compact: true, customAttribution: t.map.attribution },
      // Keep the drawing buffer so screenshots and print capture the map.
      canvasContextAttributes: { preserveDrawingBuffer: true },
      // Labels appear at once instead of fading in over 300 ms: a fade redraws the whole map
      // every frame, after every tile load and every live commit, and on a phone or laptop
      // without GPU rendering each redraw costs ~100 ms (2.4 s of a 15 s first load measured).
      fadeDuration: 0,
    });
    this.map.addControl(new NavigationControl({ visualizePitch: false }), 'top-right');
    this.map.addControl(new LocateControl(options.onLocateMessage), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.map.on('style.load', () => {
      this.drawn.clear();
      for (const source of [SOURCES.reports, SOURCES.wedges, SOURCES.draft, SOURCES.triangulation]) this.drawn.set(source, [EMPTY]);
      addCategoryImages(this.map);
      addOverlayLayers(this.map);
      // Now, with the layers, not a frame later: hiding them then would cost a redraw.
      this.applyVisibility();
      this.markAll();
    });
    this.map.on('error', (event) => {
      console.warn('map error', event.error);
      if (!this.map.isStyleLoaded()) options.onBasemapError();
    });
    this.map.on('movestart', (event) => {
      if (!event.originalEvent) return;
      this.userMoved = true;
      // A locate-me message has been read once the person moves on.
      options.onLocateMessage(undefined);
    });
    // The last view is where the map reopens, offline too (issue 11 §8).
    this.map.on('moveend', () => {
      const c = this.map.getCenter();
      saveView({ lon: c.lng, lat: c.lat, zoom: this.map.getZoom() });
    });
    this.bindPointer();
    this.subscribe();
  }

  /**
   * Opens on where the device stands (a fix that came after the map opened), unless the person
   * has already moved the map: then they are looking at something else.
   */
  showDevicePosition(position: { lon: number; lat: number }): void {
    if (this.userMoved) return;
    this.map.jumpTo({ center: [position.lon, position.lat], zoom: DEVICE_ZOOM });
  }

  dispose(): void {
    for (const u of this.unsubscribers) u();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    if (this.freshTimer) clearTimeout(this.freshTimer);
    this.map.remove();
  }

  private style(): StyleSpecification | string {
    return this.options.styleUrl ?? offlineStyle(this.theme, window.location.origin);
  }

  private subscribe(): void {
    this.unsubscribers.push(
      useLiveData.subscribe((s, p) => {
        if (s.reports !== p.reports || s.fresh !== p.fresh) this.mark('reports', 'wedges', 'aggregates', 'triangulation');
        if (s.incidents !== p.incidents || s.areas !== p.areas) this.mark('aggregates', 'triangulation');
      }),
      useFilters.subscribe(() => this.mark('reports', 'wedges', 'aggregates')),
      useSession.subscribe((s, p) => {
        if (s.user !== p.user) this.mark('reports');
      }),
      useDraft.subscribe((s, p) => {
        if (s.fields !== p.fields) this.mark('draft');
      }),
      useUi.subscribe((s, p) => {
        if (s.selectedId !== p.selectedId || s.hoveredId !== p.hoveredId) this.mark('wedges', 'selection', 'triangulation');
        if (s.panel !== p.panel) this.mark('draft');
        if (s.layers !== p.layers) this.mark('visibility', 'aggregates', 'triangulation');
        if (s.flyTo && s.flyTo !== p.flyTo) this.flyTo(s.flyTo.id);
        // A settlement: close enough to see its streets and the reports around it.
        if (s.goTo && s.goTo !== p.goTo) this.map.flyTo({ center: [s.goTo.lon, s.goTo.lat], zoom: Math.max(this.map.getZoom(), 12) });
        if (s.theme !== p.theme && !this.options.styleUrl) {
          this.theme = s.theme;
          // A full reload, not a diff: a diff would drop Truceline's own layers without a
          // `style.load` to add them back.
          this.map.setStyle(this.style(), { diff: false });
        }
      }),
    );
  }

  private mark(...parts: Dirty[]): void {
    for (const p of parts) this.dirty.add(p);
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  private markAll(): void {
    this.mark('reports', 'wedges', 'aggregates', 'draft', 'selection', 'visibility', 'triangulation');
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  private visibleReports(): Report[] {
    const f = useFilters.getState();
    const userId = useSession.getState().user?.id;
    return visibleReports(useLiveData.getState().reports, f, userId, f.now);
  }

  private flush(): void {
    this.frame = undefined;
    if (!this.map.getSource(SOURCES.reports)) return; // style still loading; `style.load` marks all
    const dirty = new Set(this.dirty);
    this.dirty.clear();
    const live = useLiveData.getState();
    const ui = useUi.getState();
    // Filtered once per frame, and only when something drawn from it is stale.
    let visible: Report[] | undefined;
    const visibleNow = (): Report[] => (visible ??= this.visibleReports());
    if (dirty.has('reports')) {
      // Nothing to show is nothing to show, whatever the highlights: the source starts empty.
      const drawnFrom = visibleNow().length === 0 ? [EMPTY] : [visibleNow(), live.fresh];
      if (this.changed(SOURCES.reports, ...drawnFrom)) {
        this.source(SOURCES.reports)?.setData(reportPoints(visibleNow(), live.fresh));
        this.scheduleFreshExpiry(live.fresh);
      }
    }
    if (dirty.has('wedges')) {
      const ids = new Set([ui.selectedId, ui.hoveredId].filter((id): id is string => id !== undefined));
      const shown = [...ids].flatMap((id) => live.reports[id] ?? []);
      if (this.changed(SOURCES.wedges, shown.length === 0 ? EMPTY : shown.map((r) => `${r.id}@${r.seq}`).join(' '))) {
        this.source(SOURCES.wedges)?.setData({ type: 'FeatureCollection', features: shown.flatMap(reportWedge) });
      }
    }
    // Incidents and cells follow the filters too, so map, feed and export show one selection.
    // A hidden layer is not recomputed: switching it on marks it stale again.
    if (dirty.has('aggregates') && ui.layers.incidents) {
      const current: Record<string, IncidentState> = {};
      for (const i of Object.values(live.incidents)) if (!isMergedIncident(i)) current[i.id] = i;
      this.source(SOURCES.incidents)?.setData(incidentPoints(incidentsOf(visibleNow(), current)));
    }
    if (dirty.has('aggregates') && ui.layers.areas) this.drawAreas(areasOf(visibleNow(), live.areas));
    if (dirty.has('triangulation')) this.drawTriangulation();
    if (dirty.has('draft')) {
      const fields = useDraft.getState().fields;
      const open = ui.panel === 'form';
      if (this.changed(SOURCES.draft, ...(open ? [fields] : [EMPTY]))) this.source(SOURCES.draft)?.setData(draftFeatures(fields, open, new Date()));
    }
    if (dirty.has('selection')) {
      this.map.setFilter(LAYERS.selected, selectedFilter(ui.selectedId));
    }
    if (dirty.has('visibility')) this.applyVisibility();
  }

  /**
   * How the selected report's incident was triangulated, if it was: its bearings, fix and circle.
   * Redrawn only when that incident or one of its reports changed (by `seq`).
   */
  private drawTriangulation(): void {
    const live = useLiveData.getState();
    const ui = useUi.getState();
    const incidentId = ui.selectedId === undefined ? null : (live.reports[ui.selectedId]?.incidentId ?? null);
    const incident = incidentId === null ? undefined : live.incidents[incidentId];
    const state = incident && !isMergedIncident(incident) && ui.layers.incidents ? incident : undefined;
    const key = state?.triangulation
      ? [state.id, state.seq, ...state.triangulation.reportIds.map((id) => `${id}@${live.reports[id]?.seq ?? ''}`)].join(' ')
      : EMPTY;
    if (this.changed(SOURCES.triangulation, key)) this.source(SOURCES.triangulation)?.setData(triangulationFeatures(state, live.reports));
  }

  /** Shows the layers switched on; a layer already as asked is left alone (no redraw). */
  private applyVisibility(): void {
    const { layers } = useUi.getState();
    const show = (layer: string, on: boolean): void => {
      this.map.setLayoutProperty(layer, 'visibility', on ? 'visible' : 'none');
    };
    for (const l of [LAYERS.clusters, LAYERS.clusterCount, LAYERS.fresh, LAYERS.selected, LAYERS.points]) show(l, layers.reports);
    for (const l of [LAYERS.incidents, LAYERS.incidentsLabel]) show(l, layers.incidents);
    for (const l of [LAYERS.areas, LAYERS.areasLine, LAYERS.areasLabel]) show(l, layers.areas);
  }

  /** Whether `source` was last drawn from other inputs (compared by identity); remembers these. */
  private changed(source: string, ...inputs: unknown[]): boolean {
    const last = this.drawn.get(source) as unknown[] | undefined;
    if (last && last.length === inputs.length && last.every((x, i) => x === inputs[i])) return false;
    this.drawn.set(source, inputs);
    return true;
  }

  /** Draws the area cells; H3 is fetched the first time the layer is shown. */
  private drawAreas(areas: Area[]): void {
    this.source(SOURCES.areaLabels)?.setData(areaLabelPoints(areas));
    void import('./layers/area-hexagons')
      .then(({ areaHexagons }) => this.source(SOURCES.areas)?.setData(areaHexagons(areas)))
      .catch((error: unknown) => console.warn('map: area cells not drawn', error));
  }

  /** Redraws once the newest highlight has faded, so the halo does not stay forever. */
  private scheduleFreshExpiry(fresh: Readonly<Record<string, number>>): void {
    if (this.freshTimer) clearTimeout(this.freshTimer);
    // A loop, not Math.max(...spread): a burst can hold more highlights than a call has arguments.
    let newest = 0;
    for (const at of Object.values(fresh)) if (at > newest) newest = at;
    const left = newest + HIGHLIGHT_MS - Date.now();
    if (newest === 0 || left <= 0) return;
    this.freshTimer = setTimeout(() => {
      // Expire the highlights in the store too, so the feed stops showing them.
      useLiveData.setState((s) => ({ fresh: Object.fromEntries(Object.entries(s.fresh).filter(([, at]) => Date.now() - at < HIGHLIGHT_MS)) }));
    }, left + 50);
  }

  private flyTo(id: string): void {
    const r = useLiveData.getState().reports[id];
    if (r) this.map.flyTo({ center: [r.location.lon, r.location.lat], zoom: Math.max(this.map.getZoom(), 12) });
  }

  private bindPointer(): void {
    const map = this.map;
    map.on('click', (e) => {
      // While a position is being placed the crosshair places it, not taps: a double-tap zoom
      // or a stray touch must neither move the point nor open a report over the form.
      if (useUi.getState().panel === 'form' && useDraft.getState().picking() && useDraft.getState().savedId === undefined) return;
      const features: MapGeoJSONFeature[] = map.getLayer(LAYERS.points)
        ? map.queryRenderedFeatures(e.point, { layers: [LAYERS.points, LAYERS.clusters, ...(useUi.getState().layers.incidents ? [LAYERS.incidents] : [])] })
        : [];
      const hit = features[0];
      if (!hit) return;
      const clusterId = hit.properties.cluster_id as number | undefined;
      if (clusterId !== undefined) {
        void this.source(SOURCES.reports)
          ?.getClusterExpansionZoom(clusterId)
          .then((zoom) => {
            map.easeTo({ center: (hit.geometry as GeoJSON.Point).coordinates as [number, number], zoom });
          });
        return;
      }
      const id = hit.properties.id as string | undefined;
      if (!id) return;
      if (hit.layer.id === LAYERS.incidents) {
        // An incident opens its first report held here; the detail lists the incident's others.
        const reportId = useLiveData.getState().incidents[id]?.reportIds.find((rid) => useLiveData.getState().reports[rid]);
        if (reportId) useUi.getState().select(reportId);
        return;
      }
      useUi.getState().select(id);
    });
    map.on('mousemove', LAYERS.points, (e) => {
      map.getCanvas().style.cursor = 'pointer';
      const id = e.features?.[0]?.properties.id as string | undefined;
      if (id !== useUi.getState().hoveredId) useUi.getState().hover(id);
    });
    map.on('mouseleave', LAYERS.points, () => {
      map.getCanvas().style.cursor = '';
      useUi.getState().hover(undefined);
    });
  }
}
