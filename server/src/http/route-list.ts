import type { Express } from 'express';

/** A route the express app answers: its method (lower case) and its express path, mounts included. */
export interface HttpRoute {
  method: string;
  path: string;
}

interface StackLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

function walk(stack: StackLayer[], prefix: string, out: HttpRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      // Regular-expression routes (the web client's shell and files) have no path to list.
      if (typeof layer.route.path !== 'string') continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method, path: prefix + layer.route.path });
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

/**
 * Every method and path the app has a route for, read from express's router (express 5,
 * `router` 2: a mounted router's layer keeps its path as `rawPath`). The tests compare it with
 * the published route table, so no route goes undocumented.
 */
export function listRoutes(app: Express): HttpRoute[] {
  const out: HttpRoute[] = [];
  walk((app as unknown as { router: { stack: StackLayer[] } }).router.stack, '', out);
  return out;
}
