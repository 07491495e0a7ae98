import { DomainError } from '../common/domain-error.js';
import { isPlanId } from './plan-id.js';

/** Where a page ends in the list's order (createdAt desc, id desc): the next page starts after it. */
export type ListPosition = { createdAt: Date; id: string };

/** The cursor is opaque to clients (base64url), so the keyset behind it can change without breaking them. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/**
 * Where a client finds the next page's cursor, in the words of the API it called: REST answers
 * `nextCursor`, GraphQL's connection has no such field.
 */
export const CURSOR_SOURCES = {
  rest: 'nextCursor',
  graphql: "pageInfo.endCursor or an edge's cursor",
} as const;
export type CursorSource = keyof typeof CURSOR_SOURCES;

export function decodeCursor(cursor: string, source: CursorSource = 'rest'): ListPosition {
  const invalid = DomainError.validation([
    {
      path: 'cursor',
      message: `is not a cursor this API returned (pass ${CURSOR_SOURCES[source]} from a previous page as is)`,
    },
  ]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) {
    throw invalid;
  }
  const [createdAt, id] = decoded as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !isPlanId(id)) {
    throw invalid;
  }
  const date = new Date(createdAt);
  if (Number.isNaN(date.getTime())) {
    throw invalid;
  }
  return { createdAt: date, id };
}

/** The cursor of the page that starts right after this item (GraphQL edges carry one per item). */
export function cursorAfter(item: { createdAt: string; id: string }): string {
  return encodeCursor({ createdAt: new Date(item.createdAt), id: item.id });
}
