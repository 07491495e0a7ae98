import { landingPageHtml } from './landing-page.js';

describe(landingPageHtml.name, () => {
  const html = landingPageHtml('/graphql');

  it('loads nothing from elsewhere: no external script, style, link or import', () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('posts to the endpoint it was given', () => {
    expect(html).toContain('fetch("/graphql"');
    expect(landingPageHtml('/api/graphql')).toContain('fetch("/api/graphql"');
  });
});
