import { escapeHtml, html, trustedHtml } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;

    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('nests fragments and arrays of fragments without escaping them twice', () => {
    const items = ['a&b', '<c>'].map((name) => html`<li>${name}</li>`);

    const list = html`<ul>
      ${items}
    </ul>`;

    // Prettier lays out the template's markup; the whitespace between tags is not the point here.
    expect(list.value.replace(/>\s+</g, '><')).toBe('<ul><li>a&amp;b</li><li>&lt;c&gt;</li></ul>');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${42.5}`.value).toBe('042.5');
  });

  it('passes trusted markup through unchanged, and only that', () => {
    expect(html`<div>${trustedHtml('<svg></svg>')}${'<svg></svg>'}</div>`.value).toBe(
      '<div><svg></svg>&lt;svg&gt;&lt;/svg&gt;</div>',
    );
    expect(escapeHtml('plain text')).toBe('plain text');
  });
});
