import { Inject, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { isPublicRoute } from './auth.decorators.js';

/**
 * What answers without credentials beside the controllers, where the guard does not decide:
 * the API documentation (Swagger UI and its OpenAPI document, which SwaggerModule serves from
 * Fastify), and the page Apollo shows a browser at GET /graphql before the front door's refusal
 * is thrown (graphql-admission.ts).
 */
export const API_DOCS_PATH = '/docs';
export const GRAPHQL_LANDING_PAGE = 'the GraphQL landing page (GET /graphql from a browser)';

/**
 * What answers without credentials, found the way the guard decides it (isPublicRoute on each
 * controller route), so what the boot log says cannot drift from what the guard does.
 */
@Injectable()
export class PublicRoutes {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  /** For the boot log: the public paths, then the GraphQL landing page. */
  described(): string[] {
    return [...this.paths(), GRAPHQL_LANDING_PAGE];
  }

  /** The paths of the @Public controller routes, then the API documentation's. */
  paths(): string[] {
    const paths = this.discovery.getControllers().flatMap(({ metatype, instance }) => {
      if (typeof metatype !== 'function' || instance === null || typeof instance !== 'object') {
        return [];
      }
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = prototype[name];
        // Only a route handler has a path; other methods are helpers.
        const routePaths = typeof handler === 'function' ? pathsOf(handler) : [];
        return routePaths.length > 0 && isPublicRoute(this.reflector, handler as () => unknown, metatype)
          ? pathsOf(metatype).flatMap((base) => routePaths.map((path) => joinPath(base, path)))
          : [];
      });
    });
    return [...new Set([...paths, API_DOCS_PATH])];
  }
}

function pathsOf(target: object): string[] {
  const path = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
  return path === undefined ? [] : [path].flat();
}

/** "health" and "/" → "/health"; "health" and "ready" → "/health/ready". */
function joinPath(base: string, path: string): string {
  return `/${[base, path]
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;
}
