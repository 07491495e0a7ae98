import { z } from 'zod';
import { isBase64 } from '../chat/request-verification.js';
import { parseChatTeams, type ChatTeamMap } from './chat-teams.js';

/** How much the app logs. `info` is Nest's `log` level; `silent` turns logging off. */
export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The in-memory database: nothing is written to disk (tests, throwaway runs). */
export const IN_MEMORY = 'memory://';

/*
 * An optional key may hold an explicit undefined: loadConfig hands over what the environment left
 * unset that way, and an override (Partial<Config>) with `databaseUrl: undefined` means "unset it"
 * (embedded PGlite even where DATABASE_URL is set).
 */
export type Config = {
  port: number;
  host: string;
  /** A PostgreSQL server. Absent: embedded PGlite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite keeps its files in `${dataDir}/pglite`; `memory://` keeps them in memory. */
  dataDir: string;
  logLevel: LogLevel;
  /** CHAT_TEAMS: which team a chat workspace or channel acts for (unmapped: no team). */
  chatTeams: ChatTeamMap;
  /**
   * REQUEST_TIMEOUT_MS: how long a request may take, from its first byte to its answer, before it
   * gets a 503 problem (also the database's statement_timeout). Default 10 s.
   */
  requestTimeoutMs: number;
  /** METRICS_TOKEN: a bearer token a Prometheus server may scrape /metrics with (besides admin keys). */
  metricsToken?: string | undefined;
  /**
   * RATE_LIMIT_PER_MINUTE: the requests each caller (API key, chat team, client address) may make
   * per minute, sustained, on every replica separately. 0 turns rate limiting off. Default 600.
   */
  rateLimitPerMinute: number;
  /** RATE_LIMIT_BURST: how many requests an idle caller may send at once. Absent: RATE_LIMIT_PER_MINUTE. */
  rateLimitBurst?: number | undefined;
  /** IDEMPOTENCY_TTL_HOURS: how long an Idempotency-Key is remembered (1 to 720). Default 24. */
  idempotencyTtlHours: number;
  /**
   * SHARE_LINK_SECRET: the key share links (GET /plans/:id?token=…) are signed with; rotating it
   * revokes every link. Unset: no link can be made (a 503 says why); protected mode still opens pages.
   */
  shareLinkSecret?: string | undefined;
  /** SHARE_LINK_TTL_HOURS: how long a share link opens its page (1 to 720). Default 72. */
  shareLinkTtlHours: number;
  /*
   * The chat transports' secrets: each optional, a chat system without one is switched off (its
   * endpoint answers 503), never left open. src/chat/chat.config.ts hands them to the chat strategies.
   */
  /** SLACK_SIGNING_SECRET: Slack app → Basic Information → Signing Secret. */
  slackSigningSecret?: string | undefined;
  /** MATTERMOST_TOKEN: the token Mattermost shows for the custom slash command. */
  mattermostToken?: string | undefined;
  /** TEAMS_HMAC_SECRET: the base64 security token Teams shows when the outgoing webhook is created. */
  teamsHmacSecret?: string | undefined;
  /** PUBLIC_URL, without a trailing slash: where users reach the REST API, for links in chat replies. */
  publicUrl?: string | undefined;
};

/** Nest injection token of the Config, so a test can provide other values. */
export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * An empty variable (`PORT=` in a compose file or .env, `SLACK_SIGNING_SECRET=`) means "use the
 * default" or "not configured", never "invalid" or "an empty secret": every environment schema
 * preprocesses with it.
 */
export const unsetIfEmpty = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

function secret(minLength: number) {
  return z.preprocess(unsetIfEmpty, z.string().min(minLength, `must be at least ${minLength} characters`).optional());
}

/** A secret the operator makes up for us (a scrape token, a signing key): long enough, and no spaces. */
function secretWithoutSpaces(minLength: number, hint = '') {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(new RegExp(`^\\S{${minLength},}$`), `must be at least ${minLength} characters, without spaces${hint}`)
      .optional(),
  );
}

/**
 * A whole number from `min` to `max`, with one plain message whatever is wrong with it: zod's
 * own ("expected number, received NaN", "Too big: expected number to be <=65535") tells an
 * operator who typed `PORT=abc` what the parser saw, not what to write.
 */
function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number(message).int(message).min(min, message).max(max, message);
}

