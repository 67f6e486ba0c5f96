import type { MapView } from '@truceline/shared';

const VIEW_KEY = 'truceline.view';
/** Close enough to see the streets and fields around the monitor. */
export const DEVICE_ZOOM = 13;
/** A fix this old is still where a monitor stands when the page opens. */
const POSITION_MAX_AGE_MS = 5 * 60_000;
/** How long the opening waits for a fix before the map stays where it opened. */
const POSITION_TIMEOUT_MS = 15_000;

/** The view this device last showed (written at every `moveend`), if any. */
export function savedView(): MapView | undefined {
  try {
    const raw = localStorage.getItem(VIEW_KEY);
    if (!raw) return undefined;
    // Written as `{center: [lon, lat], zoom}` since the first client; kept so old devices keep theirs.
    const { center, zoom } = JSON.parse(raw) as { center?: unknown; zoom?: unknown };
    if (Array.isArray(center) && typeof center[0] === 'number' && typeof center[1] === 'number' && typeof zoom === 'number') {
      return { lon: center[0], lat: center[1], zoom };
    }
  } catch (error) {
    console.warn('map: saved view unreadable', error);
  }
  return undefined;
}

export function saveView(view: MapView): void {
  localStorage.setItem(VIEW_KEY, JSON.stringify({ center: [view.lon, view.lat], zoom: view.zoom }));
}

/**
 * Where the device is, but only when the site may already read it: asking at load would put a
 * permission prompt before the map, and a refused prompt is hard to take back. `undefined` when
 * the permission is not granted (or cannot be queried) or no fix comes in time.
 */
export async function grantedDevicePosition(): Promise<{ lon: number; lat: number } | undefined> {
  if (!('geolocation' in navigator) || !('permissions' in navigator)) return undefined;
  try {
    const status = await navigator.permissions.query({ name: 'geolocation' });
    if (status.state !== 'granted') return undefined;
  } catch (error) {
    console.info('map: geolocation permission unknown, opening without the device position', error);
    return undefined;
  }
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }),
      (error) => {
        console.info('map: no device position at opening', error.message);
        resolve(undefined);
      },
      { maximumAge: POSITION_MAX_AGE_MS, timeout: POSITION_TIMEOUT_MS },
    );
  });
}
