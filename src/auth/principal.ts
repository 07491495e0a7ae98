import { DomainError } from '../common/domain-error.js';

/**
 * Who is calling, as the auth guard establishes it for every request (REST, GraphQL, chat,
 * /metrics) through the route's credential strategy (src/auth/strategies). Everything downstream
 * (team scoping, rate limits, logs, metrics) reads this and nothing else.
 */
export const SCOPES = ['plans:read', 'plans:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  /** A request carrying a valid, unrevoked API key. `team` null: the key sees every team's plans only with `admin`. */
  | { kind: 'api-key'; keyId: string; name: string; scopes: Scope[]; team: string | null }
  /** Protected mode: no key exists yet, and the request came from this machine (loopback). */
  | { kind: 'loopback' }
  /** A chat request verified by its platform's signature, mapped to a team through configuration. */
  | { kind: 'chat'; platform: 'slack' | 'mattermost' | 'teams'; team: string | null; scopes: Scope[] }
  /**
   * A scraper presenting METRICS_TOKEN. It holds no scope: only a route that lists the
   * `metrics-token` strategy (GET /metrics) ever admits one, and that is all it may do.
   */
  | { kind: 'metrics-token' }
  /**
   * A browser opening a share link (`?token=`), signed for one plan: the strategy admits it only
   * on a route whose `:id` is that plan, and only routes listing `share-link` take it. It may read.
   */
  | { kind: 'share-link'; planId: string };

/** The property the auth guard sets on the Fastify request. */
export const PRINCIPAL_KEY = 'principal';

/** Team names: what `apikey create --team` and CHAT_TEAMS accept (lower-case, a DNS-label-like word). */
export const TEAM_NAME = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
export const TEAM_NAME_RULE =
  'lower-case letters, digits, ".", "_" or "-", at most 63, starting and ending alphanumeric';

/** Whether the principal holds `scope`. `admin` holds every scope. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  switch (principal.kind) {
    case 'loopback':
      // Protected mode: no key exists yet, and the caller is on this machine: the operator.
      return true;
    case 'metrics-token':
      return false;
    case 'share-link':
      return scope === 'plans:read';
    case 'api-key':
    case 'chat':
      return principal.scopes.includes(scope) || principal.scopes.includes('admin');
  }
}

/**
 * Whether the principal may call a route that accepts any one of `scopes`. A metrics token was
 * admitted by the route's own strategy list, which is its whole permission.
 */
export function mayCall(principal: Principal, scopes: readonly Scope[]): boolean {
  return principal.kind === 'metrics-token' || scopes.some((scope) => hasScope(principal, scope));
}

/**
 * Whose plans the principal sees and changes (PlansService's PlanAccess). `admin` sees every team;
 * anyone else only their team's plans, and a key without a team only the plans without one. New
 * plans belong to the principal's team either way.
 */
export function accessOf(principal: Principal): { team: string | null; all: boolean } {
  switch (principal.kind) {
    case 'loopback':
      return { team: null, all: true };
    case 'api-key':
    case 'chat':
      return { team: principal.team, all: principal.scopes.includes('admin') };
    case 'share-link':
      // The token was checked against the URL's :id: the one plan this request can name is its own.
      return { team: null, all: true };
    case 'metrics-token':
      // Unreachable while only /metrics accepts the token: fail closed if a route ever does.
      throw DomainError.forbidden('METRICS_TOKEN reads /metrics and nothing else.');
  }
}
