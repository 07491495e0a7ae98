/**
 * JSON text already known for a value, so a response need not serialize it again.
 *
 * A stored plan is ~45 KB of JSON. Its text exists before the plan object does: a write builds it
 * to store it, a read gets it from the database. The REST answer is that same text, and producing it
 * a second time with JSON.stringify cost as much CPU as the planner's manifests (docs/performance.md).
 * So whoever holds the text records it here, and the HTTP reply serializer (createApp) uses it.
 *
 * The text must be exactly `JSON.stringify(value)` (tests compare them); the value is frozen, at
 * its top level, so that a later change cannot make the two disagree without failing loudly.
 */
const texts = new WeakMap<object, string>();

export function withJsonText<T extends object>(value: T, text: string): T {
  texts.set(Object.freeze(value), text);
  return value;
}

/** The recorded text of `value`, else its JSON.stringify (what a reply serializer must return). */
export function jsonText(value: unknown): string {
  return (typeof value === 'object' && value !== null && texts.get(value)) || JSON.stringify(value);
}
