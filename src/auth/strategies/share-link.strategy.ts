import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { APP_CONFIG, type Config } from '../../config/config.js';
import { Refusal, type CredentialRequest, type CredentialStrategy } from '../credentials.js';
import type { Principal } from '../principal.js';
import { isValidShareToken, SHARE_TOKEN_PARAM } from './share-link-token.js';

/**
 * `?token=<share token>` on a route about one plan (`/plans/:id`, its manifests): a browser cannot
 * send an API key, so a share link carries a signed, expiring token for that plan
 * (share-link-token.ts). Every refusal is a 404, never a 401 or 403: a link that does not open
 * says nothing about whether the plan exists.
 */
@Injectable()
export class ShareLinkStrategy implements CredentialStrategy {
  readonly name = 'share-link';

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<Config, 'shareLinkSecret'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  authenticate(request: CredentialRequest): Principal | Refusal {
    const token = stringField(request.query, SHARE_TOKEN_PARAM);
    const planId = stringField(request.params, 'id');
    const notFound = DomainError.notFound('The plan');
    if (token === undefined) {
      return Refusal.absent(notFound);
    }
    const secret = this.config.shareLinkSecret;
    if (planId === undefined || secret === undefined || !isValidShareToken(secret, planId, token, this.clock.now())) {
      return Refusal.invalid(notFound);
    }
    return { kind: 'share-link', planId };
  }
}

function stringField(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) {
    return undefined;
  }
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
