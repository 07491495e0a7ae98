import { withUtcSessions } from './database.js';

describe(withUtcSessions.name, () => {
  const optionsOf = (url: string) => new URL(url).searchParams.get('options');

  it('adds TimeZone=UTC to the server options, keeping the rest of the URL', () => {
    const url = withUtcSessions('postgresql://planner:s%40cret@db:5432/plans?sslmode=require');
    expect(optionsOf(url)).toBe('-c TimeZone=UTC');
    expect(new URL(url).searchParams.get('sslmode')).toBe('require');
    expect(new URL(url).password).toBe('s%40cret');
    expect(new URL(url).pathname).toBe('/plans');
  });

  it("keeps the URL's own options first (pg would let them replace a separate option)", () => {
    const url = withUtcSessions('postgresql://planner@db:5432/plans?options=-c%20search_path%3Dplanner');
    expect(optionsOf(url)).toBe('-c search_path=planner -c TimeZone=UTC');
  });

  it('leaves what is not a URL to pg, which reports it', () => {
    expect(withUtcSessions('not a url')).toBe('not a url');
  });
});
