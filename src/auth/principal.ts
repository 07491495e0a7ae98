/**
 * Who is calling, as the auth guard establishes it for every request (REST, GraphQL, chat).
 * Everything downstream (team scoping, rate limits, logs, metrics) reads this and nothing else.
 */
export const SCOPES = ['plans:read', 'plans:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  /** A request carrying a valid, unrevoked API key. `team` null: the key sees every team's plans only with `admin`. */
  | { kind: 'api-key'; keyId: string; name: string; scopes: Scope[]; team: string | null }
  /** Protected mode: no key exists yet, and the request came from this machine (loopback). */
  | { kind: 'loopback' }
  /** A chat request verified by its platform's signature, mapped to a team through configuration. */
  | { kind: 'chat'; platform: 'slack' | 'mattermost' | 'teams'; team: string | null; scopes: Scope[] };

/** The property the auth guard sets on the Fastify request. */
export const PRINCIPAL_KEY = 'principal';
