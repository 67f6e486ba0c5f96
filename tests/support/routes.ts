import { pino } from 'pino';
import type { Config } from '@truceline/server';
import { createExpressApp } from '../../server/src/http/express-app.js';
import type { HttpServices } from '../../server/src/http/services.js';

export interface Route {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  match(path: string): boolean;
}

/**
 * Every route of the API router (`/api/...`), read from the express app the server builds, so a
 * route added later shows up here without anyone listing it. Building the app only wires
 * handlers; no service is called until a request comes, so none is given.
 */
export function apiRoutes(config: Config): Route[] {
  const app = createExpressApp({ config, log: pino({ level: 'silent' }) } as unknown as HttpServices) as unknown as { router: { stack: Layer[] } };
  const routes: Route[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on) routes.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
      } else if (layer.handle?.stack) {
        // Routers are mounted without a path (`api.use(router)`), the API one at `/api`.
        walk(layer.handle.stack, prefix === '' && layer.match('/api') && !layer.match('/') ? '/api' : prefix);
      }
    }
  };
  walk(app.router.stack, '');
  return routes.filter((r) => r.path.startsWith('/api/'));
}
