import { Body, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { Deadline, type RequestDeadline } from '../common/request-deadline.js';
import { YAML_MEDIA_TYPES } from '../common/yaml-body.js';
import { PLATFORMS } from '../planner/types.js';
import { IMPORT_FORMATS } from './import-formats.js';
import { TopologyImportService, type ImportQuery } from './topology-import.service.js';

/** The one route that takes a YAML body (src/common/yaml-body.ts): app.factory registers the parser for it. */
export const TOPOLOGY_IMPORT_PATH = '/v1/topologies/import';

const NOTE_SCHEMA = {
  type: 'object' as const,
  required: ['path', 'message'],
  properties: {
    path: { type: 'string' as const, description: 'Where in the source it was read, e.g. services.db.ports[0].' },
    message: { type: 'string' as const },
  },
};

/** REST door for applications described elsewhere: parse → TopologyImportService → answer. */
@ApiTags('import')
@ApiBearerAuth()
@ApiProblems(401, 403, 429)
@Controller(TOPOLOGY_IMPORT_PATH.slice(1))
export class TopologyImportController {
  constructor(@Inject(TopologyImportService) private readonly imports: TopologyImportService) {}

  @Post()
  @HttpCode(200)
  // Stores nothing, like a dry run: a read-only key may import.
  @RequireScopes('plans:read')
  @ApiOperation({
    summary: 'Import a Compose file as a topology',
    description:
      'Answers a topology POST /v1/plans accepts, and one note per decision or guess (docs/compose.md). ' +
      'With ?plan=true it is also planned: the answer of POST /v1/plans?dryRun=true, plus topology and notes. Nothing is stored.',
  })
  @ApiQuery({ name: 'format', required: true, schema: { type: 'string', enum: [...IMPORT_FORMATS] } })
  @ApiQuery({ name: 'platform', required: true, schema: { type: 'string', enum: [...PLATFORMS] } })
  @ApiQuery({
    name: 'name',
    required: false,
    schema: { type: 'string' },
    description: 'The topology\'s name; default: the file\'s top-level name, else "app".',
  })
  @ApiQuery({ name: 'namespace', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'plan', required: false, schema: { type: 'boolean', default: false } })
  @ApiConsumes(...YAML_MEDIA_TYPES, 'application/json')
  @ApiBody({
    required: true,
    description: 'The Compose file, as YAML or as JSON. One file: include and extends are out of scope.',
    schema: { type: 'object' },
  })
  @ApiResponse({
    status: 200,
    description: 'The topology and the notes; with plan=true, the plan too (PlanPreview plus topology and notes).',
    schema: {
      type: 'object',
      required: ['topology', 'notes'],
      properties: {
        topology: {
          type: 'object',
          description: 'A topology, as the request body of POST /v1/plans takes it (defaults left out).',
        },
        notes: { type: 'array', items: NOTE_SCHEMA },
      },
    },
  })
  @ApiProblems(400, 413, 415, 503)
  import(@Body() body: unknown, @Query() query: ImportQuery, @Deadline() deadline: RequestDeadline) {
    return this.imports.import(body, query, deadline);
  }
}
