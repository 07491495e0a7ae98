/** The media types YAML is sent as (RFC 9512 registers application/yaml; the others are still common). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;

/**
 * A YAML body, kept as text: the route that accepts it parses it with the limits its documents
 * need. Other routes never see one (they answer 415, as for any type they do not take).
 */
export class YamlText {
  constructor(readonly text: string) {}
}
