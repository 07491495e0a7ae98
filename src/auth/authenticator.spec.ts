import { fixedClock } from '../common/clock.js';
import { Logger } from '@nestjs/common';
import { translatingStorageErrors } from '../database/storage-errors.js';
import { ApiKeyStore, type ApiKeyRecord } from './api-key.store.js';
import { generateApiKey } from './api-key.js';
import { Authenticator } from './authenticator.js';
import { KeyPresence } from './protected-mode.js';
import { ApiKeyStrategy } from './strategies/api-key.strategy.js';
import { MattermostStrategy, SlackStrategy, TeamsStrategy } from './strategies/chat.strategies.js';
import { LoopbackStrategy } from './strategies/loopback.strategy.js';
import { MetricsTokenStrategy } from './strategies/metrics-token.strategy.js';
import { ShareLinkStrategy } from './strategies/share-link.strategy.js';
import { domainErrorOf as refusal } from '../common/testing/domain-error-of.js';

const METRICS_TOKEN = 'prometheus-scrapes-with-this-0123';
const KEY = generateApiKey();
const REVOKED_KEY = generateApiKey();

const record = (name: string, revokedAt: Date | null = null): ApiKeyRecord => ({
  id: `id-${name}`,
  name,
  scopes: ['plans:read'],
  team: 'payments',
  createdAt: new Date(0),
  revokedAt,
  lastUsedAt: null,
});

/** The Authenticator over its real strategies, on a key table held in memory (or one that is down). */
function setUp({ keysExist = true, databaseDown = false } = {}) {
  const driverError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  // What the real store throws when its SQL fails: the driver's error, translated where it ran.
  const unreachable = () => translatingStorageErrors(() => Promise.reject(driverError), { warn: () => undefined });
  const store = {
    findByKey: (key: string) =>
      databaseDown
        ? unreachable()
        : Promise.resolve(key === KEY ? record('portal') : key === REVOKED_KEY ? record('old', new Date(0)) : null),
    touch: () => Promise.resolve(),
  } as unknown as ApiKeyStore;
  const presence = new KeyPresence(() => (databaseDown ? unreachable() : Promise.resolve(keysExist ? 1 : 0)));
  const chat = { publicUrl: 'http://127.0.0.1:3000' };
  return new Authenticator(
    new ApiKeyStrategy(store, presence, fixedClock(0)),
    new LoopbackStrategy(presence),
    new MetricsTokenStrategy({ metricsToken: METRICS_TOKEN }),
    new SlackStrategy(chat, fixedClock(0)),
    new MattermostStrategy(chat),
    new TeamsStrategy(chat),
    new ShareLinkStrategy({ shareLinkSecret: undefined }, fixedClock(0)),
  );
}

const request = (authorization?: string, ip = '10.0.0.7') => ({
  headers: authorization === undefined ? {} : { authorization },
  ip,
});

// A revoked key is logged as a warning on purpose; keep the test output quiet.
beforeAll(() => Logger.overrideLogger(false));

describe(Authenticator.name, () => {
  it('admits an API key by default, as its Principal', async () => {
    expect(await setUp().authenticate(request(`Bearer ${KEY}`))).toEqual({
      kind: 'api-key',
      keyId: 'id-portal',
      name: 'portal',
      scopes: ['plans:read'],
      team: 'payments',
    });
  });

  it.each([
    ['a malformed header', 'Basic dXNlcjpwYXNz', /Bearer <API key>/, 'invalid_request'],
    ['an unknown key', `Bearer ${generateApiKey()}`, /not known/, 'invalid_token'],
    ['a revoked key', `Bearer ${REVOKED_KEY}`, /revoked/, 'invalid_token'],
  ])(
    'refuses %s with UNAUTHENTICATED and its challenge, even from loopback in protected mode',
    async (_l, header, message, code) => {
      const error = await refusal(setUp({ keysExist: false }).authenticate(request(header, '127.0.0.1')));
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toMatch(message);
      expect(error.headers['www-authenticate']).toBe(`Bearer realm="exposure-planner", error="${code}"`);
    },
  );

  it('asks for a key when none is sent and keys exist, with a bare Bearer challenge', async () => {
    const error = await refusal(setUp().authenticate(request(undefined, '127.0.0.1')));
    expect(error.message).toBe('An API key is required: send "Authorization: Bearer <key>".');
    expect(error.headers).toEqual({ 'www-authenticate': 'Bearer realm="exposure-planner"' });
  });

  it('in protected mode admits loopback only, and tells anyone else how a key is made', async () => {
    const authenticator = setUp({ keysExist: false });
    expect(await authenticator.authenticate(request(undefined, '::1'))).toEqual({ kind: 'loopback' });
    const error = await refusal(authenticator.authenticate(request(undefined, '10.0.0.7')));
    expect(error.message).toMatch(/protected mode.*npm run apikey -- create/);
  });

  it("asks a route's strategies in order: a token the first does not know goes to the next", async () => {
    const metrics = ['metrics-token', 'api-key', 'loopback'] as const;
    const authenticator = setUp();
    expect(await authenticator.authenticate(request(`Bearer ${METRICS_TOKEN}`), metrics)).toEqual({
      kind: 'metrics-token',
    });
    expect(await authenticator.authenticate(request(`Bearer ${KEY}`), metrics)).toMatchObject({ kind: 'api-key' });
    // Not the metrics token, and not a key either: the key strategy's refusal is final.
    const wrong = await refusal(authenticator.authenticate(request('Bearer not-the-token-0124'), metrics, 'Hint.'));
    expect(wrong.message).toMatch(/start with "ep_".* Hint\.$/);
  });

  it('never admits a metrics token on a route that does not list its strategy', async () => {
    const error = await refusal(setUp().authenticate(request(`Bearer ${METRICS_TOKEN}`)));
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('answers UNAVAILABLE when the key store does not answer, never a 500', async () => {
    const authenticator = setUp({ databaseDown: true });
    for (const header of [`Bearer ${KEY}`, undefined]) {
      const error = await refusal(authenticator.authenticate(request(header)));
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).not.toMatch(/ECONNREFUSED|5432/);
    }
  });

  it('says a chat platform without its secret is switched off (503), whatever was sent', async () => {
    const error = await refusal(setUp().authenticate(request(`Bearer ${KEY}`), ['slack']));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/SLACK_SIGNING_SECRET/);
  });
});
