/** The parts of the app's MapLibre map (exposed as `window.trucelineMap`) that the browser tests read. */
interface TestMap {
  getSource(id: string): unknown;
  getLayer(id: string): unknown;
  loaded(): boolean;
  triggerRepaint(): void;
  once(event: 'idle', listener: () => void): void;
  jumpTo(options: { center: [number, number]; zoom: number }): void;
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  isMoving(): boolean;
  project(lngLat: [number, number]): { x: number; y: number };
  queryRenderedFeatures(options: { layers: string[] }): { properties: Record<string, unknown> }[];
}

interface Window {
  trucelineMap?: TestMap;
}
