import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error.js';
import { APP_CONFIG, type Config } from '../../config/config.js';
import { bearerChallenge, Refusal, type CredentialRequest, type CredentialStrategy } from '../credentials.js';
import type { Principal } from '../principal.js';

/**
 * `Authorization: Bearer <METRICS_TOKEN>`, for a Prometheus scraper that holds no API key. Not
 * this token (or none configured): the route's next strategy (an admin API key) is asked.
 */
@Injectable()
export class MetricsTokenStrategy implements CredentialStrategy {
  readonly name = 'metrics-token';
  private readonly tokenDigest: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: Pick<Config, 'metricsToken'>) {
    this.tokenDigest = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  authenticate(request: CredentialRequest): Principal | Refusal {
    const presented = bearerToken(request.headers.authorization);
    if (
      presented !== undefined &&
      this.tokenDigest !== undefined &&
      timingSafeEqual(digest(presented), this.tokenDigest)
    ) {
      return { kind: 'metrics-token' };
    }
    return Refusal.absent(
      DomainError.unauthenticated('Send "Authorization: Bearer <METRICS_TOKEN>".', bearerChallenge()),
    );
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
}

// Comparing fixed-length digests in constant time: neither the token's content nor its length leaks through timing.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
