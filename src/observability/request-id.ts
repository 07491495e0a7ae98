import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a caller may set to tie our logs to theirs; every response carries it back. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a caller's id may look like. Anything else is replaced, not trimmed or escaped: the id goes
 * into logs, a response header and problem documents, so it must not carry newlines, quotes,
 * markup or a megabyte of text (log injection, header splitting, log flooding).
 */
const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}

type RequestWithId = IncomingMessage & { id?: unknown };

/**
 * The request's id: the caller's X-Request-Id when it is a valid one, else a new UUID. Fastify
 * calls this once per request (its `genReqId`); the id is also kept on the raw request, where
 * pino-http (`req.id`) finds it, so the access log, the app's logs and the response agree.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const request = raw as RequestWithId;
  if (typeof request.id === 'string') {
    return request.id;
  }
  const header = raw.headers[REQUEST_ID_HEADER];
  const id = isValidRequestId(header) ? header : randomUUID();
  request.id = id;
  return id;
}
