import type { IControl, Map as MapLibreMap } from 'maplibre-gl';
import { t } from '../i18n';
import { DEVICE_ZOOM } from './opening-view';

/** Crosshairs in a circle: the usual "my position" symbol. */
const ICON =
  '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2">' +
  '<circle cx="12" cy="12" r="6"/><circle cx="12" cy="12" r="1.5" fill="currentColor"/><path d="M12 2v4M12 18v4M2 12h4M18 12h4"/></svg>';

/**
 * A map button that asks for the device's position when pressed (so the browser's prompt follows
 * a person's intent, not the page load) and flies there. What went wrong goes to `onMessage`, and
 * `onMessage(undefined)` clears it when a position arrives.
 */
export class LocateControl implements IControl {
  private container: HTMLDivElement | undefined;

  constructor(private readonly onMessage: (message: string | undefined) => void) {}

  onAdd(map: MapLibreMap): HTMLElement {
    const container = document.createElement('div');
    container.className = 'maplibregl-ctrl maplibregl-ctrl-group';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tl-locate';
    button.setAttribute('aria-label', t.map.locate);
    button.title = t.map.locate;
    button.innerHTML = ICON;
    button.addEventListener('click', () => this.locate(map, button));
    container.append(button);
    this.container = container;
    return container;
  }

  onRemove(): void {
    this.container?.remove();
    this.container = undefined;
  }

  private locate(map: MapLibreMap, button: HTMLButtonElement): void {
    if (!('geolocation' in navigator)) {
      this.onMessage(t.map.locateUnavailable);
      return;
    }
    button.setAttribute('aria-busy', 'true');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        button.removeAttribute('aria-busy');
        this.onMessage(undefined);
        map.flyTo({ center: [p.coords.longitude, p.coords.latitude], zoom: Math.max(map.getZoom(), DEVICE_ZOOM) });
      },
      (error) => {
        button.removeAttribute('aria-busy');
        this.onMessage(error.code === error.PERMISSION_DENIED ? t.map.locateDenied : t.map.locateFailed);
      },
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 20_000 },
    );
  }
}
