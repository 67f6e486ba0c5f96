import type { StyleSpecification } from 'maplibre-gl';
import { offlineStyle as sharedOfflineStyle } from '@truceline/shared';
import type { Theme } from '../../store/ui-store';

/** The default basemap, served by Truceline itself (defined in shared/, where the map bench uses it too). */
export function offlineStyle(theme: Theme, origin: string): StyleSpecification {
  // The shared style is plain data; its layer and expression arrays are what MapLibre takes.
  return sharedOfflineStyle(theme, origin) as StyleSpecification;
}
