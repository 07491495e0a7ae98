import type { FactoryProvider } from '@nestjs/common';
import { z } from 'zod';
import type { ChatTeamMap } from '../config/chat-teams.js';
import { APP_CONFIG, ConfigError, unsetIfEmpty, type Config } from '../config/config.js';
import { isBase64 } from './request-verification.js';

/**
 * The chat transports' secrets and public address, checked once when the module starts. Each
 * secret is optional: a chat system without one is switched off (its endpoint answers 503), never
 * left open. Kept here until src/config takes these variables in (see the issue's report).
 */
export type ChatConfig = {
  /** Slack app → Basic Information → Signing Secret. */
  slackSigningSecret?: string;
  /** The token Mattermost shows for the custom slash command. */
  mattermostToken?: string;
  /** The base64 security token Teams shows when the outgoing webhook is created. */
  teamsHmacSecret?: string;
  /** Where users reach the REST API, for links in replies: PUBLIC_URL, else http://HOST:PORT. */
  publicUrl: string;
  /** CHAT_TEAMS (src/config): the team each workspace or channel acts for; absent: none is mapped. */
  teams?: ChatTeamMap;
};

export const CHAT_CONFIG = Symbol('CHAT_CONFIG');

const secret = (minLength: number) =>
  z.preprocess(unsetIfEmpty, z.string().min(minLength, `must be at least ${minLength} characters`).optional());

const chatEnvSchema = z.object({
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
});

/** Reads the chat variables of `env`; `app` gives HOST and PORT for the default public URL. */
export function loadChatConfig(
  env: Record<string, string | undefined>,
  app: Pick<Config, 'host' | 'port'>,
): ChatConfig {
  const parsed = chatEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Never echo the values: they are secrets.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const { SLACK_SIGNING_SECRET, MATTERMOST_TOKEN, TEAMS_HMAC_SECRET, PUBLIC_URL } = parsed.data;
  return {
    slackSigningSecret: SLACK_SIGNING_SECRET,
    mattermostToken: MATTERMOST_TOKEN,
    teamsHmacSecret: TEAMS_HMAC_SECRET,
    publicUrl: PUBLIC_URL ?? defaultPublicUrl(app),
  };
}

/** A wildcard listen address is not somewhere a browser can go; localhost is, on the same machine. */
function defaultPublicUrl({ host, port }: Pick<Config, 'host' | 'port'>): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export const chatConfigProvider: FactoryProvider<ChatConfig> = {
  provide: CHAT_CONFIG,
  inject: [APP_CONFIG],
  useFactory: (app: Config) => ({ ...loadChatConfig(process.env, app), teams: app.chatTeams }),
};
