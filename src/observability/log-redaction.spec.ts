import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { generateApiKey } from '../auth/api-key.js';
import { censorSecrets, censorUrl, isSecretKey, REDACTED, serializeRequest } from './log-redaction.js';

const KEY = generateApiKey();

describe(isSecretKey.name, () => {
  it.each([
    ['authorization', true],
    ['Authorization', true],
    ['x-slack-signature', true],
    ['cookie', true],
    ['token', true],
    ['accessToken', true],
    ['signingSecret', true],
    ['x-api-key', true],
    ['apiKey', true],
    ['password', true],
    ['name', false],
    ['requestId', false],
    ['keyId', false],
    ['components', false],
  ])('%s → %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });
});

describe(censorSecrets.name, () => {
  it('replaces secret-named fields at any depth, and leaves the rest and the input alone', () => {
    const input = {
      msg: 'x',
      headers: { authorization: 'Bearer abc', accept: 'application/json' },
      body: { nested: [{ token: 't0k3n', keep: 1 }] },
    };

    const output = censorSecrets(input);

    expect(output).toEqual({
      msg: 'x',
      headers: { authorization: REDACTED, accept: 'application/json' },
      body: { nested: [{ token: REDACTED, keep: 1 }] },
    });
    expect(input.headers.authorization).toBe('Bearer abc');
  });

  it('replaces an API key inside any string, whatever the field is called', () => {
    expect(censorSecrets({ msg: `GET /v1/plans/${KEY}: unavailable`, list: [`q=${KEY}`] })).toEqual({
      msg: `GET /v1/plans/${REDACTED}: unavailable`,
      list: [`q=${REDACTED}`],
    });
  });

  it('leaves errors to their serializer', () => {
    const error = Object.assign(new Error('boom'), { token: 'kept-for-the-serializer' });
    expect(censorSecrets({ err: error }).err).toBe(error);
  });
});

describe(censorUrl.name, () => {
  it.each([
    ['/v1/plans', '/v1/plans'],
    ['/v1/plans?limit=2&name=shop', '/v1/plans?limit=2&name=shop'],
    ['/x?token=abc&limit=2', `/x?token=${REDACTED}&limit=2`],
    ['/x?api_key=abc', `/x?api_key=${REDACTED}`],
    ['/x?%E0=1', '/x?%E0=1'],
    [`/v1/plans?key=${KEY}`, `/v1/plans?key=${REDACTED}`],
    [`/v1/plans?limit=2&q=${KEY}&name=shop`, `/v1/plans?limit=2&q=${REDACTED}&name=shop`],
    [`/v1/plans?${KEY}`, `/v1/plans?${REDACTED}`],
    [`/v1/plans?${KEY}=1`, `/v1/plans?${REDACTED}=1`],
    [`/v1/plans?auth=Bearer+${KEY}`, `/v1/plans?auth=${REDACTED}`],
    [`/v1/plans?key=${KEY.replace('_', '%5F')}`, `/v1/plans?key=${REDACTED}`],
    [`/v1/plans?key=${KEY.slice(0, 30)}`, `/v1/plans?key=${REDACTED}`],
    [`/v1/plans/${KEY}/revisions`, `/v1/plans/${REDACTED}/revisions`],
    ['/v1/plans?name=step_by_step_through_the_shop', '/v1/plans?name=step_by_step_through_the_shop'],
  ])('%s → %s', (url, expected) => {
    expect(censorUrl(url)).toBe(expected);
  });
});

describe(serializeRequest.name, () => {
  it('keeps method, URL, route and user agent, and no header that carries a credential', () => {
    const req = new IncomingMessage(new Socket());
    Object.assign(req, {
      method: 'POST',
      url: '/',
      originalUrl: '/v1/plans?dryRun=true',
      id: 'req-1',
      routePattern: '/v1/plans',
      headers: { authorization: 'Bearer k3y', cookie: 'c=1', 'x-slack-signature': 'v0=abc', 'user-agent': 'curl/8' },
    });

    const logged = serializeRequest(req);

    expect(logged).toMatchObject({
      id: 'req-1',
      method: 'POST',
      url: '/v1/plans?dryRun=true',
      route: '/v1/plans',
      userAgent: 'curl/8',
    });
    expect(JSON.stringify(logged)).not.toMatch(/k3y|c=1|v0=abc/);
  });
});