const envSchema = z.object({
  PORT: z.preprocess(unsetIfEmpty, wholeNumber(1, 65_535).default(3000)),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql://user@host:port/database URL')
      .optional(),
  ),
  DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./.data')),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? unsetIfEmpty(v.toLowerCase()) : v),
    z.enum(LOG_LEVELS).default('info'),
  ),
  REQUEST_TIMEOUT_MS: z.preprocess(unsetIfEmpty, wholeNumber(100, 600_000).default(10_000)),
  METRICS_TOKEN: secretWithoutSpaces(16),
  RATE_LIMIT_PER_MINUTE: z.preprocess(unsetIfEmpty, wholeNumber(0, 1_000_000).default(600)),
  RATE_LIMIT_BURST: z.preprocess(unsetIfEmpty, wholeNumber(1, 1_000_000).optional()),
  IDEMPOTENCY_TTL_HOURS: z.preprocess(unsetIfEmpty, wholeNumber(1, 720).default(24)),
  SHARE_LINK_SECRET: secretWithoutSpaces(32, ' (e.g. openssl rand -base64 32)'),
  SHARE_LINK_TTL_HOURS: z.preprocess(unsetIfEmpty, wholeNumber(1, 720).default(72)),
  SLACK_SIGNING_SECRET: secret(8),
  MATTERMOST_TOKEN: secret(8),
  TEAMS_HMAC_SECRET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine(isBase64, 'must be the base64 security token Teams showed')
      .refine((value) => Buffer.from(value, 'base64').length >= 16, 'decodes to fewer than 16 bytes')
      .optional(),
  ),
  PUBLIC_URL: z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  CHAT_TEAMS: z.preprocess(unsetIfEmpty, z.string().default('')).transform((value, context) => {
    const { map, problems } = parseChatTeams(value);
    problems.forEach((message) => context.addIssue({ code: 'custom', message }));
    return map;
  }),
});

/**
 * Reads and checks the environment once, at boot. The rest of the app receives the typed Config
 * (through APP_CONFIG) and never reads `process.env` itself.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}${shown(env, issue.path)}`),
    );
  }
  const {
    PORT,
    HOST,
    DATABASE_URL,
    DATA_DIR,
    LOG_LEVEL,
    CHAT_TEAMS,
    REQUEST_TIMEOUT_MS,
    METRICS_TOKEN,
    RATE_LIMIT_PER_MINUTE,
    RATE_LIMIT_BURST,
    IDEMPOTENCY_TTL_HOURS,
    SHARE_LINK_SECRET,
    SHARE_LINK_TTL_HOURS,
    SLACK_SIGNING_SECRET,
    MATTERMOST_TOKEN,
    TEAMS_HMAC_SECRET,
    PUBLIC_URL,
  } = parsed.data;
  return {
    port: PORT,
    host: HOST,
    databaseUrl: DATABASE_URL,
    dataDir: DATA_DIR,
    logLevel: LOG_LEVEL,
    chatTeams: CHAT_TEAMS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    metricsToken: METRICS_TOKEN,
    rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
    rateLimitBurst: RATE_LIMIT_BURST,
    idempotencyTtlHours: IDEMPOTENCY_TTL_HOURS,
    shareLinkSecret: SHARE_LINK_SECRET,
    shareLinkTtlHours: SHARE_LINK_TTL_HOURS,
    slackSigningSecret: SLACK_SIGNING_SECRET,
    mattermostToken: MATTERMOST_TOKEN,
    teamsHmacSecret: TEAMS_HMAC_SECRET,
    publicUrl: PUBLIC_URL,
  };
}

// The value helps to spot a typo, except in a variable that may carry a secret.
function shown(env: Record<string, string | undefined>, path: PropertyKey[]): string {
  const key = path[0];
  return typeof key === 'string' && !NEVER_SHOWN.has(key) ? ` (got ${JSON.stringify(env[key])})` : '';
}

// Variables that may hold a secret: their value is never echoed, not even a wrong one. PUBLIC_URL
// too, as the chat variables never were.
const NEVER_SHOWN = new Set([
  'DATABASE_URL',
  'METRICS_TOKEN',
  'SLACK_SIGNING_SECRET',
  'MATTERMOST_TOKEN',
  'TEAMS_HMAC_SECRET',
  'PUBLIC_URL',
  'SHARE_LINK_SECRET',
]);
