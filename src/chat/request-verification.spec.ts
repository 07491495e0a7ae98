import { createHmac } from 'node:crypto';
import {
  constantTimeEqual,
  sameSecret,
  slackSignature,
  teamsSignature,
  verifyMattermostRequest,
  verifySlackRequest,
  verifyTeamsRequest,
  type SlackRequest,
} from './request-verification.js';

// The example of Slack's "Verifying requests from Slack" guide: a real signed request.
const SLACK_GUIDE = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
    '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

const SECRET = 'a-signing-secret';
const NOW_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const NOW_S = String(NOW_MS / 1000);
const BODY = 'token=x&team_id=T1&command=%2Fplan&text=list+aws&response_url=https%3A%2F%2Fhooks.slack.com%2Fx';

function signed(overrides: Partial<SlackRequest> = {}): SlackRequest {
  return {
    signingSecret: SECRET,
    timestamp: NOW_S,
    signature: slackSignature(SECRET, NOW_S, BODY),
    rawBody: Buffer.from(BODY),
    nowMs: NOW_MS,
    ...overrides,
  };
}

describe(verifySlackRequest.name, () => {
  it("computes the signature of Slack's own documented example", () => {
    expect(slackSignature(SLACK_GUIDE.signingSecret, SLACK_GUIDE.timestamp, SLACK_GUIDE.body)).toBe(
      SLACK_GUIDE.signature,
    );
  });

  it("accepts Slack's documented example at its time", () => {
    expect(
      verifySlackRequest({
        signingSecret: SLACK_GUIDE.signingSecret,
        timestamp: SLACK_GUIDE.timestamp,
        signature: SLACK_GUIDE.signature,
        rawBody: Buffer.from(SLACK_GUIDE.body),
        nowMs: Number(SLACK_GUIDE.timestamp) * 1000 + 30_000,
      }),
    ).toEqual({ ok: true });
  });

  it('accepts a request signed as Slack signs it, by an independent HMAC', () => {
    const independent = `v0=${createHmac('sha256', SECRET).update(`v0:${NOW_S}:${BODY}`).digest('hex')}`;
    expect(verifySlackRequest(signed({ signature: independent }))).toEqual({ ok: true });
  });

  it('accepts a signature in upper-case hex', () => {
    const signature = slackSignature(SECRET, NOW_S, BODY).replace(/^v0=/, '');
    expect(verifySlackRequest(signed({ signature: `v0=${signature.toUpperCase()}` }))).toEqual({ ok: true });
  });

  it.each([
    ['exactly 5 minutes old', -300_000],
    ['exactly 5 minutes ahead', 300_000],
  ])('accepts a timestamp %s', (_label, offsetMs) => {
    const timestamp = String((NOW_MS + offsetMs) / 1000);
    expect(verifySlackRequest(signed({ timestamp, signature: slackSignature(SECRET, timestamp, BODY) }))).toEqual({
      ok: true,
    });
  });

  it.each<[string, Partial<SlackRequest>, RegExp]>([
    ['a tampered body', { rawBody: Buffer.from(BODY.replace('list+aws', 'list+gcp')) }, /does not match/],
    ['a wrong secret', { signingSecret: 'another-secret' }, /does not match/],
    [
      'a timestamp more than 5 minutes old (replay)',
      { timestamp: String(NOW_MS / 1000 - 301), signature: slackSignature(SECRET, String(NOW_MS / 1000 - 301), BODY) },
      /more than 5 minutes/,
    ],
    [
      'a timestamp more than 5 minutes ahead',
      { timestamp: String(NOW_MS / 1000 + 301), signature: slackSignature(SECRET, String(NOW_MS / 1000 + 301), BODY) },
      /more than 5 minutes/,
    ],
    ['a timestamp that was signed but changed', { timestamp: String(NOW_MS / 1000 - 1) }, /does not match/],
    ['no signature header', { signature: undefined }, /headers are required/],
    ['no timestamp header', { timestamp: undefined }, /headers are required/],
    ['no body', { rawBody: undefined }, /no body/],
    ['a timestamp that is not a number', { timestamp: '12ab' }, /not a Unix time/],
    ['a signature without v0=', { signature: slackSignature(SECRET, NOW_S, BODY).slice(3) }, /not a v0/],
    ['a v1 signature', { signature: slackSignature(SECRET, NOW_S, BODY).replace('v0=', 'v1=') }, /not a v0/],
    ['a truncated signature', { signature: slackSignature(SECRET, NOW_S, BODY).slice(0, 40) }, /not a v0/],
    ['a signature with non-hex characters', { signature: `v0=${'z'.repeat(64)}` }, /not a v0/],
    ['an empty signature', { signature: '' }, /not a v0/],
  ])('refuses %s', (_label, overrides, reason) => {
    const result = verifySlackRequest(signed(overrides));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

const TEAMS_TOKEN = Buffer.from('a teams outgoing webhook security token!').toString('base64');
const ACTIVITY = JSON.stringify({ type: 'message', text: '<at>Planner</at> list' });

describe(verifyTeamsRequest.name, () => {
  it('accepts a body signed as Teams signs it, by an independent HMAC', () => {
    const independent = createHmac('sha256', Buffer.from(TEAMS_TOKEN, 'base64')).update(ACTIVITY).digest('base64');
    expect(teamsSignature(TEAMS_TOKEN, ACTIVITY)).toBe(independent);
    expect(
      verifyTeamsRequest({
        securityToken: TEAMS_TOKEN,
        authorization: `HMAC ${independent}`,
        rawBody: Buffer.from(ACTIVITY),
      }),
    ).toEqual({ ok: true });
  });

  it.each<[string, string | undefined, string, RegExp]>([
    [
      'a tampered body',
      `HMAC ${teamsSignature(TEAMS_TOKEN, ACTIVITY)}`,
      ACTIVITY.replace('list', 'help'),
      /does not match/,
    ],
    [
      'a signature made with another token',
      `HMAC ${teamsSignature(Buffer.from('other').toString('base64'), ACTIVITY)}`,
      ACTIVITY,
      /does not match/,
    ],
    ['no Authorization header', undefined, ACTIVITY, /must be `HMAC/],
    ['a Bearer token', `Bearer ${teamsSignature(TEAMS_TOKEN, ACTIVITY)}`, ACTIVITY, /must be `HMAC/],
    ['a signature that is not base64', 'HMAC not*base64', ACTIVITY, /not base64/],
    ['a short signature', `HMAC ${Buffer.from('short').toString('base64')}`, ACTIVITY, /does not match/],
  ])('refuses %s', (_label, authorization, body, reason) => {
    const result = verifyTeamsRequest({ securityToken: TEAMS_TOKEN, authorization, rawBody: Buffer.from(body) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('refuses a request without a body', () => {
    const result = verifyTeamsRequest({
      securityToken: TEAMS_TOKEN,
      authorization: `HMAC ${teamsSignature(TEAMS_TOKEN, '')}`,
      rawBody: undefined,
    });
    expect(result.ok).toBe(false);
  });
});

describe(verifyMattermostRequest.name, () => {
  const expectedToken = 'xr3j5x3p4pfk7ksnp2qbsf9goa';

  it.each<[string, unknown, string | undefined]>([
    ['the form field', expectedToken, undefined],
    ['the Authorization header', undefined, `Token ${expectedToken}`],
    ['the header when the form carries a stale token', 'stale', `Token ${expectedToken}`],
  ])('accepts the token in %s', (_label, bodyToken, authorization) => {
    expect(verifyMattermostRequest({ expectedToken, bodyToken, authorization })).toEqual({ ok: true });
  });

  it.each<[string, unknown, string | undefined, RegExp]>([
    ['a wrong token', 'wrong', undefined, /does not match/],
    ['a prefix of the token', expectedToken.slice(0, 10), undefined, /does not match/],
    ['the token with more after it', `${expectedToken}x`, undefined, /does not match/],
    ['no token at all', undefined, undefined, /no token/],
    ['an empty token', '', undefined, /no token/],
    ['a token that is not a string', ['x'], undefined, /no token/],
    ['a Bearer header', undefined, `Bearer ${expectedToken}`, /no token/],
  ])('refuses %s', (_label, bodyToken, authorization, reason) => {
    const result = verifyMattermostRequest({ expectedToken, bodyToken, authorization });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('constant-time comparisons', () => {
  it('constantTimeEqual refuses unequal lengths without throwing', () => {
    expect(constantTimeEqual(Buffer.from('ab'), Buffer.from('abc'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
  });

  it('sameSecret compares secrets of any length', () => {
    expect(sameSecret('a', 'a')).toBe(true);
    expect(sameSecret('a', 'ab')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });
});
