import { createHmac } from 'node:crypto';
import type { Config } from '../../src/config/config.js';
import { startTestApp, useTestApp, type TestApp } from './app.js';

// How each chat system calls the app: Slack's signed form, Mattermost's form with its token, Teams'
// HMAC-signed activity. Signatures are computed here independently of src/chat.

export const SLACK_SECRET = 'e2e-slack-signing-secret-0123456789';
export const MATTERMOST_TOKEN = 'e2e-mattermost-token-abcdefgh';
export const TEAMS_SECRET = Buffer.from('e2e teams outgoing webhook security token').toString('base64');
export const PUBLIC_URL = 'https://planner.e2e.example.com';
export const CHAT_ENV = {
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  MATTERMOST_TOKEN,
  TEAMS_HMAC_SECRET: TEAMS_SECRET,
  PUBLIC_URL,
};
export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The chat variables of `env`, every other chat variable unset: what a test app boots with. */
export function onlyChatEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...Object.fromEntries(Object.keys(CHAT_ENV).map((key) => [key, undefined])), ...env };
}

/** Starts the app with the chat variables of `env` set in the environment only while it boots. */
export function startWithEnv(
  env: Record<string, string | undefined>,
  overrides: Partial<Config> = {},
): Promise<TestApp> {
  return startTestApp(overrides, { env: onlyChatEnv(env) });
}

/** startWithEnv for the enclosing describe block, as useTestApp. */
export function useChatApp(env: Record<string, string | undefined>, overrides: Partial<Config> = {}): TestApp {
  return useTestApp(overrides, { env: onlyChatEnv(env) });
}

/** A slash command form as Slack posts it: Slack HTML-escapes &, < and > in `text`. */
export function slackForm(text: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    enterprise_id: 'E0001',
    enterprise_name: 'Example Inc',
    channel_id: 'C2147483705',
    channel_name: 'platform',
    user_id: 'U2147483697',
    user_name: 'steve',
    command: '/plan',
    text: text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    api_app_id: 'A123456',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...extra,
  }).toString();
}

export function slackHeaders(
  body: string,
  secret = SLACK_SECRET,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

/** A Bot Framework message activity as a Teams outgoing webhook posts it. */
export function teamsActivity(text: string): string {
  return JSON.stringify({
    type: 'message',
    id: '1485983408511',
    timestamp: '2026-03-01T21:10:08.5Z',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    channelId: 'msteams',
    from: { id: '29:1', name: 'Steve' },
    conversation: { id: '19:abc@thread.skype;messageid=1485983194839' },
    text,
    textFormat: 'plain',
  });
}

/** Teams' `Authorization: HMAC <base64 HMAC-SHA256 of the body>` with the base64 secret. */
export function teamsSignature(body: string, secret = TEAMS_SECRET): string {
  return `HMAC ${createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('base64')}`;
}

/** A Mattermost custom slash command's form, with its token when given. */
export function mattermostForm(text: string, token?: string): string {
  return new URLSearchParams({
    channel_id: 'fukth7do1ify8bz6xbb4gtc4cy',
    channel_name: 'town-square',
    command: '/plan',
    response_url: 'https://mattermost.example.com/hooks/commands/x',
    team_domain: 'example',
    team_id: 'rdc9bgriktyx9p4kowh3dmgqyc',
    text,
    ...(token === undefined ? {} : { token }),
    trigger_id: 'abc',
    user_id: 'rjawu8hzitbkz8fjrjqqxsnwqr',
    user_name: 'steve',
  }).toString();
}
