import { DomainError } from '../common/domain-error.js';
import type { Principal } from './principal.js';

/**
 * The ways a caller can prove who it is. A route lists the ones it accepts (@Credentials; by
 * default `api-key` then `loopback`), and the auth guard asks them in that order.
 */
export const CREDENTIAL_STRATEGIES = [
  'api-key',
  'loopback',
  'metrics-token',
  'slack',
  'mattermost',
  'teams',
  'share-link',
] as const;
export type CredentialStrategyName = (typeof CREDENTIAL_STRATEGIES)[number];

/** What a strategy may read of a request: REST, chat and GraphQL all hand it the Fastify request. */
export type CredentialRequest = {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  /** The parsed body (chat platforms put their workspace and channel there). */
  body?: unknown;
  /** The exact bytes received (`rawBody: true` in createApp): what chat signatures cover. Undefined: not kept. */
  rawBody?: Buffer | undefined;
  /** The route's parameters and query (a share link's plan id and token). */
  params?: unknown;
  query?: unknown;
};

/**
 * Why a strategy does not admit a request. `presented`: the request did carry this kind of
 * credential and it failed (a bad signature, an unknown key): the answer is final. Otherwise the
 * request carries none, and the route's next strategy is asked; the last one's refusal stands.
 * `error` is UNAUTHENTICATED (with its WWW-Authenticate challenge, when the credential travels in
 * Authorization) or UNAVAILABLE (the strategy is switched off, or its store does not answer).
 */
export class Refusal {
  private constructor(
    readonly error: DomainError,
    readonly presented: boolean,
  ) {}

  /** The credential was sent and is not good: no other strategy is asked. */
  static invalid(error: DomainError): Refusal {
    return new Refusal(error, true);
  }

  /** No credential of this kind was sent: the route's next strategy may still admit the request. */
  static absent(error: DomainError): Refusal {
    return new Refusal(error, false);
  }
}

/** One way of proving who is calling: a Principal, or why not. Never throws for a bad credential. */
export type CredentialStrategy = {
  readonly name: CredentialStrategyName;
  authenticate(request: CredentialRequest): Promise<Principal | Refusal> | Principal | Refusal;
};

export const AUTH_REALM = 'exposure-planner';

/** A Bearer challenge (RFC 6750 section 3), optionally naming what was wrong. */
export function bearerChallenge(error?: 'invalid_request' | 'invalid_token'): string {
  return `Bearer realm="${AUTH_REALM}"${error ? `, error="${error}"` : ''}`;
}

/** The challenge of a 403: the scopes that would have done (RFC 6750 section 3.1). */
export function insufficientScopeChallenge(scopes: readonly string[]): string {
  return `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="${scopes.join(' ')}"`;
}

export function singleHeader(request: CredentialRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
