/** What GET /v1/plans/:id/manifests can answer with. */
export type ManifestFormat = 'yaml' | 'json';

export const YAML_CONTENT_TYPE = 'application/yaml; charset=utf-8';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/**
 * YAML (what `kubectl apply -f -` reads) unless the client prefers JSON in its Accept header;
 * ties, wildcards and types we do not speak fall back to YAML rather than a 406.
 */
export function negotiateManifestFormat(accept: string | undefined): ManifestFormat {
  let best: { format: ManifestFormat; q: number } = { format: 'yaml', q: 0 };
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
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
