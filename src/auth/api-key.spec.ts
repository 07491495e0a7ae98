import { at } from '../common/at.js';
import {
  containsApiKey,
  generateApiKey,
  hashApiKey,
  isApiKeyFormat,
  readCredentials,
  replaceApiKeys,
} from './api-key.js';

describe(generateApiKey.name, () => {
  it('makes ep_ and 43 base64url characters (32 random bytes), different every time', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    expect(keys.every((k) => /^ep_[A-Za-z0-9_-]{43}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Buffer.from(at(keys, 0).slice(3), 'base64url')).toHaveLength(32);
  });
});

describe(hashApiKey.name, () => {
  it('is the hex SHA-256 of the key: stable, and different for keys one character apart', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    const other = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(hashApiKey(other)).not.toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toContain(key.slice(3, 10));
  });
});

describe(readCredentials.name, () => {
  const key = generateApiKey();

  it.each([undefined, '', '   '])('no credentials in %j', (header) => {
    expect(readCredentials(header)).toEqual({ kind: 'none' });
  });

  it.each([`Bearer ${key}`, `bearer ${key}`, `BEARER  ${key} `])('reads the key from %j', (header) => {
    expect(readCredentials(header)).toEqual({ kind: 'api-key', key });
  });

  it.each([
    ['Basic dXNlcjpwYXNz', /Bearer <API key>/],
    [key, /Bearer <API key>/],
    ['Bearer', /Bearer <API key>/],
    [`Bearer ${key} extra`, /Bearer <API key>/],
    ['Bearer abc', /start with "ep_"/],
    [`Bearer ${key}x`, /46 characters/],
    [`Bearer ${key.replace('ep_', 'xx_')}`, /start with "ep_"/],
  ])('malformed: %j', (header, reason) => {
    const result = readCredentials(header);
    expect(result.kind).toBe('malformed');
    expect(result.kind === 'malformed' && result.reason).toMatch(reason);
    // The reason never echoes what was sent.
    expect(JSON.stringify(result)).not.toContain(key.slice(3));
  });

  it('refuses several Authorization headers', () => {
    expect(readCredentials([`Bearer ${key}`, `Bearer ${key}`]).kind).toBe('malformed');
  });

  it('accepts only the exact format', () => {
    expect(isApiKeyFormat(key)).toBe(true);
    expect(isApiKeyFormat(`${key}=`)).toBe(false);
  });
});

describe(containsApiKey.name, () => {
  const key = generateApiKey();

  it.each([
    [key, true],
    [`Bearer ${key}`, true],
    [`/v1/plans?q=${key}&limit=2`, true],
    [`x-${key}`, true],
    [key.slice(0, 19), true],
    [key.slice(0, 18), false],
    ['step_by_step_through_the_whole_shop', false],
    ['keep_the_connection_open_until_done', false],
    ['ep_', false],
  ])('%s → %s', (text, expected) => {
    expect(containsApiKey(text)).toBe(expected);
  });
});

describe(replaceApiKeys.name, () => {
  it('replaces every key and nothing else', () => {
    const [a, b] = [generateApiKey(), generateApiKey()];
    expect(replaceApiKeys(`first ${a}, then ${b}.`, '[x]')).toBe('first [x], then [x].');
  });
});
