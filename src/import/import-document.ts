import * as yaml from 'js-yaml';
import type { Problem } from '../planner/types.js';

/**
 * Limits on what one imported document may expand to. Anchors and aliases (`<<: *defaults`) are
 * common in Compose files, but a few nested aliases can also stand for billions of values (the
 * "billion laughs"): parsing stops at these bounds, before validation walks the document.
 */
export const MAX_ALIASES = 100;
export const MAX_EXPANDED_VALUES = 100_000;

export type ParsedDocuments = { ok: true; documents: unknown[] } | { ok: false; problems: Problem[] };

/** Every YAML document of the text (one for Compose; several for a Backstage catalog), within the limits. */
export function parseYamlDocuments(text: string): ParsedDocuments {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, { maxAliases: MAX_ALIASES }).filter((document) => document !== null);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'unknown error';
    return { ok: false, problems: [{ path: '', message: `the body is not valid YAML: ${message}` }] };
  }
  if (documents.some((document) => expandsBeyond(document, MAX_EXPANDED_VALUES))) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `the document expands to more than ${MAX_EXPANDED_VALUES.toLocaleString('en')} values through its aliases; no Compose file or catalog is that large`,
        },
      ],
    };
  }
  return { ok: true, documents };
}

/** Counts values as a walk sees them (an alias counts each time it is reached), stopping at the limit. */
export function expandsBeyond(document: unknown, limit: number): boolean {
  let seen = 0;
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const value = stack.pop();
    if (++seen > limit) {
      return true;
    }
    if (value !== null && typeof value === 'object') {
      for (const child of Object.values(value)) {
        stack.push(child);
      }
    }
  }
  return false;
}
