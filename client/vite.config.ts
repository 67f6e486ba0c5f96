import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  resolve: {
    // The client compiles the shared contract from source: one definition, no stale build.
    alias: { '@truceline/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: true,
    rollupOptions: {
      output: {
        // MapLibre in a chunk of its own: an app update then re-downloads the app's code only,
        // not the map library, which matters on a field connection.
        manualChunks: (id: string) => (id.includes('node_modules/maplibre-gl/') ? 'maplibre' : undefined),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/socket.io': { target: 'ws://localhost:8080', ws: true } },
  },
  plugins: [
    react(),
    VitePWA({
      // A new version waits for the person to say so: reloading on its own could lose a half-typed report.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Truceline',
        short_name: 'Truceline',
        description: 'Report and review ceasefire violations, online or off.',
        theme_color: '#14181f',
        background_color: '#14181f',
        display: 'standalone',
        start_url: '/',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // Control the page that installed the worker at once: a monitor who loads the app once
        // and walks out of coverage must be able to reload it there.
        clientsClaim: true,
        // The app shell and the offline basemap are precached: the app opens with no network.
        globPatterns: ['**/*.{js,mjs,css,html,svg,geojson,woff2,webmanifest}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//],
        // Settlement tiles are too many to precache (thousands, 3.7 MiB): the ones a monitor has
        // seen are kept, so villages stay on the map offline where they worked before.
        runtimeCaching: [
          {
            urlPattern: /\/basemap\/settlements\/\d+\/\d+\/\d+\.pbf$/,
            handler: 'StaleWhileRevalidate',
            options: { cacheName: 'settlement-tiles', expiration: { maxEntries: 400 } },
          },
        ],
      },
    }),
  ],
});
