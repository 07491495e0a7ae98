import type { Principal } from '../auth/principal.js';
import fc from 'fast-check';
import { DomainError } from '../common/domain-error.js';
import {
  canonicalJson,
  idempotencyRequestOf,
  idempotencyScopeOf,
  parseIdempotencyKey,
  requestHashOf,
} from './idempotency-key.js';

describe(parseIdempotencyKey.name, () => {
  it.each(['a', '5f0c2a9e-3b1d-4c58-9a51-2f4d5e6a7b8c', 'order:42/attempt#1', '~'.repeat(255)])('accepts %s', (key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it('is undefined when no key was sent', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey(null)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['a tab', 'a\tb'],
    ['non-ASCII', 'clé'],
    ['a control character', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
  ])('refuses %s with a 400 at the header, not quoting it', (_name, key) => {
    let error: unknown;
    try {
      parseIdempotencyKey(key);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).problems).toEqual([
      { path: 'Idempotency-Key', message: expect.stringMatching(/1 to 255 visible ASCII/) as string },
    ]);
    if (key !== '') {
      expect(JSON.stringify((error as DomainError).problems)).not.toContain(key);
    }
  });

  it('refuses a key sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(DomainError);
  });
});

describe(idempotencyScopeOf.name, () => {
  it('scopes keys per API key, so two keys of one team never share', () => {
    const a = idempotencyScopeOf({ kind: 'api-key', keyId: 'id-a', name: 'a', scopes: [], team: 'payments' });
    const b = idempotencyScopeOf({ kind: 'api-key', keyId: 'id-b', name: 'b', scopes: [], team: 'payments' });
    expect(a).not.toBe(b);
    expect(idempotencyScopeOf({ kind: 'loopback' })).toBe('loopback');
  });
});

describe(idempotencyRequestOf.name, () => {
  it("is the caller's scope with the key, or nothing without a key", () => {
    const portal: Principal = { kind: 'api-key', keyId: 'id-a', name: 'a', scopes: [], team: null };
    expect(idempotencyRequestOf(portal, 'order-42')).toEqual({ scope: idempotencyScopeOf(portal), key: 'order-42' });
    expect(idempotencyRequestOf(portal, undefined)).toBeUndefined();
  });
});

describe(requestHashOf.name, () => {
  it('is the same whatever the order of object keys, at every level', () => {
    const one = {
      name: 'shop',
      environment: { platform: 'aws', region: 'eu' },
      components: [{ a: 1, b: [true, null] }],
    };
    const two = {
      components: [{ b: [true, null], a: 1 }],
      environment: { region: 'eu', platform: 'aws' },
      name: 'shop',
    };
    expect(requestHashOf(one)).toBe(requestHashOf(two));
    expect(requestHashOf(one)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when a value, an array order or a type differs', () => {
    const base = requestHashOf({ ports: [80, 443], name: 'shop' });
    expect(requestHashOf({ ports: [443, 80], name: 'shop' })).not.toBe(base);
    expect(requestHashOf({ ports: [80, 443], name: 'shop2' })).not.toBe(base);
    expect(requestHashOf({ ports: ['80', 443], name: 'shop' })).not.toBe(base);
    expect(requestHashOf({ ports: [80, 443], name: 'shop', extra: null })).not.toBe(base);
  });

  it('writes what JSON.stringify writes, keys sorted', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(canonicalJson({ b: 'x"y', a: [1, { d: null, c: 2.5 }] })).toBe('{"a":[1,{"c":2.5,"d":null}],"b":"x\\"y"}');
  });

  it('hashes a body nested 200,000 deep without overflowing the stack', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(requestHashOf(deep)).toMatch(/^[0-9a-f]{64}$/);
  });
});
