import { DNS1123_LABEL_MAX_LENGTH } from '../planner/names.js';
import { validateTopology } from '../planner/topology/index.js';
import type { TopologyInput } from '../planner/topology/schema.js';
import { PLATFORMS, type Problem } from '../planner/types.js';

/** One decision or guess the import made, where in the source it was read. */
export type ImportNote = Problem;

export type ImportResult =
  { ok: true; topology: TopologyInput; notes: ImportNote[] } | { ok: false; problems: Problem[] };

/** Where the imported application will run, from the request: the rest comes from the source. */
export type ImportTarget = { platform: unknown; name?: unknown; namespace?: unknown };

const DEFAULT_NAME = 'app';

/**
 * The topology made of the imported components, checked by the planner's own validation so that
 * what is answered is a topology POST /v1/plans accepts as it stands.
 */
export function importedTopology({
  components,
  composeName,
  target,
  notes,
}: {
  components: TopologyInput['components'];
  composeName: string | undefined;
  target: ImportTarget;
  notes: ImportNote[];
}): ImportResult {
  const problems: Problem[] = [];
  if (target.platform === undefined || target.platform === '') {
    problems.push({ path: 'platform', message: `platform is required: one of ${PLATFORMS.join(', ')}` });
  }
  const name = typeof target.name === 'string' && target.name !== '' ? target.name : nameFrom(composeName, notes);
  const topology = {
    name,
    ...(typeof target.namespace === 'string' && target.namespace !== '' ? { namespace: target.namespace } : {}),
    environment: { platform: target.platform },
    components,
  } as TopologyInput;
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  const validation = validateTopology(topology);
  if (!validation.ok) {
    return {
      ok: false,
      problems: validation.problems.map((problem) => ({
        path: problem.path === 'environment.platform' ? 'platform' : `topology.${problem.path}`,
        message: problem.message,
      })),
    };
  }
  return { ok: true, topology, notes };
}

function nameFrom(declared: string | undefined, notes: ImportNote[]): string {
  const label = (declared ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, DNS1123_LABEL_MAX_LENGTH)
    .replace(/-+$/, '');
  if (label !== '') {
    if (label !== declared) {
      notes.push({ path: 'name', message: `named "${label}": a topology name is a DNS-1123 label` });
    }
    return label;
  }
  notes.push({
    path: 'name',
    message: `named "${DEFAULT_NAME}": the file has no top-level name; pass one (?name= or --name) to choose it`,
  });
  return DEFAULT_NAME;
}

/** Notes grouped by what they are about, in the source's order (importers find them phase by phase). */
export function inSourceOrder(notes: ImportNote[], rankOf: (note: ImportNote) => number): ImportNote[] {
  return notes
    .map((note, index) => ({ note, index, rank: rankOf(note) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ note }) => note);
}
