import { z } from 'zod';

/** Where a map looks: its centre and its zoom (MapLibre's, 512 px tiles). */
export const MapView = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-85).max(85),
  zoom: z.number().min(0).max(22),
});
export type MapView = z.infer<typeof MapView>;

/** The whole of Ukraine: where a map opens when the mission set no view of its own. */
export const DEFAULT_MAP_VIEW: MapView = { lon: 31.2, lat: 48.4, zoom: 5 };

/**
 * `GET /api/basemap`: the style the web client draws (`null`: its built-in offline basemap) and
 * where its map opens on a device that has neither a granted position nor a view of its own.
 */
export interface BasemapResponse {
  styleUrl: string | null;
  defaultView: MapView;
}

/**
 * Reads a view written `lon,lat,zoom` (`MAP_DEFAULT_VIEW=37.8,48.1,9`); `undefined` when it is not
 * three numbers in range, so the caller can say which setting is wrong.
 */
export function parseMapView(text: string): MapView | undefined {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 3 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) return undefined;
  const [lon, lat, zoom] = parts.map(Number) as [number, number, number];
  const parsed = MapView.safeParse({ lon, lat, zoom });
  return parsed.success ? parsed.data : undefined;
}
