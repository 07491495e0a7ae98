import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  type ApiOperationOptions,
  type ApiQueryOptions,
  type ApiResponseOptions,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Caller, CallerAccess, Credentials, RelaxScopesWhen, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ShareLinks } from '../auth/strategies/share-link-token.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { DomainError } from '../common/domain-error.js';
import { Deadline, type RequestDeadline } from '../common/request-deadline.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  idempotencyRequestOf,
  parseIdempotencyKey,
} from '../idempotency/idempotency-key.js';
import { renderVerificationScript } from '../planner/verification-script.js';
import { toYaml } from '../planner/yaml.js';
import { backstageView, type BackstageView } from './backstage-entity.js';
import { BUNDLE_CONTENT_TYPE, bundleFileName, kustomizeBundleFiles } from './kustomize-bundle.js';
import {
  MANIFEST_FORMATS,
  negotiateManifestFormat,
  parseManifestFormatQuery,
  type RequestedManifestFormat,
  YAML_CONTENT_TYPE,
} from './manifest-format.js';
import type { PlanAccess } from './plan-access.js';
import type { PlanDiff } from './plan-diff.js';
import { LIST_QUERY_PARAMETERS, schemaRef } from './plans.openapi.js';
import { PlansService } from './plans.service.js';
import { tarGz } from './tar-gz.js';
import type { KubeObject } from '../planner/types.js';
import type { Page, PlanPreview, PlanSummary, StoredPlan } from './plans.types.js';

/** GET /v1/plans/:id/verify.sh answers a POSIX shell script (the type shell scripts are served as). */
export const SHELL_SCRIPT_CONTENT_TYPE = 'text/x-shellscript; charset=utf-8';

/** The `:id` path parameter of every plan route, here and in the other controllers under /v1/plans. */
export const ID_PARAM = {
  name: 'id',
  description: 'The plan id (a UUID).',
  schema: { type: 'string', format: 'uuid' },
} as const;

/** A revision number in the query, optional: `revision`, `from` or `to`. */
export function revisionQuery(name: string, description: string) {
  return { name, required: false, description, schema: { type: 'integer', minimum: 1 } } as const;
}

/** The two revisions a diff compares, for every diff route under /v1/plans. */
export const FROM_QUERY = revisionQuery('from', 'The older revision; default: the one before `to`.');
export const TO_QUERY = revisionQuery('to', 'The newer revision; default: the latest.');

/**
 * What a GET route of one plan declares, here and in the other controllers under /v1/plans: the
 * read scope, its OpenAPI entry with the `:id` parameter and its queries, its answer, and the
 * problems of a bad id or a plan the caller cannot see.
 */
export function PlanReadRoute(
  path: string,
  operation: ApiOperationOptions,
  queries: readonly ApiQueryOptions[],
  response: ApiResponseOptions,
) {
  return applyDecorators(
    Get(path),
    RequireScopes('plans:read'),
    ApiOperation(operation),
    ApiParam(ID_PARAM),
    ...queries.map((query) => ApiQuery(query)),
    ApiResponse(response),
    ApiProblems(400, 404, 503),
  );
}

/**
 * What every controller under /v1/plans declares: the path, the OpenAPI tag and bearer auth, and
 * the problems any of its routes can answer (429: every route counts against the caller's rate
 * limit, src/rate-limit).
 */
export function PlansResource(): ClassDecorator {
  return applyDecorators(ApiTags('plans'), ApiBearerAuth(), ApiProblems(401, 403, 429), Controller('v1/plans'));
}

/**
 * REST for portals: parse → PlansService → answer. No rule lives here: the caller's scopes are
 * checked by the auth guard (@RequireScopes), and whose plans it sees is its PlanAccess, passed on.
 */
