import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { at } from '../common/at.js';

/**
 * How each chat system proves a request came from it, as pure functions over the raw request
 * (the guards feed them). Every comparison runs in constant time, so the time an answer takes
 * tells an attacker nothing about how much of a forged signature was right.
 */

export type Verification = { ok: true } | { ok: false; reason: string };

const OK: Verification = { ok: true };
const refuse = (reason: string): Verification => ({ ok: false, reason });

/** Slack refuses to honour requests older than this, and so do we (replays of captured requests). */
export const SLACK_MAX_AGE_SECONDS = 5 * 60;

/** Constant time for equal lengths; unequal lengths are refused first, as timingSafeEqual requires. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Compares two secrets of possibly different lengths without revealing the length of either: both
 * are hashed to 32 bytes first, so the comparison itself always takes the same time.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}

/** `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), exactly as Slack signs. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

export type SlackRequest = {
  signingSecret: string;
  /** The X-Slack-Request-Timestamp header: Unix seconds. */
  timestamp: string | undefined;
  /** The X-Slack-Signature header. */
  signature: string | undefined;
  /** The body exactly as received: the signature covers bytes, not the parsed form. */
  rawBody: Buffer | undefined;
  /** Milliseconds since the epoch, from an injected clock. */
  nowMs: number;
};

export function verifySlackRequest(request: SlackRequest): Verification {
  const { timestamp, signature, rawBody } = request;
  if (timestamp === undefined || signature === undefined) {
    return refuse('The X-Slack-Request-Timestamp and X-Slack-Signature headers are required.');
  }
  if (rawBody === undefined) {
    return refuse('The request has no body to verify.');
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return refuse('X-Slack-Request-Timestamp is not a Unix time in seconds.');
  }
  if (Math.abs(request.nowMs / 1000 - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) {
    return refuse('X-Slack-Request-Timestamp is more than 5 minutes away from now.');
  }
  if (!/^v0=[0-9a-f]{64}$/i.test(signature)) {
    return refuse('X-Slack-Signature is not a v0 HMAC-SHA256 signature.');
  }
  const expected = Buffer.from(slackSignature(request.signingSecret, timestamp, rawBody).slice(3), 'hex');
  const given = Buffer.from(signature.slice(3), 'hex');
  return constantTimeEqual(given, expected) ? OK : refuse('X-Slack-Signature does not match the request.');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function isBase64(value: string): boolean {
  return value.length % 4 === 0 && BASE64.test(value);
}

/** base64(HMAC-SHA256(base64decode(security token), raw body)), as a Teams outgoing webhook signs. */
export function teamsSignature(securityToken: string, rawBody: Buffer | string): string {
  return createHmac('sha256', Buffer.from(securityToken, 'base64')).update(rawBody).digest('base64');
}

export type TeamsRequest = {
  /** The security token Teams showed when the outgoing webhook was created (base64). */
  securityToken: string;
  /** The Authorization header: `HMAC <base64 signature>`. */
  authorization: string | undefined;
  rawBody: Buffer | undefined;
};

export function verifyTeamsRequest(request: TeamsRequest): Verification {
  const match = /^HMAC\s+(\S+)$/i.exec(request.authorization?.trim() ?? '');
  if (match === null) {
    return refuse('The Authorization header must be `HMAC <signature>`.');
  }
  if (request.rawBody === undefined) {
    return refuse('The request has no body to verify.');
  }
  const givenText = at(match, 1);
  if (!isBase64(givenText)) {
    return refuse('The HMAC signature is not base64.');
  }
  const expected = Buffer.from(teamsSignature(request.securityToken, request.rawBody), 'base64');
  return constantTimeEqual(Buffer.from(givenText, 'base64'), expected)
    ? OK
    : refuse('The HMAC signature does not match the request.');
}

export type TokenRequest = {
  expectedToken: string;
  /** The `token` field of the form body. */
  bodyToken: unknown;
  /** The Authorization header, `Token <token>`. */
  authorization: string | undefined;
};

/**
 * Mattermost sends its per-command token in the form and, in recent versions, as
 * `Authorization: Token <token>`; either one matching is enough.
 */
export function verifyMattermostRequest(request: TokenRequest): Verification {
  const fromHeader = /^Token\s+(\S+)$/i.exec(request.authorization?.trim() ?? '')?.[1];
  const candidates = [fromHeader, typeof request.bodyToken === 'string' ? request.bodyToken : undefined].filter(
    (token): token is string => token !== undefined && token !== '',
  );
  if (candidates.length === 0) {
    return refuse('The request carries no token (form field `token` or `Authorization: Token …`).');
  }
  // Check every candidate, not the first that matches, so the time taken does not say which one did.
  const matches = candidates.map((token) => sameSecret(token, request.expectedToken));
  return matches.includes(true) ? OK : refuse('The token does not match.');
}
