import type { FactoryProvider } from '@nestjs/common';
import type { ChatTeamMap } from '../config/chat-teams.js';
import { APP_CONFIG, type Config } from '../config/config.js';

/**
 * What the chat transports need of the Config (src/config, checked once at boot): each system's
 * secret (absent: that system is switched off, its endpoint answers 503, never left open), where
 * replies link to, and which team each workspace or channel acts for.
 */
export type ChatConfig = Pick<Config, 'slackSigningSecret' | 'mattermostToken' | 'teamsHmacSecret'> & {
  /** Where users reach the REST API, for links in replies: PUBLIC_URL, else http://HOST:PORT. */
  publicUrl: string;
  /** CHAT_TEAMS (src/config): the team each workspace or channel acts for; absent: none is mapped. */
  teams?: ChatTeamMap;
};

export const CHAT_CONFIG = Symbol('CHAT_CONFIG');

/** The chat part of the app's Config, with the public URL defaulted from HOST and PORT. */
export function chatConfigOf(config: Config): ChatConfig {
  return {
    slackSigningSecret: config.slackSigningSecret,
    mattermostToken: config.mattermostToken,
    teamsHmacSecret: config.teamsHmacSecret,
    publicUrl: config.publicUrl ?? defaultPublicUrl(config),
    teams: config.chatTeams,
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
  useFactory: chatConfigOf,
};
