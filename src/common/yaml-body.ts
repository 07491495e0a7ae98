import { errorCodes, type FastifyRequest } from 'fastify';

/** The media types YAML is sent as (RFC 9512 registers application/yaml; the others are still common). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;

/**
 * A YAML body, kept as text: the route that accepts it parses it with the limits its documents
 * need. Other routes never see one (they answer 415, as for any type they do not take).
 */
export class YamlText {
  constructor(readonly text: string) {}
}

type ParserDone = (error: Error | null, body?: unknown) => void;

/** A parser for YAML bodies on the routes `acceptsYaml` names, and a 415 everywhere else. */
export function yamlBodyParser(
  acceptsYaml: (routeUrl: string | undefined) => boolean,
): (request: FastifyRequest, body: Buffer, done: ParserDone) => void {
  return (request, body, done) => {
    if (!acceptsYaml(request.routeOptions.url)) {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']));
      return;
    }
    done(null, new YamlText(body.toString('utf8')));
  };
}
