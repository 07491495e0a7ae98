import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import type { RequestDeadline } from '../common/request-deadline.js';
import { YamlText } from '../common/yaml-body.js';
import type { TopologyInput } from '../planner/topology/schema.js';
import { PLATFORMS, type Problem } from '../planner/types.js';
import { PlansService } from '../plans/plans.service.js';
import type { PlanPreview } from '../plans/plans.types.js';
import { expandsBeyond, MAX_EXPANDED_VALUES, parseYamlDocuments } from './import-document.js';
import { IMPORT_FORMATS, importDocuments, isImportFormat, type ImportFormat } from './import-formats.js';
import type { ImportNote } from './import-result.js';

export type ImportQuery = { format?: unknown; platform?: unknown; name?: unknown; namespace?: unknown; plan?: unknown };
export type TopologyImport = { topology: TopologyInput; notes: ImportNote[] };
export type PlannedImport = PlanPreview & TopologyImport;

/** Reads an application described elsewhere (a Compose file, a Backstage catalog) into a topology, and plans it on request. */
@Injectable()
export class TopologyImportService {
  constructor(@Inject(PlansService) private readonly plans: PlansService) {}

  async import(body: unknown, query: ImportQuery, deadline?: RequestDeadline): Promise<TopologyImport | PlannedImport> {
    const format = checkRequest(query);
    const documents = documentsOf(body);
    const result = importDocuments(format, documents, {
      platform: query.platform,
      name: query.name,
      namespace: query.namespace,
    });
    if (!result.ok) {
      throw DomainError.validation(result.problems, 'The document could not be imported; each problem is listed.');
    }
    const imported = { topology: result.topology, notes: result.notes };
    if (!planRequested(query.plan)) {
      return imported;
    }
    const preview = await this.plans.preview(result.topology, deadline);
    return { ...preview, ...imported };
  }
}

/** The query's problems together, before the body is read: a caller fixes them all at once. */
function checkRequest({ format, platform, plan }: ImportQuery): ImportFormat {
  const problems = [
    oneOfProblem('format', format, IMPORT_FORMATS),
    oneOfProblem('platform', platform, PLATFORMS),
    plan === undefined ? undefined : oneOfProblem('plan', plan, ['true', 'false']),
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0 || !isImportFormat(format)) {
    throw DomainError.validation(problems);
  }
  return format;
}

function oneOfProblem(name: string, value: unknown, allowed: readonly string[]): Problem | undefined {
  if (typeof value === 'string' && allowed.includes(value)) {
    return undefined;
  }
  return {
    path: name,
    message:
      value === undefined
        ? `${name} is required: one of ${allowed.join(', ')}`
        : `${name} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
  };
}

/** `?plan=true` plans the import; absent or `false` does not (any other value was refused above). */
function planRequested(plan: unknown): boolean {
  return plan === 'true';
}

/** The documents of the body: YAML text (one or several documents), or JSON already parsed. */
function documentsOf(body: unknown): unknown[] {
  if (body instanceof YamlText) {
    const parsed = parseYamlDocuments(body.text);
    if (!parsed.ok) {
      throw DomainError.validation(parsed.problems, 'The body could not be read; each problem is listed.');
    }
    return parsed.documents;
  }
  if (body === undefined) {
    throw DomainError.validation([{ path: '', message: 'the body is empty: send the Compose file or the catalog' }]);
  }
  // JSON cannot alias, but a huge array of tiny values is still too much to walk.
  if (expandsBeyond(body, MAX_EXPANDED_VALUES)) {
    throw DomainError.validation([{ path: '', message: `the document holds more than ${MAX_EXPANDED_VALUES} values` }]);
  }
  return [body];
}
