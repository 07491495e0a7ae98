import type { IncomingMessage, ServerResponse } from 'node:http';
import { containsApiKey, replaceApiKeys } from '../auth/api-key.js';

export const REDACTED = '[Redacted]';

/**
 * Paths pino redacts wherever a request or its headers end up in a log line. The request
 * serializer below logs no headers at all; these catch the day someone logs `req.headers` or a
 * raw request by hand.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'req.headers["x-slack-signature"]',
  'req.headers["x-api-key"]',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
];

/**
 * A field name that holds a credential, whatever object it sits in: `token`, `apiKey`,
 * `signingSecret`, `x-slack-signature`, `password`… Pino's paths cannot say "any key containing
 * token", so `censorSecrets` does, for every object a log line carries.
 */
const SECRET_KEY = /token|secret|passw|authori[sz]ation|signature|cookie|api[-_]?key|credential|private[-_]?key/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const MAX_DEPTH = 6;

/**
 * A copy of `value` with every secret-named field replaced, and every API key in a string (a URL,
 * a message quoting input) replaced, plain objects and arrays walked up to a small depth (a log
 * line is not the place for deep structures). Errors, dates and other class instances are left to
 * their serializers.
 */
export function censorSecrets<T>(value: T, depth = 0): T {
  if (typeof value === 'string') {
    return replaceApiKeys(value, REDACTED) as T;
  }
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => censorSecrets(item, depth + 1)) as T;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = isSecretKey(key) && field !== undefined ? REDACTED : censorSecrets(field, depth + 1);
  }
  return copy as T;
}

/**
 * A URL fit for a log line. Replaced by `[Redacted]`: the value of a query parameter named like a
 * secret (`?token=…` is not unheard of), and every path segment, parameter name or value that
 * carries an API key, whatever the parameter is called (`?key=ep_…`, `?ep_…`, `/plans/ep_…`).
 * Each part is judged as written and decoded (`ep%5F…` is a key too).
 */
export function censorUrl(url: string | undefined): string | undefined {
  if (url === undefined) {
    return undefined;
  }
  const queryAt = url.indexOf('?');
  const path = (queryAt < 0 ? url : url.slice(0, queryAt))
    .split('/')
    .map((segment) => (carriesApiKey(segment) ? REDACTED : segment))
    .join('/');
  if (queryAt < 0) {
    return path;
  }
  const params = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equalsAt = pair.indexOf('=');
      const name = equalsAt < 0 ? pair : pair.slice(0, equalsAt);
      const shownName = carriesApiKey(name) ? REDACTED : name;
      if (equalsAt < 0) {
        return shownName;
      }
      const value = pair.slice(equalsAt + 1);
      const secret = isSecretKey(decoded(name)) || carriesApiKey(value);
      return `${shownName}=${secret ? REDACTED : value}`;
    });
  return `${path}?${params.join('&')}`;
}

function carriesApiKey(urlPart: string): boolean {
  return containsApiKey(urlPart) || containsApiKey(decoded(urlPart));
}

/** A URL part decoded as a query string is (`+` is a space), or as written when its escapes are malformed. */
function decoded(urlPart: string): string {
  try {
    return decodeURIComponent(urlPart.replaceAll('+', ' '));
  } catch {
    return urlPart;
  }
}

type LoggedRequest = IncomingMessage & { id?: unknown; routePattern?: unknown; originalUrl?: unknown };

/** The URL as the client sent it: Nest's middleware layer (middie) rewrites `url` relative to the mount path. */
export function originalUrl(req: LoggedRequest): string {
  return typeof req.originalUrl === 'string' ? req.originalUrl : (req.url ?? '');
}

/**
 * What the access log says about a request: no headers (they carry the API key, Slack's signature,
 * cookies) and no body (topologies are the caller's business, and large). The user agent helps
 * to tell a portal from a bot and is kept, cut short.
 */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  const userAgent = req.headers?.['user-agent'];
  return {
    id: req.id,
    method: req.method,
    url: censorUrl(originalUrl(req)),
    route: typeof req.routePattern === 'string' ? req.routePattern : undefined,
    remoteAddress: req.socket?.remoteAddress,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 200) : undefined,
  };
}

export function serializeResponse(res: ServerResponse): Record<string, unknown> {
  return { statusCode: res.statusCode };
}
