/** Message helpers: messages quote what the user sent, shortened, so a huge value cannot make a huge answer. */
import { DNS1123_SUBDOMAIN_MAX_LENGTH } from '../names.js';

export function quote(value: string, max = 60): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  switch (typeof value) {
    case 'string':
      return `${quote(value)} (a string)`;
    case 'number':
      return Number.isFinite(value) ? `${value} (a number)` : String(value);
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'nothing';
    case 'bigint':
      return `${value} (a bigint)`;
    case 'object':
      return 'an object';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  return 'a value';
}

export function listOf(values: readonly string[]): string {
  return values.join(', ');
}

function editDistance(a: string, b: string): number {
  // One row of the table at a time: previous[j] is the distance from a's first i - 1 units to b's first j.
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  let distance = b.length;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let left = i;
    let diagonal = i - 1;
    for (const [j, above] of previous.entries()) {
      if (j === 0) {
        continue;
      }
      left = Math.min(above + 1, left + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(left);
      diagonal = above;
    }
    previous = current;
    distance = left;
  }
  return distance;
}

/** The candidate a typo most likely meant: same letters in another case, or at most two edits away. */
function closest(value: string, candidates: readonly string[]): string | undefined {
  if (value.length > 40) {
    return undefined;
  }
  const lower = value.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) {
    return sameLetters;
  }
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && distance < candidate.length && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

export function didYouMean(value: string, candidates: readonly string[]): string {
  const suggestion = closest(value, candidates);
  // Quoted as JSON: a suggestion can be another component's name, whatever characters it holds.
  return suggestion === undefined ? '' : ` (did you mean ${quote(suggestion, DNS1123_SUBDOMAIN_MAX_LENGTH)}?)`;
}

/** 12345 → "12,345", the same on every machine (toLocaleString depends on the ICU data Node was built with). */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
