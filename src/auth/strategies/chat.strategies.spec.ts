import { fixedClock } from '../../common/clock.js';
import { createHmac } from 'node:crypto';
import type { ChatConfig } from '../../chat/chat.config.js';
import { Refusal, type CredentialRequest } from '../credentials.js';
import type { Principal } from '../principal.js';
import { MattermostStrategy, SlackStrategy, TeamsStrategy } from './chat.strategies.js';

const SLACK_SECRET = 'guard-spec-signing-secret';
const TEAMS_SECRET = Buffer.from('guard spec teams security token').toString('base64');
const MATTERMOST_TOKEN = 'guard-spec-mattermost-token';
const CONFIG: ChatConfig = {
  slackSigningSecret: SLACK_SECRET,
  mattermostToken: MATTERMOST_TOKEN,
  teamsHmacSecret: TEAMS_SECRET,
  publicUrl: 'http://127.0.0.1:3000',
};
const OFF: ChatConfig = { publicUrl: 'http://127.0.0.1:3000' };

/** A refusal as its code, message, finality and headers; a Principal as itself. */
function verdict(result: Principal | Refusal) {
  return result instanceof Refusal
    ? {
        refused: result.error.code,
        message: result.error.message,
        presented: result.presented,
        headers: result.error.headers,
      }
    : result;
}

const BODY = 'command=%2Fplan&text=list';
const T0 = 1_767_225_600; // seconds

function slackRequest(timestamp = T0, body = BODY, secret = SLACK_SECRET): CredentialRequest {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    headers: { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    rawBody: Buffer.from(body),
  };
}

const UNAUTHENTICATED = { refused: 'UNAUTHENTICATED', presented: true, headers: {} };

describe(SlackStrategy.name, () => {
  // The clock is injected: each test puts "now" where it needs it relative to the signed timestamp.
  const slackAt = (nowSeconds: number, config = CONFIG) => new SlackStrategy(config, fixedClock(nowSeconds * 1000));

  it('admits a signed request as chat, reading the headers and the raw body', () => {
    expect(slackAt(T0 + 10).authenticate(slackRequest())).toMatchObject({ kind: 'chat', platform: 'slack' });
  });

  it.each([
    ['more than 5 minutes after it was signed', T0 + 301],
    ['more than 5 minutes before it was signed', T0 - 301],
  ])('refuses a request checked %s: final, and no Bearer challenge', (_label, now) => {
    expect(verdict(slackAt(now).authenticate(slackRequest()))).toMatchObject(UNAUTHENTICATED);
  });

  it('refuses a body that differs from the signed one', () => {
    const request = { ...slackRequest(), rawBody: Buffer.from('command=%2Fplan&text=help') };
    expect(verdict(slackAt(T0).authenticate(request))).toMatchObject({
      ...UNAUTHENTICATED,
      message: expect.stringMatching(/does not match/),
    });
  });

  it('refuses when the raw body was not kept (rawBody off): it cannot be verified', () => {
    const request = { ...slackRequest(), rawBody: undefined };
    expect(verdict(slackAt(T0).authenticate(request))).toMatchObject(UNAUTHENTICATED);
  });

  it('is switched off without a signing secret: UNAVAILABLE (503), never open', () => {
    expect(verdict(slackAt(T0, OFF).authenticate(slackRequest()))).toMatchObject({
      refused: 'UNAVAILABLE',
      presented: true,
      message: expect.stringMatching(/SLACK_SIGNING_SECRET/),
    });
  });
});

describe(TeamsStrategy.name, () => {
  const body = JSON.stringify({ type: 'message', text: '<at>Bot</at> help' });
  const sign = (secret: string) =>
    `HMAC ${createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('base64')}`;

  it('admits a signed activity', () => {
    const request = { headers: { authorization: sign(TEAMS_SECRET) }, rawBody: Buffer.from(body) };
    expect(new TeamsStrategy(CONFIG).authenticate(request)).toMatchObject({ kind: 'chat', platform: 'teams' });
  });

  it('refuses another signature', () => {
    const request = {
      headers: { authorization: sign(Buffer.from('x'.repeat(20)).toString('base64')) },
      rawBody: Buffer.from(body),
    };
    expect(verdict(new TeamsStrategy(CONFIG).authenticate(request))).toMatchObject(UNAUTHENTICATED);
  });

  it('is switched off without a secret', () => {
    expect(verdict(new TeamsStrategy(OFF).authenticate({ headers: {} }))).toMatchObject({
      refused: 'UNAVAILABLE',
      message: expect.stringMatching(/TEAMS_HMAC_SECRET/),
    });
  });
});

describe(MattermostStrategy.name, () => {
  it('reads the token from the parsed form or the Authorization header', () => {
    const strategy = new MattermostStrategy(CONFIG);
    expect(strategy.authenticate({ headers: {}, body: { token: MATTERMOST_TOKEN } })).toMatchObject({ kind: 'chat' });
    expect(strategy.authenticate({ headers: { authorization: `Token ${MATTERMOST_TOKEN}` } })).toMatchObject({
      kind: 'chat',
      platform: 'mattermost',
    });
  });

  it('refuses a wrong token', () => {
    const result = new MattermostStrategy(CONFIG).authenticate({ headers: {}, body: { token: 'nope' } });
    expect(verdict(result)).toMatchObject(UNAUTHENTICATED);
  });

  it('is switched off without a token', () => {
    const result = new MattermostStrategy(OFF).authenticate({ headers: {}, body: { token: MATTERMOST_TOKEN } });
    expect(verdict(result)).toMatchObject({
      refused: 'UNAVAILABLE',
      message: expect.stringMatching(/MATTERMOST_TOKEN/),
    });
  });
});

describe('the chat Principal a verified request acts as', () => {
  const MAPPED: ChatConfig = { ...CONFIG, teams: { 'slack:T1': 'payments', 'slack:T1/C9': 'search' } };

  it.each([
    ['team_id=T1&channel_id=C1', 'payments'],
    ['team_id=T1&channel_id=C9', 'search'],
    ['team_id=T2&channel_id=C9', null],
    ['text=list', null],
  ])('Slack %s → team %s', (form, team) => {
    const request = { ...slackRequest(T0, form), body: Object.fromEntries(new URLSearchParams(form)) };
    expect(new SlackStrategy(MAPPED, fixedClock(T0 * 1000)).authenticate(request)).toEqual({
      kind: 'chat',
      platform: 'slack',
      team,
      scopes: ['plans:read', 'plans:write'],
    });
  });

  it('maps a Teams tenant, and admits nobody with a forged body', () => {
    const config: ChatConfig = { ...CONFIG, teams: { 'teams:tenant-1': 'ops' } };
    const body = JSON.stringify({ type: 'message', text: 'list', channelData: { tenant: { id: 'tenant-1' } } });
    const signature = createHmac('sha256', Buffer.from(TEAMS_SECRET, 'base64')).update(body).digest('base64');
    const request = {
      headers: { authorization: `HMAC ${signature}` },
      rawBody: Buffer.from(body),
      body: JSON.parse(body),
    };
    expect(new TeamsStrategy(config).authenticate(request)).toMatchObject({
      kind: 'chat',
      platform: 'teams',
      team: 'ops',
    });

    const forged = { ...request, rawBody: Buffer.from(`${body} `) };
    expect(new TeamsStrategy(config).authenticate(forged)).toBeInstanceOf(Refusal);
  });
});
