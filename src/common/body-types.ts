import { errorCodes, type FastifyRequest } from 'fastify';

/**
 * Which body types a route takes, in one place: every route takes application/json, and a few take
 * one more (the composition root, app.factory.ts, names them). The parsers of those other types
 * answer 415 on every other route, and the 415 says what the route takes; before, the form parser
 * ran on every route, so `curl --data @topology.json` (a form, to curl) reached the plan routes as
 * one field named after the whole JSON text and got a 400 about missing fields.
 */
export type ExtraBodyTypes = ReadonlyMap<string, readonly string[]>;

export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The types `routeUrl` takes, JSON last: what its 415 names. */
export function acceptedBodyTypes(extra: ExtraBodyTypes, routeUrl: string | undefined): readonly string[] {
  return [...(routeUrl === undefined ? [] : (extra.get(routeUrl) ?? [])), JSON_MEDIA_TYPE];
}

type ParserDone = (error: Error | null, body?: unknown) => void;

/** A parser for `type` on the routes that take it (`extra`), and a 415 on every other. */
export function routeBodyParser(
  extra: ExtraBodyTypes,
  type: string,
  parse: (body: Buffer) => unknown,
): (request: FastifyRequest, body: Buffer, done: ParserDone) => void {
  return (request, body, done) => {
    // No route matched: the answer is the 404, whatever the body.
    if (request.routeOptions.url === undefined) {
      done(null, undefined);
      return;
    }
    if (!acceptedBodyTypes(extra, request.routeOptions.url).includes(type)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']));
      return;
    }
    done(null, parse(body));
  };
}
