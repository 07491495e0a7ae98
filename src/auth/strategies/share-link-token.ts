import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { at } from '../../common/at.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { APP_CONFIG, type Config } from '../../config/config.js';

/**
 * A share link's token: `<expiry>.<signature>`, where expiry is a Unix time in seconds and the
 * signature is HMAC-SHA256 under SHARE_LINK_SECRET over the plan id and that expiry, base64url
 * without padding (43 characters). The plan id is not in the token: it is the URL's `:id`, which
 * the signature covers, so a token opens one plan and nothing else. Nothing is stored: rotating
 * the secret revokes every link at once. docs/security.md describes the format and its threats.
 */
export const SHARE_TOKEN_PARAM = 'token';

const TOKEN_PATTERN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
// A domain prefix, so that no other HMAC ever made with this secret could pass for a share token.
const SIGNED_PREFIX = 'exposure-planner share-link v1';

export function signShareToken(secret: string, planId: string, expiresAtSeconds: number): string {
  return `${expiresAtSeconds}.${signature(secret, planId, expiresAtSeconds).toString('base64url')}`;
}

/** Whether `token` was signed with `secret` for `planId` and has not expired at `nowMs`. */
export function isValidShareToken(secret: string, planId: string, token: string, nowMs: number): boolean {
  const parts = TOKEN_PATTERN.exec(token);
  if (parts === null) {
    return false;
  }
  const expiresAtSeconds = Number(at(parts, 1));
  // Compared as the text written, not as decoded bytes: base64url's last character carries two
  // unused bits, so decoding would accept four spellings of one signature. Both are 43 ASCII
  // bytes (the pattern says so), compared in constant time before the expiry is looked at.
  const presented = Buffer.from(at(parts, 2), 'ascii');
  const expected = Buffer.from(signature(secret, planId, expiresAtSeconds).toString('base64url'), 'ascii');
  const authentic = presented.length === expected.length && timingSafeEqual(presented, expected);
  return authentic && expiresAtSeconds * 1000 > nowMs;
}

function signature(secret: string, planId: string, expiresAtSeconds: number): Buffer {
  return createHmac('sha256', secret).update(`${SIGNED_PREFIX}\n${planId}\n${expiresAtSeconds}`, 'utf8').digest();
}

export type ShareLink = { url: string; expiresAt: string };

/** The message of every "share links are off" answer (REST 503, chat, the Backstage view's absence). */
export const SHARE_LINKS_OFF = 'Share links are off: the operator has not set SHARE_LINK_SECRET.';

/**
 * Makes share links: `<baseUrl>/plans/<id>?token=…`, valid SHARE_LINK_TTL_HOURS from now. Only
 * a caller that may read the plan asks for one (the share route, chat, the Backstage view all
 * load the plan first, as that caller).
 */
@Injectable()
export class ShareLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<Config, 'shareLinkSecret' | 'shareLinkTtlHours'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.shareLinkSecret !== undefined;
  }

  /** The link, or UNAVAILABLE (a 503) while SHARE_LINK_SECRET is unset. */
  create(planId: string, baseUrl: string): ShareLink {
    const secret = this.config.shareLinkSecret;
    if (secret === undefined) {
      throw new DomainError('UNAVAILABLE', SHARE_LINKS_OFF);
    }
    const expiresAtSeconds = Math.floor(this.clock.now() / 1000) + this.config.shareLinkTtlHours * 3600;
    const token = signShareToken(secret, planId, expiresAtSeconds);
    return {
      url: `${baseUrl}/plans/${encodeURIComponent(planId)}?${SHARE_TOKEN_PARAM}=${token}`,
      expiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
    };
  }

  /** The link when share links are on, else undefined (for views that simply leave it out). */
  createIfEnabled(planId: string, baseUrl: string): ShareLink | undefined {
    return this.enabled ? this.create(planId, baseUrl) : undefined;
  }
}
