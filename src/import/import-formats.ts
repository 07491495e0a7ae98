import type { Problem } from '../planner/types.js';
import { importBackstage } from './backstage/backstage-import.js';
import { importCompose } from './compose/compose-import.js';
import type { ImportResult, ImportTarget } from './import-result.js';

/** The descriptions an application can be imported from; each ends in the same planner. */
export const IMPORT_FORMATS = ['compose', 'backstage'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isImportFormat(value: unknown): value is ImportFormat {
  return typeof value === 'string' && (IMPORT_FORMATS as readonly string[]).includes(value);
}

/** The parsed documents of one source (a YAML stream) as a topology, by format. */
export function importDocuments(format: ImportFormat, documents: unknown[], target: ImportTarget): ImportResult {
  switch (format) {
    case 'compose':
      return documents.length === 1
        ? importCompose(documents[0], target)
        : { ok: false, problems: [severalDocuments(documents.length)] };
    case 'backstage':
      // A YAML stream of entities, or (as JSON) one entity or an array of them.
      return importBackstage(
        documents.length === 1 && Array.isArray(documents[0]) ? (documents[0] as unknown[]) : documents,
        target,
      );
  }
}

function severalDocuments(count: number): Problem {
  return {
    path: '',
    message:
      count === 0
        ? 'the body holds no YAML document'
        : `the body holds ${count} YAML documents; a Compose file is one (merging several files is out of scope: merge them first with \`docker compose config\`)`,
  };
}

/**
 * What a document most likely is: a Backstage entity has a backstage.io apiVersion, a Compose file
 * `services`, a topology `components`.
 */
export function detectFormat(documents: unknown[]): ImportFormat | 'topology' | undefined {
  const [first] = documents;
  if (first === null || typeof first !== 'object') {
    return undefined;
  }
  if (String((first as { apiVersion?: unknown }).apiVersion).startsWith('backstage.io/')) {
    return 'backstage';
  }
  if (documents.length !== 1) {
    return undefined;
  }
  if ('components' in first) {
    return 'topology';
  }
  if ('services' in first) {
    return 'compose';
  }
  return undefined;
}
