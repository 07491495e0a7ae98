import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { PLATFORMS, SEVERITIES } from '../planner/types.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './list-query.js';
import { normalizedTopologySchema, openApiComponents, topologyInputSchema } from './plan-output.schema.js';

/**
 * The OpenAPI description of what /v1/plans reads and returns, generated from zod schemas so that it
 * cannot drift: the request body from the planner's own input schema (the validation that runs), the
 * responses from the output contract in plan-output.schema.ts (which tsc keeps in step with
 * src/planner/types.ts and plans.types.ts). Only the error and health bodies are written here.
 */
type Schema = Record<string, unknown>;

const str = (description?: string, extra: Schema = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const arr = (items: Schema, description?: string): Schema => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});
const obj = (properties: Record<string, Schema>, required: string[], description?: string): Schema => ({
  type: 'object',
  properties,
  required,
  ...(description ? { description } : {}),
});

const problemItem = obj(
  {
    path: str('Where, as a JSON path into the input, e.g. components[2].ports[0].nodePort.'),
    message: str('What is wrong.'),
  },
  ['path', 'message'],
);

/** Where a schema of the document's components is, for `$ref`. */
const componentUri = (name: string): string => `#/components/schemas/${name}`;

/**
 * Rewrites JSON Schema that zod writes for OpenAPI 3.0 into what the document may hold: no `$id`
 * (zod names registered schemas with it) and no `$schema` or `propertyNames`, which 3.0 does not
 * have (zod's openapi-3.0 target already leaves the latter out). With `open`, objects do not forbid unknown properties: a client must keep
 * working when a field is added to the plan (types.ts: add fields, never rename them).
 */
function forOpenApi30(schema: unknown, { open }: { open: boolean }): unknown {
  if (Array.isArray(schema)) {
    return schema.map((item) => forOpenApi30(item, { open }));
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema;
  }
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$id' || key === '$schema' || key === 'propertyNames') {
      continue;
    }
    if (key === 'additionalProperties' && value === false && open) {
      continue;
    }
    // `properties` and `patternProperties` hold names, not keywords: their values are schemas.
    result[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, property]) => [name, forOpenApi30(property, { open })]),
          )
        : forOpenApi30(value, { open });
  }
  return result;
}

/**
 * The request body: the planner's input schema as a client may send it (fields with a default are
 * optional). Written into each operation rather than referenced, because generators such as
 * openapi-typescript make a component's fields with a default required, which is right only for
 * what the server answers.
 */
function topologyRequestSchema(): Schema {
  return forOpenApi30(
    z.toJSONSchema(topologyInputSchema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }),
    { open: false },
  ) as Schema;
}

/** The normalized topology a plan holds: the input schema with every default filled in. */
function normalizedTopologyComponent(): Schema {
  return {
    ...(forOpenApi30(
      // As input: the planner leaves some fields out rather than fill them (allowFrom: absent, never empty).
      z.toJSONSchema(topologyInputSchema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }),
      { open: false },
    ) as Schema),
    description: 'The normalized input: valid as a request body (it re-plans the same), every default filled in.',
  };
}

/** The response schemas, generated from the output contract's zod schemas (plan-output.schema.ts). */
function outputComponents(): Record<string, Schema> {
  const { schemas } = z.toJSONSchema(openApiComponents, {
    target: 'openapi-3.0',
    io: 'output',
    unrepresentable: 'any',
    uri: componentUri,
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === normalizedTopologySchema) {
        for (const key of Object.keys(jsonSchema)) {
          delete (jsonSchema as Schema)[key];
        }
        Object.assign(jsonSchema, { $ref: componentUri('Topology') });
      }
    },
  });
  return forOpenApi30(schemas, { open: true }) as Record<string, Schema>;
}

