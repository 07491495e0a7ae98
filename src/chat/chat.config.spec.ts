import { ConfigError, loadConfig } from '../config/config.js';
import { chatConfigOf } from './chat.config.js';

/** The chat part of the Config loadConfig reads from `env` (CHAT_TEAMS aside: chat-teams.spec.ts). */
function loadChatConfig(env: Record<string, string>, { host, port }: { host: string; port: number }) {
  const chat = chatConfigOf(loadConfig({ ...env, HOST: host, PORT: String(port) }));
  delete chat.teams;
  return chat;
}

const app = { host: '127.0.0.1', port: 3000 };
const TEAMS = Buffer.from('sixteen or more bytes of token').toString('base64');

describe(chatConfigOf.name, () => {
  it('switches every chat system off when nothing is set, and links to HOST:PORT', () => {
    expect(loadChatConfig({}, app)).toEqual({
      slackSigningSecret: undefined,
      mattermostToken: undefined,
      teamsHmacSecret: undefined,
      publicUrl: 'http://127.0.0.1:3000',
    });
  });

  it('reads every secret and the public URL (without a trailing slash)', () => {
    expect(
      loadChatConfig(
        {
          SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
          MATTERMOST_TOKEN: 'xr3j5x3p4pfk7ksnp2qbsf9goa',
          TEAMS_HMAC_SECRET: TEAMS,
          PUBLIC_URL: 'https://planner.example.com/',
        },
        app,
      ),
    ).toEqual({
      slackSigningSecret: '8f742231b10e8888abcd99yyyzzz85a5',
      mattermostToken: 'xr3j5x3p4pfk7ksnp2qbsf9goa',
      teamsHmacSecret: TEAMS,
      publicUrl: 'https://planner.example.com',
    });
  });

  it('gives the chat strategies the CHAT_TEAMS mapping', () => {
    expect(chatConfigOf(loadConfig({ CHAT_TEAMS: 'slack:T1=payments' })).teams).toEqual({ 'slack:T1': 'payments' });
  });

  it('takes an empty variable as unset', () => {
    expect(
      loadChatConfig({ SLACK_SIGNING_SECRET: '', TEAMS_HMAC_SECRET: ' ' }, app).slackSigningSecret,
    ).toBeUndefined();
  });

  it.each([
    ['0.0.0.0', 8080, 'http://localhost:8080'],
    ['::', 3000, 'http://localhost:3000'],
    ['::1', 3000, 'http://[::1]:3000'],
  ])('links a listen address %s to something a browser reaches', (host, port, url) => {
    expect(loadChatConfig({}, { host, port }).publicUrl).toBe(url);
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: 'short' }, /SLACK_SIGNING_SECRET: must be at least 8/],
    [{ MATTERMOST_TOKEN: 'short' }, /MATTERMOST_TOKEN: must be at least 8/],
    [{ TEAMS_HMAC_SECRET: 'not base64!' }, /TEAMS_HMAC_SECRET: must be the base64/],
    [{ TEAMS_HMAC_SECRET: 'c2hvcnQ=' }, /TEAMS_HMAC_SECRET: decodes to fewer than 16 bytes/],
    [{ PUBLIC_URL: 'ftp://x.example.com' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL/],
  ])('refuses %j at boot, without echoing the value', (env, message) => {
    const load = () => loadChatConfig(env, app);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
    const value = Object.values(env)[0];
    expect(() => load()).not.toThrow(value);
  });
});
