import { UnauthorizedException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { createHmac } from 'node:crypto';
import { DomainError } from '../common/domain-error.js';
import type { ChatConfig } from './chat.config.js';
import { ChatApiAccessGuard, MattermostTokenGuard, SlackSignatureGuard, TeamsSignatureGuard } from './chat-guards.js';

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

type FakeRequest = {
  headers: Record<string, string | string[] | undefined>;
  rawBody?: Buffer;
  body?: unknown;
  principal?: unknown;
};

function http(request: FakeRequest): ExecutionContextHost {
  return new ExecutionContextHost([request, {}, () => undefined]);
}

const BODY = 'command=%2Fplan&text=list';
const T0 = 1_767_225_600; // seconds

function slackRequest(timestamp = T0, body = BODY, secret = SLACK_SECRET): FakeRequest {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    headers: { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    rawBody: Buffer.from(body),
  };
}

describe(SlackSignatureGuard.name, () => {
  // The clock is injected: each test puts "now" where it needs it relative to the signed timestamp.
  const guardAt = (nowSeconds: number, config = CONFIG) => new SlackSignatureGuard(config, () => nowSeconds * 1000);

  it('lets a signed request through, reading the headers and the raw body', () => {
    expect(guardAt(T0 + 10).canActivate(http(slackRequest()))).toBe(true);
  });

  it.each([
    ['more than 5 minutes after it was signed', T0 + 301],
    ['more than 5 minutes before it was signed', T0 - 301],
  ])('refuses a request checked %s, with 401', (_label, now) => {
    expect(() => guardAt(now).canActivate(http(slackRequest()))).toThrow(UnauthorizedException);
  });

  it('refuses a body that differs from the signed one', () => {
    const request = { ...slackRequest(), rawBody: Buffer.from('command=%2Fplan&text=help') };
    expect(() => guardAt(T0).canActivate(http(request))).toThrow(/does not match/);
  });

  it('refuses when the raw body was not kept (rawBody off): it cannot be verified', () => {
    const request = { ...slackRequest(), rawBody: undefined };
    expect(() => guardAt(T0).canActivate(http(request))).toThrow(UnauthorizedException);
  });

  it('is switched off without a signing secret: UNAVAILABLE (503), never open', () => {
    const attempt = () => guardAt(T0, OFF).canActivate(http(slackRequest()));
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/SLACK_SIGNING_SECRET/);
  });
});

describe(TeamsSignatureGuard.name, () => {
  const body = JSON.stringify({ type: 'message', text: '<at>Bot</at> help' });
  const sign = (secret: string) =>
    `HMAC ${createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('base64')}`;

  it('lets a signed activity through', () => {
    const request = { headers: { authorization: sign(TEAMS_SECRET) }, rawBody: Buffer.from(body) };
    expect(new TeamsSignatureGuard(CONFIG).canActivate(http(request))).toBe(true);
  });

  it('refuses another signature with 401', () => {
    const request = {
      headers: { authorization: sign(Buffer.from('x'.repeat(20)).toString('base64')) },
      rawBody: Buffer.from(body),
    };
    expect(() => new TeamsSignatureGuard(CONFIG).canActivate(http(request))).toThrow(UnauthorizedException);
  });

  it('is switched off without a secret', () => {
    expect(() => new TeamsSignatureGuard(OFF).canActivate(http({ headers: {} }))).toThrow(/TEAMS_HMAC_SECRET/);
  });
});

describe(MattermostTokenGuard.name, () => {
  it('reads the token from the parsed form or the Authorization header', () => {
    const guard = new MattermostTokenGuard(CONFIG);
    expect(guard.canActivate(http({ headers: {}, body: { token: MATTERMOST_TOKEN } }))).toBe(true);
    expect(guard.canActivate(http({ headers: { authorization: `Token ${MATTERMOST_TOKEN}` } }))).toBe(true);
  });

  it('refuses a wrong token with 401', () => {
    expect(() => new MattermostTokenGuard(CONFIG).canActivate(http({ headers: {}, body: { token: 'nope' } }))).toThrow(
      UnauthorizedException,
    );
  });

  it('is switched off without a token', () => {
    expect(() =>
      new MattermostTokenGuard(OFF).canActivate(http({ headers: {}, body: { token: MATTERMOST_TOKEN } })),
    ).toThrow(/MATTERMOST_TOKEN/);
  });
});

describe(ChatApiAccessGuard.name, () => {
  it('lets a request through only once an API key (or protected-mode loopback) Principal is established', () => {
    const guard = new ChatApiAccessGuard();
    const withKey = { headers: {}, principal: { kind: 'api-key', keyId: 'k', name: 'bot', scopes: [], team: null } };
    expect(guard.canActivate(http(withKey))).toBe(true);
    expect(guard.canActivate(http({ headers: {}, principal: { kind: 'loopback' } }))).toBe(true);
    expect(() => guard.canActivate(http({ headers: {} }))).toThrow(UnauthorizedException);
    const chat = { headers: {}, principal: { kind: 'chat', platform: 'slack', team: null, scopes: [] } };
    expect(() => guard.canActivate(http(chat as FakeRequest))).toThrow(UnauthorizedException);
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
    const request = slackRequest(T0, form);
    request.body = Object.fromEntries(new URLSearchParams(form));
    expect(new SlackSignatureGuard(MAPPED, () => T0 * 1000).canActivate(http(request))).toBe(true);
    expect(request.principal).toEqual({ kind: 'chat', platform: 'slack', team, scopes: ['plans:read', 'plans:write'] });
  });

  it('maps a Teams tenant, and sets no Principal on a refused request', () => {
    const config: ChatConfig = { ...CONFIG, teams: { 'teams:tenant-1': 'ops' } };
    const body = JSON.stringify({ type: 'message', text: 'list', channelData: { tenant: { id: 'tenant-1' } } });
    const signature = createHmac('sha256', Buffer.from(TEAMS_SECRET, 'base64')).update(body).digest('base64');
    const request: FakeRequest = {
      headers: { authorization: `HMAC ${signature}` },
      rawBody: Buffer.from(body),
      body: JSON.parse(body),
    };
    expect(new TeamsSignatureGuard(config).canActivate(http(request))).toBe(true);
    expect(request.principal).toMatchObject({ kind: 'chat', platform: 'teams', team: 'ops' });

    const forged: FakeRequest = { headers: { authorization: `HMAC ${signature}` }, rawBody: Buffer.from(`${body} `) };
    expect(() => new TeamsSignatureGuard(config).canActivate(http(forged))).toThrow(UnauthorizedException);
    expect(forged.principal).toBeUndefined();
  });
});
