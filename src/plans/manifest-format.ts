import { DomainError } from '../common/domain-error.js';

/** What GET /v1/plans/:id/manifests can answer with. */
export type ManifestFormat = 'yaml' | 'json';

/** What `?format=` may ask for: the two documents Accept chooses between, or a Kustomize base (a .tar.gz). */
export const MANIFEST_FORMATS = ['yaml', 'json', 'kustomize'] as const;
export type RequestedManifestFormat = (typeof MANIFEST_FORMATS)[number];

export const YAML_CONTENT_TYPE = 'application/yaml; charset=utf-8';

/**
 * `?format=` as asked, or undefined when absent (then Accept decides). Anything else is a 400
 * naming the formats there are, not a silent fallback to YAML: a pipeline that asked for a bundle
 * must not unpack a YAML stream.
 */
export function parseManifestFormatQuery(format: unknown): RequestedManifestFormat | undefined {
  if (format === undefined) {
    return undefined;
  }
  const known = MANIFEST_FORMATS.find((each) => each === format);
  if (known === undefined) {
    throw DomainError.validation(
      [{ path: 'format', message: `must be one of ${MANIFEST_FORMATS.join(', ')}` }],
      'The query has problems; each is listed.',
    );
  }
  return known;
}

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/**
 * YAML (what `kubectl apply -f -` reads) unless the client prefers JSON in its Accept header;
 * ties, wildcards and types we do not speak fall back to YAML rather than a 406.
 */
export function negotiateManifestFormat(accept: string | undefined): ManifestFormat {
  let best: { format: ManifestFormat; q: number } = { format: 'yaml', q: 0 };
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) {
      continue;
    }
    const format = type === 'application/json' ? 'json' : YAML_TYPES.has(type) ? 'yaml' : undefined;
    if (format && (q > best.q || (q === best.q && format === 'yaml'))) {
      best = { format, q };
    }
  }
  return best.format;
}
