/**
 * HTML written as tagged templates, escaped by default: every `${value}` in an `html` template is
 * escaped unless it is itself an `html` fragment (or an array of them), so nesting composes and a
 * user's text (a component's name, a host) can only ever be text. The one way around escaping is
 * `trustedHtml`, for markup another module of ours produced (the diagram's SVG).
 *
 * Hand-written rather than a library: the whole mechanism is this file, the escape is OWASP's five
 * characters (https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html),
 * and the tags on npm either escape nested fragments twice (escape-goat's htmlEscape) or need a
 * server renderer far larger than the page (lit-html with @lit-labs/ssr).
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element's content and for a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Null, undefined and false render nothing, so `${condition && html`…`}` reads naturally. */
function render(value: Interpolation): string {
  if (value instanceof SafeHtml) {
    return value.value;
  }
  if (Array.isArray(value)) {
    return value.map(render).join('');
  }
  if (value === null || value === undefined || value === false) {
    return '';
  }
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, literal, index) => out + render(values[index - 1]) + literal));
}

/** Markup that must not be escaped, because one of our own renderers made it (the diagram's SVG). */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
