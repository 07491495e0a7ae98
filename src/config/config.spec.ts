import { ConfigError, loadConfig } from './config.js';
import { nestLogLevels } from './log-levels.js';

/** What loadConfig throws for this environment, which must be a ConfigError. */
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig accepted an environment it should refuse');
}

describe(loadConfig.name, () => {
  it('fills every default from an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './.data',
      logLevel: 'info',
      chatTeams: {},
      requestTimeoutMs: 10_000,
      metricsToken: undefined,
      rateLimitPerMinute: 600,
      rateLimitBurst: undefined,
      idempotencyTtlHours: 24,
      shareLinkSecret: undefined,
      shareLinkTtlHours: 72,
    });
  });

  it('reads and types every variable', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgresql://app:secret@db:5432/plans',
        DATA_DIR: 'memory://',
        LOG_LEVEL: 'DEBUG',
        CHAT_TEAMS: 'slack:T123=payments, slack:T123/C456=search,mattermost:abc=payments',
        RATE_LIMIT_PER_MINUTE: '120',
        RATE_LIMIT_BURST: '20',
        IDEMPOTENCY_TTL_HOURS: '2',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://app:secret@db:5432/plans',
      dataDir: 'memory://',
      logLevel: 'debug',
      chatTeams: { 'slack:T123': 'payments', 'slack:T123/C456': 'search', 'mattermost:abc': 'payments' },
      requestTimeoutMs: 10_000,
      metricsToken: undefined,
      rateLimitPerMinute: 120,
      rateLimitBurst: 20,
      idempotencyTtlHours: 2,
      shareLinkSecret: undefined,
      shareLinkTtlHours: 72,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', LOG_LEVEL: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      logLevel: 'info',
    });
  });

  it('reports every bad variable at once, without echoing the database password', () => {
    const { message, problems } = configErrorOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
    });
    expect(problems).toHaveLength(3);
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toContain('hunter2');
  });

  it.each(['abc', '0', '3.5', '70000'])('rejects PORT=%s, saying in plain words what it takes', (port) => {
    expect(configErrorOf({ PORT: port }).problems).toEqual([
      `PORT: must be a whole number from 1 to 65535 (got "${port}")`,
    ]);
  });

  it('says the same of every numeric variable, with its own range', () => {
    expect(configErrorOf({ REQUEST_TIMEOUT_MS: 'soon' }).problems).toEqual([
      'REQUEST_TIMEOUT_MS: must be a whole number from 100 to 600000 (got "soon")',
    ]);
  });
});

describe(nestLogLevels.name, () => {
  it.each([
    ['silent', false],
    ['error', ['fatal', 'error']],
    ['info', ['fatal', 'error', 'warn', 'log']],
    ['verbose', ['fatal', 'error', 'warn', 'log', 'debug', 'verbose']],
  ] as const)('%s → %j', (level, expected) => {
    expect(nestLogLevels(level)).toEqual(expected);
  });
});

describe('CHAT_TEAMS', () => {
  it('reports every bad entry: shape, platform, team name, a key mapped twice', () => {
    const { problems } = configErrorOf({ CHAT_TEAMS: 'slack:T1=ok,nonsense,irc:x=a,slack:T2=Bad Team,slack:T1=other' });
    expect(problems).toHaveLength(4);
    expect(problems.every((p) => p.startsWith('CHAT_TEAMS'))).toBe(true);
    expect(problems.join('\n')).toMatch(/"nonsense" is not platform:workspace\[\/channel\]=team/);
    expect(problems.join('\n')).toMatch(/platform must be one of slack, mattermost, teams/);
    expect(problems.join('\n')).toMatch(/slack:T1 is mapped twice/);
  });
});

describe('REQUEST_TIMEOUT_MS and METRICS_TOKEN', () => {
  it('reads both', () => {
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '2500', METRICS_TOKEN: 'scrape-me-please-0123' })).toMatchObject({
      requestTimeoutMs: 2500,
      metricsToken: 'scrape-me-please-0123',
    });
  });

  it('refuses a timeout out of range and a short token, without echoing the token', () => {
    const { problems } = configErrorOf({ REQUEST_TIMEOUT_MS: '10', METRICS_TOKEN: 'short-secret' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/REQUEST_TIMEOUT_MS/);
    expect(problems.join('\n')).toMatch(/METRICS_TOKEN/);
    expect(problems.join('\n')).not.toContain('short-secret');
  });
});

describe('RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST and IDEMPOTENCY_TTL_HOURS', () => {
  it('lets 0 turn rate limiting off, and leaves the burst to the limiter when unset', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toMatchObject({
      rateLimitPerMinute: 0,
      rateLimitBurst: undefined,
    });
  });

  it.each([
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['RATE_LIMIT_PER_MINUTE', '2.5'],
    ['RATE_LIMIT_BURST', '0'],
    ['IDEMPOTENCY_TTL_HOURS', '0'],
    ['IDEMPOTENCY_TTL_HOURS', '721'],
    ['IDEMPOTENCY_TTL_HOURS', 'a day'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });
});

describe('SHARE_LINK_SECRET and SHARE_LINK_TTL_HOURS', () => {
  it('reads both', () => {
    const secret = 'a-share-link-secret-of-32-chars-0123';
    expect(loadConfig({ SHARE_LINK_SECRET: secret, SHARE_LINK_TTL_HOURS: '12' })).toMatchObject({
      shareLinkSecret: secret,
      shareLinkTtlHours: 12,
    });
  });

  it('refuses a short secret and a TTL past 30 days, without echoing the secret', () => {
    const error = configErrorOf({ SHARE_LINK_SECRET: 'too-short-secret', SHARE_LINK_TTL_HOURS: '721' });
    const problems = error.problems.join('\n');
    expect(problems).toMatch(/SHARE_LINK_SECRET/);
    expect(problems).toMatch(/SHARE_LINK_TTL_HOURS/);
    expect(problems).not.toContain('too-short-secret');
  });
});