const PLAN_SCHEMAS = {
  Topology: normalizedTopologyComponent,
  Problem: () =>
    obj(
      {
        type: str('A URI naming the kind of problem; about:blank when the status says it all.', {
          example: 'https://exposure-planner.dev/problems/validation-failed',
        }),
        title: str(),
        status: int(),
        detail: str(),
        instance: str('The request path.'),
        errors: arr(problemItem, 'For validation-failed: every problem with the input, in document order.'),
      },
      ['type', 'title', 'status'],
      'RFC 9457 problem details (application/problem+json).',
    ),
  Health: () => obj({ status: str(undefined, { enum: ['ok'] }) }, ['status']),
} satisfies Record<string, () => Schema>;

/** The request body is not a component (see topologyRequestSchema): decorators name it, addPlanSchemas writes it in. */
const REQUEST_BODY = 'TopologyInput';

export type PlanSchemaName =
  | keyof typeof PLAN_SCHEMAS
  | typeof REQUEST_BODY
  | 'Plan'
  | 'PlanPreview'
  | 'PlanPage'
  | 'PlanRevisions'
  | 'PlanDiff'
  | 'KubeObject';

/** A `$ref` to one of the schemas above, for @ApiResponse/@ApiBody. */
export function schemaRef(name: PlanSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** Puts the schemas above into the document's components, where the `$ref`s of the decorators point. */
export function addPlanSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = {
    ...outputComponents(),
    ...Object.fromEntries(Object.entries(PLAN_SCHEMAS).map(([name, build]) => [name, build()])),
  };
  inlineRequestBodies(document);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...schemas },
    // The scheme @ApiBearerAuth() names (its default name is "bearer").
    securitySchemes: {
      ...document.components?.securitySchemes,
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'An API key (ep_…) from `npm run apikey -- create`. Scopes: plans:read, plans:write, admin. See docs/security.md.',
      },
      // A share link's token (src/auth/strategies/share-link-token.ts): the plan page and its manifests.
      shareLink: {
        type: 'apiKey',
        in: 'query',
        name: 'token',
        description:
          'A share link token from POST /v1/plans/{id}/share: reads that one plan until it expires. See docs/security.md#share-links.',
      },
      // The chat transports prove their caller with what each chat platform sends (src/chat/chat-guards.ts).
      slackSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Slack-Signature',
        description:
          'v0=<hex HMAC-SHA256 of "v0:<X-Slack-Request-Timestamp>:<raw body>" with the Slack signing secret (SLACK_SIGNING_SECRET)>.',
      },
      mattermostToken: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: '`Token <token>` of the slash command (MATTERMOST_TOKEN); the form field `token` is accepted too.',
      },
      teamsHmac: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          '`HMAC <base64 HMAC-SHA256 of the raw body>` with the outgoing webhook’s security token (TEAMS_HMAC_SECRET).',
      },
    },
  };
  return document;
}

/** Replaces the decorators' `$ref` to the request body by the schema itself (see topologyRequestSchema). */
function inlineRequestBodies(document: OpenAPIObject): void {
  let requestBody: Schema | undefined;
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.post, item.put, item.patch]) {
      const content = operation?.requestBody && 'content' in operation.requestBody ? operation.requestBody.content : {};
      for (const media of Object.values(content)) {
        if (media.schema && '$ref' in media.schema && media.schema.$ref === componentUri(REQUEST_BODY)) {
          requestBody ??= topologyRequestSchema();
          media.schema = requestBody;
        }
      }
    }
  }
}

/** Query parameters of GET /v1/plans, described once for the decorator. */
export const LIST_QUERY_PARAMETERS = [
  { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
  { name: 'cursor', schema: { type: 'string' }, description: 'nextCursor of the previous page.' },
  { name: 'platform', schema: { type: 'string', enum: [...PLATFORMS] } },
  { name: 'name', schema: { type: 'string' }, description: 'Case-insensitive substring of the plan name.' },
  {
    name: 'createdAfter',
    schema: { type: 'string', format: 'date-time' },
    description: 'Created at or after (ISO 8601).',
  },
  { name: 'createdBefore', schema: { type: 'string', format: 'date-time' }, description: 'Created before (ISO 8601).' },
  {
    name: 'minSeverity',
    schema: { type: 'string', enum: [...SEVERITIES] },
    description: 'Only plans with a finding of this severity or worse.',
  },
] as const;
