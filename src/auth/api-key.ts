import { createHash, randomBytes } from 'node:crypto';
import { at } from '../common/at.js';

/**
 * The API key format: `ep_` and 32 random bytes in base64url (43 characters), 256 bits of entropy.
 * With that much entropy a plain SHA-256 is a safe thing to store (no salt or slow hash is needed:
 * nobody can guess their way through 2^256 keys), and it lets a request be authenticated by one
 * indexed lookup of the hash. The prefix makes a leaked key easy to recognise (secret scanners).
 */
export const API_KEY_PREFIX = 'ep_';
const API_KEY_FORMAT = /^ep_[A-Za-z0-9_-]{43}$/;
/**
 * A key, or enough of one to matter (16 of its 43 characters are 96 bits), anywhere in a text: a
 * key pasted into a URL, cut short or followed by other characters, is still a secret. Not after a
 * letter or digit, so that words such as `step_…` or `keep_…` are not taken for one.
 */
const API_KEY_IN_TEXT = /(?<![A-Za-z0-9])ep_[A-Za-z0-9_-]{16,}/;
const EVERY_API_KEY_IN_TEXT = new RegExp(API_KEY_IN_TEXT, 'g');

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: the hex SHA-256 of the whole key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function isApiKeyFormat(value: string): boolean {
  return API_KEY_FORMAT.test(value);
}

/** Whether `text` carries an API key (or a large part of one) anywhere in it. */
export function containsApiKey(text: string): boolean {
  return API_KEY_IN_TEXT.test(text);
}

/** `text` with every API key (or large part of one) in it replaced by `replacement`. */
export function replaceApiKeys(text: string, replacement: string): string {
  return text.replace(EVERY_API_KEY_IN_TEXT, replacement);
}

/** What an Authorization header carries, before any lookup. */
export type Credentials = { kind: 'none' } | { kind: 'malformed'; reason: string } | { kind: 'api-key'; key: string };

/** Reads `Authorization: Bearer <key>` (RFC 6750). Never echoes the header in a reason. */
export function readCredentials(header: string | string[] | undefined): Credentials {
  if (header === undefined || (typeof header === 'string' && header.trim() === '')) {
    return { kind: 'none' };
  }
  if (Array.isArray(header)) {
    return { kind: 'malformed', reason: 'Send one Authorization header, not several.' };
  }
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) {
    return { kind: 'malformed', reason: 'The Authorization header must be "Bearer <API key>".' };
  }
  const key = at(match, 1);
  if (!isApiKeyFormat(key)) {
    return {
      kind: 'malformed',
      reason: `That is not an API key of this service (they start with "${API_KEY_PREFIX}" and are 46 characters long).`,
    };
  }
  return { kind: 'api-key', key };
}
