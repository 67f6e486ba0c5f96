import { useEffect, useState } from 'react';

export interface BasemapConfig {
  /** A style the deployment configured (`MAP_STYLE_URL`, or a style/tiles file in `DATA_DIR`). */
  styleUrl: string | undefined;
}

const CACHE_KEY = 'truceline.basemap';

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
        const body = (await res.json()) as { styleUrl?: string | null };
        const next = { styleUrl: body.styleUrl ?? undefined };
        localStorage.setItem(CACHE_KEY, JSON.stringify(next));
        setConfig(next);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        console.info('basemap: using the last known or the built-in basemap', error);
        const cached = localStorage.getItem(CACHE_KEY);
        setConfig(cached ? (JSON.parse(cached) as BasemapConfig) : { styleUrl: undefined });
      });
    return () => controller.abort();
  }, []);
  return config;
}
