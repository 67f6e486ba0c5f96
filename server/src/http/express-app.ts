import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { REPORT_LIMITS } from '@truceline/shared';
import { metricsRoute } from '../metrics/metrics-http.js';
import { apiNotFound, errorHandler } from './errors.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { basemapRoutes } from './routes/basemap.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoutes } from './routes/openapi.js';
import { placeRoutes } from './routes/places.js';
import { readModelRoutes } from './routes/read-models.js';
import { reportRoutes } from './routes/reports.js';
import { summaryRoutes } from './routes/summary.js';
import { userRoutes } from './routes/users.js';
import type { HttpServices } from './services.js';
import { REVALIDATE, staticCacheControl } from './static-cache.js';

/** The express app: security headers, the API, then the built web client. */
export function createExpressApp(s: HttpServices): Express {
  const app = express();
  // A configured external basemap is the one host besides this server the page may reach.
  const mapOrigin = s.config.mapStyleUrl?.startsWith('http') ? [new URL(s.config.mapStyleUrl).origin] : [];
  app.disable('x-powered-by');
  app.set('trust proxy', s.config.trustProxy);
  app.set('query parser', 'simple');
  // API answers are `no-store`: an ETag (a hash of every JSON body) would only cost time. Static
  // files keep theirs (express.static computes its own).
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // MapLibre spawns its workers from blob: URLs and draws sprites from data:/blob:.
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:', ...mapOrigin],
          // MapLibre positions markers and popups with inline style attributes.
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'", ...mapOrigin],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // Only over HTTPS does HSTS mean anything; on plain HTTP it would lock out a LAN deployment.
      strictTransportSecurity: s.config.tlsCert ? { maxAge: 15552000 } : false,
      crossOriginEmbedderPolicy: false,
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: REPORT_LIMITS.maxBodyBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(healthRoutes(s));
  api.use(openApiRoutes());
  api.use(basemapRoutes(s));
  api.use(authRoutes(s));
  api.use(userRoutes(s));
  api.use(auditRoutes(s));
  api.use(reportRoutes(s));
  api.use(readModelRoutes(s));
  api.use(exportRoutes(s));
  api.use(summaryRoutes(s));
  api.use(placeRoutes(s));
  api.use(apiNotFound);
  app.use('/api', api);
  // Before the web client's catch-all, which would otherwise answer it with the app shell.
  app.get('/metrics', metricsRoute(s.metrics?.registry, s.config.metricsToken));

  const clientDir = s.config.clientDir;
  const indexHtml = path.join(clientDir, 'index.html');
  if (fs.existsSync(indexHtml)) {
    // The app's files are compressed (MapLibre alone is 1 MB, 290 KB gzipped: what a phone on a
    // bad link feels); of the API only the large JSON answers are (`compressJson`), not the
    // export: it streams and must abort, not buffer.
    app.use(compression());
    // Hashed assets for a year, the rest revalidated: a monitor on a weak link reloads from the
    // browser cache, and a new version is still seen at the next load.
    app.use(
      express.static(clientDir, {
        index: 'index.html',
        setHeaders: (res, filePath) => res.setHeader('Cache-Control', staticCacheControl(path.relative(clientDir, filePath).split(path.sep).join('/'))),
      }),
    );
    // Settlement tiles exist only where there are settlements: any other is empty, not the app shell.
    app.get(/^\/basemap\/settlements\/\d+\/\d+\/\d+\.pbf$/, (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.status(204).end();
    });
    // Client-side routes: any other GET that is not a file gets the app shell. A missing asset (a
    // stale page asking for a chunk of an older build) is a 404, not HTML served as a script.
    app.get(/^\/(?!api\/|socket\.io\/|assets\/).*/, (_req, res) => {
      res.sendFile(indexHtml, { headers: { 'Cache-Control': REVALIDATE } });
    });
  } else {
    s.log.warn({ clientDir }, 'no built web client found; serving the API only (run pnpm build)');
  }
  app.use(errorHandler(s.log));
  return app;
}
