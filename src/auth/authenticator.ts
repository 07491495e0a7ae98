import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import {
  Refusal,
  type CredentialRequest,
  type CredentialStrategy,
  type CredentialStrategyName,
} from './credentials.js';
import type { Principal } from './principal.js';
import { ApiKeyStrategy } from './strategies/api-key.strategy.js';
import { MattermostStrategy, SlackStrategy, TeamsStrategy } from './strategies/chat.strategies.js';
import { LoopbackStrategy } from './strategies/loopback.strategy.js';
import { MetricsTokenStrategy } from './strategies/metrics-token.strategy.js';
import { ShareLinkStrategy } from './strategies/share-link.strategy.js';

/** What a route accepts when it says nothing (@Credentials): an API key, or protected mode's loopback. */
export const DEFAULT_CREDENTIALS: readonly CredentialStrategyName[] = ['api-key', 'loopback'];

/**
 * Who is calling: the one validation service every transport's requests go through, through the
 * auth guard (immich's AuthGuard → AuthService is the model). It asks the route's strategies in
 * order: the first Principal wins; a credential that was sent and failed is final; a request with
 * none gets the last strategy's refusal. Refusals are DomainErrors (UNAUTHENTICATED, or UNAVAILABLE
 * when a strategy is switched off or the key store does not answer).
 */
@Injectable()
export class Authenticator {
  private readonly strategies: Record<CredentialStrategyName, CredentialStrategy>;

  constructor(
    @Inject(ApiKeyStrategy) apiKey: ApiKeyStrategy,
    @Inject(LoopbackStrategy) loopback: LoopbackStrategy,
    @Inject(MetricsTokenStrategy) metricsToken: MetricsTokenStrategy,
    @Inject(SlackStrategy) slack: SlackStrategy,
    @Inject(MattermostStrategy) mattermost: MattermostStrategy,
    @Inject(TeamsStrategy) teams: TeamsStrategy,
    @Inject(ShareLinkStrategy) shareLink: ShareLinkStrategy,
  ) {
    this.strategies = {
      'api-key': apiKey,
      loopback,
      'metrics-token': metricsToken,
      slack,
      mattermost,
      teams,
      'share-link': shareLink,
    };
  }

  /**
   * The request's Principal, or throws the refusal. `hint` is added to an UNAUTHENTICATED message:
   * what this route accepts, when that is more than an API key (/metrics).
   */
  async authenticate(
    request: CredentialRequest,
    credentials: readonly CredentialStrategyName[] = DEFAULT_CREDENTIALS,
    hint?: string,
  ): Promise<Principal> {
    let refusal: Refusal | undefined;
    for (const name of credentials) {
      const verdict = await this.ask(this.strategies[name], request);
      if (!(verdict instanceof Refusal)) {
        return verdict;
      }
      refusal = verdict;
      if (verdict.presented) {
        break;
      }
    }
    throw withHint(refusal?.error ?? DomainError.unauthenticated('This route accepts no credentials.'), hint);
  }

  private async ask(strategy: CredentialStrategy, request: CredentialRequest): Promise<Principal | Refusal> {
    try {
      return await strategy.authenticate(request);
    } catch (error) {
      // The key lookup runs SQL: the store has already made a database that does not answer a
      // DomainError (UNAVAILABLE, a 503), where the SQL runs. Anything else is a bug: a 500.
      if (error instanceof DomainError) {
        return Refusal.invalid(error);
      }
      throw error;
    }
  }
}

function withHint(error: DomainError, hint: string | undefined): DomainError {
  if (hint === undefined || error.code !== 'UNAUTHENTICATED') {
    return error;
  }
  return new DomainError(error.code, `${error.message} ${hint}`, error.problems, error.headers);
}
