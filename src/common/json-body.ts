import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Methods whose requests have no body to speak of (RFC 9110 §9.3.1, §9.3.2, §9.3.5, §9.3.7): an
 * empty body sent with `Content-Type: application/json` (many HTTP clients set it on every request)
 * is no body, not malformed JSON. POST, PUT and PATCH are not among them: an empty body there
 * stays a 400.
 */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * The JSON body parser: Fastify's own (the same errors for bad JSON, `__proto__` and `constructor`
 * poisoning refused), except that an empty body on a bodiless method parses to no body instead of
 * FST_ERR_CTP_EMPTY_JSON_BODY.
 */
export function jsonBodyParser(
  instance: FastifyInstance,
): (request: FastifyRequest, body: Buffer, done: ParserDone) => void {
  // Fastify's default JSON parser is the callback form of its parser type (fastify/lib/content-type-parser.js).
  const parseJson = instance.getDefaultJsonParser('error', 'error') as (
    request: FastifyRequest,
    body: string,
    done: ParserDone,
  ) => void;
  return (request, body, done) => {
    if (body.length === 0 && BODILESS_METHODS.has(request.method)) {
      done(null, undefined);
      return;
    }
    parseJson(request, body.toString('utf8'), done);
  };
}
