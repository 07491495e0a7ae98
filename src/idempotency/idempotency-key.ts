import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/domain-error.js';

/** The request header (lower-case, as Node gives headers). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** On a replay: the answer is the first request's, nothing new was stored. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** 1 to 255 visible ASCII characters: a UUID, a ULID, "order-42-attempt"… never a space or control. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
export const KEY_FORMAT_RULE = 'must be 1 to 255 visible ASCII characters (no spaces), e.g. a UUID';

/** An idempotent request: whose key (see idempotencyScopeOf) and the key itself. */
export type IdempotencyRequest = { scope: string; key: string };

/** What the repository stores with the plan it creates for a key. */
export type IdempotencyClaim = IdempotencyRequest & {
  /** requestHashOf the request: the same key with another body is refused. */
  requestHash: string;
  /** How long the key is remembered, from now. */
  ttlHours: number;
};

/** A key already used (and not expired): the request it came with, and the plan it created. */
export type ClaimedKey = { requestHash: string; planId: string };

/**
 * The key a request sent, checked: undefined when there is none; a 400 (VALIDATION_FAILED, a
 * problem at `path`) when it is malformed or sent twice. The message never quotes the key.
 */
export function parseIdempotencyKey(value: unknown, path = 'Idempotency-Key'): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || !KEY_FORMAT.test(value)) {
    throw DomainError.validation(
      [{ path, message: Array.isArray(value) ? 'must be sent once' : KEY_FORMAT_RULE }],
      'The Idempotency-Key is not valid.',
    );
  }
  return value;
}

/**
 * Whose keys a principal's are. Per API key, not per team: two programs of one team choosing the
 * same key ("1", a date) must not get each other's plans or 409s. Protected mode has one caller.
 */
export function idempotencyScopeOf(principal: Principal): string {
  switch (principal.kind) {
    case 'api-key':
      return `key:${principal.keyId}`;
    case 'loopback':
      return 'loopback';
    case 'chat':
      return `chat:${principal.platform}:${principal.team ?? ''}`;
    case 'metrics-token':
      // Only GET /metrics admits one: it never creates plans.
      return 'metrics-token';
    case 'share-link':
      // Only reading routes admit one: it never creates plans.
      return 'share-link';
  }
}

/** What a transport hands to PlansService.createOnce: no key (undefined) means a plain create. */
export function idempotencyRequestOf(principal: Principal, key: string | undefined): IdempotencyRequest | undefined {
  return key === undefined ? undefined : { scope: idempotencyScopeOf(principal), key };
}

/**
 * The SHA-256 (hex) of the request's canonical JSON: object keys sorted at every level, no
 * whitespace, so a retry whose client serialises its fields in another order is still "the same
 * body". Iterative, not recursive: a 1 MiB body of nested arrays is a 400 from the planner, not a
 * stack overflow here.
 */
export function requestHashOf(body: unknown): string {
  const hash = createHash('sha256');
  for (const chunk of canonicalJsonChunks(body)) {
    hash.update(chunk, 'utf8');
  }
  return hash.digest('hex');
}

/** The canonical JSON text itself (tests, and what requestHashOf hashes). */
export function canonicalJson(value: unknown): string {
  return [...canonicalJsonChunks(value)].join('');
}

type Work = { literal: string } | { value: unknown };

function* canonicalJsonChunks(root: unknown): Generator<string> {
  const stack: Work[] = [{ value: root }];
  while (stack.length > 0) {
    const work = stack.pop() as Work;
    if ('literal' in work) {
      yield work.literal;
      continue;
    }
    const { value } = work;
    if (Array.isArray(value)) {
      // Pushed backwards, popped in order.
      stack.push({ literal: ']' });
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i] === undefined ? null : (value[i] as unknown) });
        if (i > 0) {
          stack.push({ literal: ',' });
        }
      }
      stack.push({ literal: '[' });
    } else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object)
        .filter((key) => object[key] !== undefined)
        .sort();
      stack.push({ literal: '}' });
      for (const [i, key] of [...keys.entries()].reverse()) {
        stack.push({ value: object[key] });
        stack.push({ literal: `${JSON.stringify(key)}:` });
        if (i > 0) {
          stack.push({ literal: ',' });
        }
      }
      stack.push({ literal: '{' });
    } else {
      // Strings, numbers, booleans, null; JSON has nothing else (a NaN would be null, as in JSON).
      yield JSON.stringify(value) ?? 'null';
    }
  }
}
