import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error.js';
import { bearerChallenge, Refusal, type CredentialRequest, type CredentialStrategy } from '../credentials.js';
import type { Principal } from '../principal.js';
import { isLoopbackAddress } from '../../common/loopback-address.js';
import { CREATE_KEY_HINT, KeyPresence } from '../protected-mode.js';
import { KEY_REQUIRED_MESSAGE } from './api-key.strategy.js';

/**
 * Protected mode (src/auth/protected-mode.ts): while no API key exists, a client on this machine
 * is the operator. Costs no query: "does any key exist?" is cached by KeyPresence.
 */
@Injectable()
export class LoopbackStrategy implements CredentialStrategy {
  readonly name = 'loopback';

  constructor(@Inject(KeyPresence) private readonly presence: Pick<KeyPresence, 'anyKey'>) {}

  async authenticate(request: CredentialRequest): Promise<Principal | Refusal> {
    if (await this.presence.anyKey()) {
      return Refusal.absent(DomainError.unauthenticated(KEY_REQUIRED_MESSAGE, bearerChallenge()));
    }
    if (isLoopbackAddress(request.ip)) {
      return { kind: 'loopback' };
    }
    return Refusal.absent(
      DomainError.unauthenticated(
        'No API key exists yet, so the service only answers clients on its own machine (protected mode). ' +
          `An operator creates a key with: ${CREATE_KEY_HINT}`,
        bearerChallenge(),
      ),
    );
  }
}