@PlansResource()
export class PlansController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(ShareLinks) private readonly shareLinks: ShareLinks,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('plans:write')
  // A dry run stores nothing: a read-only key may plan "what if" too.
  @RelaxScopesWhen(isDryRunRequest, 'plans:read')
  @ApiOperation({
    summary: 'Plan a topology and store it',
    description:
      'With ?dryRun=true the plan is returned (200) and not stored. With an Idempotency-Key, a retry of the ' +
      'same request (same key, same body) answers the plan the first one created instead of storing another.',
  })
  @ApiBody({ schema: schemaRef('TopologyInput'), required: true })
  @ApiQuery({ name: 'dryRun', required: false, schema: { type: 'boolean', default: false } })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes retries safe: the first request with a key stores its plan; the same key with the same body (compared as canonical JSON) from the same API key answers that plan again (201, revision 1 as created, Idempotent-Replayed: true) for IDEMPOTENCY_TTL_HOURS (24 by default); the same key with another body is a 409. 1 to 255 visible ASCII characters, e.g. a UUID per logical request. Ignored with dryRun (nothing is stored).',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
  })
  @ApiResponse({
    status: 201,
    description: 'Stored as revision 1 (or, for a replayed Idempotency-Key, the plan stored then); Location names it.',
    schema: schemaRef('Plan'),
    headers: {
      Location: { schema: { type: 'string' } },
      'Idempotent-Replayed': {
        description:
          '"true" when this answers an earlier request with the same Idempotency-Key: nothing new was stored.',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiResponse({ status: 200, description: 'dryRun: planned, not stored.', schema: schemaRef('PlanPreview') })
  @ApiResponse({
    status: 409,
    description:
      'The Idempotency-Key was already used with a different body (or the plan it created has since been deleted): use a new key.',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  @ApiProblems(400, 413, 415, 503)
  create(
    @Body() body: unknown,
    @Query('dryRun') dryRun: unknown,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Caller() caller: Principal,
    @CallerAccess() access: PlanAccess,
    @Deadline() deadline: RequestDeadline,
  ): Promise<StoredPlan | PlanPreview> {
    if (isDryRun(dryRun)) {
      // Nothing is stored, so there is nothing to repeat: the key is not even read.
      return this.plans.preview(body, deadline).then(withStatus(reply, 200));
    }
    return this.plans
      .createOnce(body, access, idempotencyRequestOf(caller, parseIdempotencyKey(idempotencyKey)), deadline)
      .then(({ plan, replayed }) => {
        if (replayed) {
          void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        }
        return withLocation(reply)(plan);
      });
  }

  @Get()
  @RequireScopes('plans:read')
  @ApiOperation({
    summary: 'List plans, newest first',
    description: 'Keyset pagination: pass nextCursor back as cursor. Filters combine with AND.',
  })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[0], required: false })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[1], required: false })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[2], required: false })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[3], required: false })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[4], required: false })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[5], required: false })
  @ApiQuery({ ...LIST_QUERY_PARAMETERS[6], required: false })
  @ApiResponse({ status: 200, schema: schemaRef('PlanPage') })
  @ApiProblems(400, 503)
  list(@Query() query: Record<string, unknown>, @CallerAccess() access: PlanAccess): Promise<Page<PlanSummary>> {
    return this.plans.list(query, access);
  }

  @PlanReadRoute(':id', { summary: 'The latest revision of a plan' }, [], { status: 200, schema: schemaRef('Plan') })
  get(@Param('id') id: string, @CallerAccess() access: PlanAccess): Promise<StoredPlan> {
    return this.plans.get(id, access);
  }

  @Get(':id/manifests')
  @RequireScopes('plans:read')
  // The plan page's download links carry its share link's token (src/page).
  @Credentials(['share-link', 'api-key', 'loopback'])
  @ApiOperation({
    summary: 'The manifests of the latest revision',
    description:
      'Multi-document YAML for `kubectl apply -f -`; with `Accept: application/json`, a JSON array of the same objects. ' +
      'With `?format=kustomize`, a .tar.gz holding `kustomization.yaml` and one file per object (`<kind>-<name>.yaml`, in ' +
      'manifest order), for `kubectl apply -k` or as the base of a GitOps repository; the same revision gives the same bytes.',
  })
  @ApiParam(ID_PARAM)
  @ApiQuery({
    name: 'format',
    required: false,
    description: 'Overrides Accept. Absent: Accept decides between YAML and JSON. Any other value is a 400.',
    schema: { type: 'string', enum: [...MANIFEST_FORMATS] },
  })
  // Either scheme: an API key (the class's), or the page's share link token.
  @ApiSecurity('shareLink')
  @ApiHeader({
    name: 'Accept',
    required: false,
    schema: { type: 'string', enum: ['application/yaml', 'application/json'] },
  })
  @ApiResponse({
    status: 200,
    headers: {
      'Content-Disposition': {
        description: 'With ?format=kustomize: `attachment; filename="<plan-name>-r<revision>.tar.gz"`.',
        schema: { type: 'string' },
      },
    },
    content: {
      'application/yaml': { schema: { type: 'string' } },
      'application/json': { schema: { type: 'array', items: schemaRef('KubeObject') } },
      [BUNDLE_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems(400, 404, 503)
  manifests(
    @Param('id') id: string,
    @Query('format') format: unknown,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<KubeObject[] | string | Buffer> {
    const requested = parseManifestFormatQuery(format);
    return this.plans.get(id, access).then((plan) => renderManifests(plan, requested, accept, reply));
  }

  @PlanReadRoute(
    ':id/verify.sh',
    {
      summary: 'A shell script that runs the verification of the latest revision',
      description:
        "After `kubectl apply`, run `curl -H 'Authorization: Bearer <key>' …/v1/plans/<id>/verify.sh | sh`. The script " +
        "runs every step of the plan's `verification` (rendered from the stored steps, grouped per component, each " +
        'stopped after VERIFY_STEP_TIMEOUT seconds, 60 by default), prints PASS or FAIL with the expectation of each ' +
        'step (a step with `expectOutput` passes only when a line of its output matches that pattern as well), and exits with the number of failures (at most 125). Isolation probes (`mustFail`) pass only when they ' +
        'get no answer from a test pod that really ran; a step that needs a value only the reader knows is printed ' +
        'as MANUAL and not counted, and so is a step with `runFrom` (it must run from that place: a host in allowedSources, ' +
        'inside the private network or the VPC) unless the script runs with VERIFY_RUN_FROM=1.',
    },
    [],
    {
      status: 200,
      description: 'The POSIX shell script (text/x-shellscript; charset=utf-8).',
      content: { 'text/x-shellscript': { schema: { type: 'string' } } },
    },
  )
  verifyScript(
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<string> {
    return this.plans.get(id, access).then((plan) => {
      void reply.header('content-type', SHELL_SCRIPT_CONTENT_TYPE);
      return renderVerificationScript(plan);
    });
  }

  @PlanReadRoute(
    ':id/backstage',
    {
      summary: 'What a Backstage catalog entity needs to show the plan',
      description:
        "Annotations to merge into the entity (the Kubernetes plugin's id, namespace and label selector, and the plan id), " +
        'links (the plan, its web page through a share link when SHARE_LINK_SECRET is set, its manifests, its verification script) and a summary (Service types, monthly cost, worst ' +
        'finding). Link URLs start with the address this request was sent to. See docs/backstage.md.',
    },
    [],
    {
      status: 200,
      schema: {
        type: 'object',
        required: ['annotations', 'links', 'summary'],
        properties: {
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          links: {
            type: 'array',
            items: {
              type: 'object',
              required: ['url', 'title'],
              properties: { url: { type: 'string' }, title: { type: 'string' }, icon: { type: 'string' } },
            },
          },
          summary: { type: 'object' },
        },
      },
    },
  )
  backstage(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @CallerAccess() access: PlanAccess,
  ): Promise<BackstageView> {
    const baseUrl = `${request.protocol}://${request.host}`;
    return this.plans
      .get(id, access)
      .then((plan) => backstageView(plan, baseUrl, this.shareLinks.createIfEnabled(plan.id, baseUrl)));
  }

  @Put(':id')
  @RequireScopes('plans:write')
  @ApiOperation({
    summary: 'Re-plan with a changed topology',
    description: 'Stores a new revision; the old ones are kept.',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ schema: schemaRef('TopologyInput'), required: true })
  @ApiResponse({ status: 200, description: 'The new revision.', schema: schemaRef('Plan') })
  @ApiProblems(400, 404, 409, 413, 415, 503)
  revise(
    @Param('id') id: string,
    @Body() body: unknown,
    @CallerAccess() access: PlanAccess,
    @Deadline() deadline: RequestDeadline,
  ): Promise<StoredPlan> {
    return this.plans.revise(id, body, access, deadline);
  }

  @PlanReadRoute(':id/revisions', { summary: 'Every revision of a plan, newest first' }, [], {
    status: 200,
    schema: schemaRef('PlanRevisions'),
  })
  revisions(@Param('id') id: string, @CallerAccess() access: PlanAccess): Promise<{ items: StoredPlan[] }> {
    return this.plans.revisions(id, access).then((items) => ({ items }));
  }

  // Stacked rather than PlanReadRoute: decorators apply bottom-up, and the published document has
  // always listed `to` before `from` here (PlanReadRoute would list them in order).
  @Get(':id/diff')
  @RequireScopes('plans:read')
  @ApiOperation({
    summary: 'What changed between two revisions of a plan',
    description:
      'Components whose Service type or entry point changed (or that were added or removed), manifest objects ' +
      'added, removed and changed (each change an RFC 6902 JSON Patch from the old object to the new), the change of ' +
      'the monthly cost with the cost lines that moved, and findings added and resolved. Without `from` and `to`, the ' +
      'previous revision against the latest; a plan with one revision diffs with itself (an empty diff).',
  })
  @ApiParam(ID_PARAM)
  @ApiQuery(FROM_QUERY)
  @ApiQuery(TO_QUERY)
  @ApiResponse({ status: 200, schema: schemaRef('PlanDiff') })
  @ApiProblems(400, 404, 503)
  diff(
    @Param('id') id: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @CallerAccess() access: PlanAccess,
  ): Promise<PlanDiff> {
    return this.plans.diff(id, { from, to }, access);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('plans:write')
  @ApiOperation({ summary: 'Delete a plan and all its revisions' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 204, description: 'Deleted.' })
  @ApiProblems(400, 404, 503)
  delete(
    @Param('id') id: string,
    @CallerAccess() access: PlanAccess,
    @Deadline() deadline: RequestDeadline,
  ): Promise<void> {
    return this.plans.delete(id, access, deadline);
  }
}

// "?dryRun" and "?dryRun=true" preview; absent or "false" store; anything else is a mistake worth a 400.
function isDryRun(value: unknown): boolean {
  if (value === undefined || value === 'false' || value === '0') {
    return false;
  }
  if (value === '' || value === 'true' || value === '1') {
    return true;
  }
  throw DomainError.validation(
    [{ path: 'dryRun', message: 'must be true or false' }],
    'The query has problems; each is listed.',
  );
}

// For the auth guard, before the handler runs: an invalid dryRun value is not a dry run (it needs
// plans:write), and the handler then answers it with its 400.
function isDryRunRequest(request: FastifyRequest): boolean {
  try {
    return isDryRun((request.query as Record<string, unknown> | undefined)?.dryRun);
  } catch {
    return false;
  }
}

function withStatus(reply: FastifyReply, status: number) {
  return <T>(body: T): T => {
    void reply.status(status);
    return body;
  };
}

function withLocation(reply: FastifyReply) {
  return (plan: StoredPlan): StoredPlan => {
    void reply.header('location', `/v1/plans/${plan.id}`);
    return plan;
  };
}

// `requested` (?format=) wins over Accept.
async function renderManifests(
  plan: StoredPlan,
  requested: RequestedManifestFormat | undefined,
  accept: string | undefined,
  reply: FastifyReply,
): Promise<KubeObject[] | string | Buffer> {
  const format = requested ?? negotiateManifestFormat(accept);
  if (format === 'kustomize') {
    void reply
      .header('content-type', BUNDLE_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${bundleFileName(plan)}"`);
    // The revision's own time, not now: the same revision gives the same bytes.
    return tarGz(kustomizeBundleFiles(plan.manifests), new Date(plan.createdAt));
  }
  if (format === 'json') {
    return plan.manifests;
  }
  void reply.header('content-type', YAML_CONTENT_TYPE);
  return toYaml(plan.manifests);
}
