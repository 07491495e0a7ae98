import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { readCredentials } from '../api-key.js';
import { ApiKeyStore } from '../api-key.store.js';
import { bearerChallenge, Refusal, type CredentialRequest, type CredentialStrategy } from '../credentials.js';
import type { Principal } from '../principal.js';
import { KeyPresence } from '../protected-mode.js';

/** lastUsedAt is for operators ("is this key still used?"): a minute's precision is plenty. */
export const LAST_USED_PRECISION_MS = 60_000;

export const KEY_REQUIRED_MESSAGE = 'An API key is required: send "Authorization: Bearer <key>".';

/**
 * `Authorization: Bearer ep_…`: one indexed lookup of the key's hash. A request without the header
 * is not refused here: the route's next strategy (loopback, in protected mode) may admit it.
 */
@Injectable()
export class ApiKeyStrategy implements CredentialStrategy {
  readonly name = 'api-key';
  private readonly logger = new Logger('Auth');
  private readonly lastTouched = new Map<string, number>();

  constructor(
    @Inject(ApiKeyStore) private readonly keys: Pick<ApiKeyStore, 'findByKey' | 'touch'>,
    @Inject(KeyPresence) private readonly presence: Pick<KeyPresence, 'remember'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(request: CredentialRequest): Promise<Principal | Refusal> {
    const credentials = readCredentials(request.headers.authorization);
    switch (credentials.kind) {
      case 'none':
        return Refusal.absent(DomainError.unauthenticated(KEY_REQUIRED_MESSAGE, bearerChallenge()));
      case 'malformed':
        return Refusal.invalid(DomainError.unauthenticated(credentials.reason, bearerChallenge('invalid_request')));
      case 'api-key':
        break;
    }
    const record = await this.keys.findByKey(credentials.key);
    if (record === null) {
      return Refusal.invalid(
        DomainError.unauthenticated('The API key is not known to this service.', bearerChallenge('invalid_token')),
      );
    }
    if (record.revokedAt !== null) {
      this.logger.warn(`A request used the revoked API key "${record.name}".`);
      return Refusal.invalid(DomainError.unauthenticated('The API key was revoked.', bearerChallenge('invalid_token')));
    }
    this.presence.remember(true);
    this.touch(record.id);
    return { kind: 'api-key', keyId: record.id, name: record.name, scopes: record.scopes, team: record.team };
  }

  // Fire and forget: a failed bookkeeping write must never fail the request it belongs to.
  private touch(keyId: string): void {
    const now = this.clock.now();
    const last = this.lastTouched.get(keyId);
    if (last !== undefined && now - last < LAST_USED_PRECISION_MS) {
      return;
    }
    this.lastTouched.set(keyId, now);
    this.keys.touch(keyId, new Date(now)).catch(() => this.lastTouched.delete(keyId));
  }
}
