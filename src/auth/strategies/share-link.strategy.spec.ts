import { at } from '../../common/at.js';
import { fixedClock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { Refusal } from '../credentials.js';
import { isValidShareToken, ShareLinks, signShareToken } from './share-link-token.js';
import { ShareLinkStrategy } from './share-link.strategy.js';

const SECRET = 'a-share-link-secret-of-32-chars-0123';
const PLAN = '0b9f4a52-6c1e-4f7a-9a0e-2f3d4c5b6a71';
const OTHER_PLAN = '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const NOW_MS = Date.UTC(2026, 0, 1);
const HOUR = 3600;
const inAnHour = NOW_MS / 1000 + HOUR;

const strategy = (config: { shareLinkSecret?: string } = { shareLinkSecret: SECRET }) =>
  new ShareLinkStrategy(config, fixedClock(NOW_MS));
const request = (planId: string, token?: string) => ({
  headers: {},
  params: { id: planId },
  query: token === undefined ? {} : { token },
});

function refusalOf(verdict: unknown): { code: string; presented: boolean } {
  expect(verdict).toBeInstanceOf(Refusal);
  const refusal = verdict as Refusal;
  expect(refusal.error).toBeInstanceOf(DomainError);
  return { code: refusal.error.code, presented: refusal.presented };
}

describe(ShareLinkStrategy.name, () => {
  it('admits a token signed for the plan in the URL, as that plan only', () => {
    const token = signShareToken(SECRET, PLAN, inAnHour);

    expect(strategy().authenticate(request(PLAN, token))).toEqual({ kind: 'share-link', planId: PLAN });
  });

  it('answers every bad token with a final 404, never a 401: another plan, expired, tampered, another secret', () => {
    const good = signShareToken(SECRET, PLAN, inAnHour);
    const [expiry, mac] = [at(good.split('.'), 0), at(good.split('.'), 1)];
    const flipped = `${mac.slice(0, -2)}${mac.at(-2) === 'A' ? 'B' : 'A'}${mac.at(-1)}`;
    // Only the last character's two unused bits differ: the same bytes, another spelling.
    const respelled = `${mac.slice(0, -1)}${String.fromCharCode(mac.charCodeAt(42) ^ 1)}`;
    const bad = [
      request(OTHER_PLAN, good),
      request(PLAN, signShareToken(SECRET, PLAN, NOW_MS / 1000)),
      request(PLAN, `${Number(expiry) + HOUR}.${mac}`),
      request(PLAN, `${expiry}.${flipped}`),
      request(PLAN, `${expiry}.${respelled}`),
      request(PLAN, signShareToken(`${SECRET}-rotated`, PLAN, inAnHour)),
      request(PLAN, 'not-a-token'),
      request(PLAN, `${good}x`),
    ];

    for (const attempt of bad) {
      expect(refusalOf(strategy().authenticate(attempt))).toEqual({ code: 'NOT_FOUND', presented: true });
    }
  });

  it('lets the route ask its next strategy when no token was sent', () => {
    expect(refusalOf(strategy().authenticate(request(PLAN)))).toEqual({ code: 'NOT_FOUND', presented: false });
  });

  it('admits nothing while SHARE_LINK_SECRET is unset', () => {
    const token = signShareToken(SECRET, PLAN, inAnHour);

    expect(refusalOf(strategy({}).authenticate(request(PLAN, token)))).toEqual({
      code: 'NOT_FOUND',
      presented: true,
    });
  });
});

describe(ShareLinks.name, () => {
  const links = (secret: string | undefined) =>
    new ShareLinks({ shareLinkSecret: secret, shareLinkTtlHours: 72 }, fixedClock(NOW_MS));

  it('makes a page URL whose token opens that plan until the TTL, and not one second later', () => {
    const link = links(SECRET).create(PLAN, 'https://planner.example');

    const url = new URL(link.url);
    expect(url.origin + url.pathname).toBe(`https://planner.example/plans/${PLAN}`);
    expect(link.expiresAt).toBe(new Date(NOW_MS + 72 * HOUR * 1000).toISOString());
    const token = url.searchParams.get('token') ?? '';
    expect(isValidShareToken(SECRET, PLAN, token, NOW_MS + 72 * HOUR * 1000 - 1)).toBe(true);
    expect(isValidShareToken(SECRET, PLAN, token, NOW_MS + 72 * HOUR * 1000)).toBe(false);
  });

  it('refuses with UNAVAILABLE (a 503) while SHARE_LINK_SECRET is unset, saying so', () => {
    expect(() => links(undefined).create(PLAN, 'https://planner.example')).toThrow(/SHARE_LINK_SECRET/);
    expect(links(undefined).createIfEnabled(PLAN, 'https://planner.example')).toBeUndefined();
  });
});
