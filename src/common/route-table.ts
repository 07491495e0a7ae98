import type { FastifyInstance, RouteOptions } from 'fastify';
import { at } from './at.js';

/**
 * The routes Fastify serves, kept from its onRoute hook, to tell "no such path" (404) from "this
 * path, another method" (405 with Allow): Fastify itself answers 404 for both.
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; methods: string[] }[] = [];

  /** Must be called before the routes are registered (before app.init()). */
  static attach(instance: FastifyInstance): RouteTable {
    const table = new RouteTable();
    instance.addHook('onRoute', (route: RouteOptions) => table.add(route.url, route.method));
    return table;
  }

  add(url: string, method: string | string[]): void {
    const methods = (Array.isArray(method) ? method : [method]).map((m) => m.toUpperCase());
    this.routes.push({ pattern: toPattern(url), methods });
  }

  /** The methods other routes accept on this path; empty when no route matches the path at all. */
  allowedMethods(path: string): string[] {
    const bare = at(path.split('?'), 0);
    const methods = new Set<string>();
    for (const route of this.routes) {
      if (route.pattern.test(bare)) {
        route.methods.forEach((m) => methods.add(m));
      }
    }
    return [...methods].sort();
  }
}

// "/v1/plans/:id/manifests" → /^\/v1\/plans\/[^/]+\/manifests\/?$/ ; "/docs/*" → anything below /docs/.
function toPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') {
        return '.*';
      }
      if (segment.startsWith(':')) {
        return '[^/]+';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}
