import { type BasemapResponse, DEFAULT_MAP_VIEW, MapView } from '@truceline/shared';
import { useEffect, useState } from 'react';

export interface BasemapConfig {
  /** A style the deployment configured (`MAP_STYLE_URL`, or a style/tiles file in `DATA_DIR`). */
  styleUrl: string | undefined;
  /** Where the map opens when the device has no granted position and no view of its own (`MAP_DEFAULT_VIEW`). */
  defaultView: MapView;
}

const CACHE_KEY = 'truceline.basemap';

/** A server from before `defaultView` (or a cache written then) leaves it out: the old opening view. */
function configOf(body: { styleUrl?: string | null; defaultView?: unknown }): BasemapConfig {
  const view = MapView.safeParse(body.defaultView);
  return { styleUrl: body.styleUrl ?? undefined, defaultView: view.success ? view.data : DEFAULT_MAP_VIEW };
}

/**
 * Asks the server which basemap to use. Offline (or on a server without the route) the last
 * answer is reused, and with none the built-in offline basemap is used.
 */
export function useBasemapConfig(): BasemapConfig | 'loading' {
  const [config, setConfig] = useState<BasemapConfig | 'loading'>('loading');
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/basemap', { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const next = configOf((await res.json()) as Partial<BasemapResponse>);
        localStorage.setItem(CACHE_KEY, JSON.stringify(next));
        setConfig(next);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        console.info('basemap: using the last known or the built-in basemap', error);
        const cached = localStorage.getItem(CACHE_KEY);
        setConfig(configOf(cached ? (JSON.parse(cached) as Partial<BasemapConfig>) : {}));
      });
    return () => controller.abort();
  }, []);
  return config;
}
