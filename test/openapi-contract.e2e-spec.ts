import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import ts from 'typescript';
import { fixtures } from './support/golden-fixtures.js';
import { useTestApp, uniqueName } from './support/app.js';
import { at } from '../src/common/at.js';

/**
 * The OpenAPI document against the tools clients use, and against the answers the server really
 * gives: every plan of the golden fixtures must match the response schemas with no property the
 * document does not describe, so a field added to the plan and not to the output contract
 * (src/plans/plan-output.schema.ts) fails here.
 */

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'node_modules', '.bin');

type Schema = Record<string, unknown>;
type OpenApiDocument = { components: { schemas: Record<string, Schema> } } & Schema;

/** The schemas as a strict validator reads them: an object whose properties are listed has no others. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(closed);
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema;
  }
  const result: Schema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, closed(property)]))
        : closed(value),
    ]),
  );
  if ('properties' in result && !('additionalProperties' in result)) {
    result.additionalProperties = false;
  }
  return result;
}

describe('the OpenAPI document', () => {
  const t = useTestApp();
  let document: OpenApiDocument;
  let workDir: string;
  let documentFile: string;
  let strictSchema: (name: string) => ValidateFunction;

  beforeAll(async () => {
    document = (await t.api().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
    workDir = await mkdtemp(join(tmpdir(), 'openapi-contract-'));
    documentFile = join(workDir, 'openapi.json');
    await writeFile(documentFile, JSON.stringify(document));

    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its plugin is the default export's `default`.
    ajvFormats.default(ajv);
    ajv.addSchema({ $id: 'document', components: { schemas: closed(document.components.schemas) } });
    strictSchema = (name) => ajv.compile({ $ref: `document#/components/schemas/${name}` });
  });

  afterAll(async () => {
    if (workDir) {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  const expectValid = (validate: ValidateFunction, body: unknown, what: string): void => {
    const valid = validate(body);
    expect(valid ? [] : validate.errors?.slice(0, 10), what).toEqual([]);
  };

  /** Stores golden fixture `index` under a fresh name: the name, the plan's id and the 201 answer. */
  async function storeFixture(index: number): Promise<{ name: string; id: string; body: unknown }> {
    const [fixture, topology] = at(fixtures, index);
    const name = uniqueName(fixture);
    const created = await t
      .api()
      .post('/v1/plans')
      .send({ ...(topology as Schema), name })
      .expect(201);
    return { name, id: (created.body as { id: string }).id, body: created.body };
  }

  it('passes Redocly’s recommended rules with no error', async () => {
    // --format=json prints the report on stdout; the exit code is 1 when there are errors.
    const { stdout } = await run(join(BIN, 'redocly'), ['lint', documentFile, '--format=json'], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout) as {
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(errors).toEqual([]);
  });

  it('is valid for swagger-parser', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('describes every field of the plan of each golden fixture, and nothing else is answered', async () => {
    const preview = strictSchema('PlanPreview');
    for (const [name, topology] of fixtures) {
      const res = await t
        .api()
        .post('/v1/plans?dryRun=true')
        .send(topology as object)
        .expect(200);
      expectValid(preview, res.body, name);
    }
  });

  it('describes the stored plan, its page in the list, its revisions and its manifests', async () => {
    const { name, id, body } = await storeFixture(0);
    expectValid(strictSchema('Plan'), body, 'POST');

    expectValid(strictSchema('Plan'), (await t.api().get(`/v1/plans/${id}`).expect(200)).body, 'GET one');
    expectValid(
      strictSchema('PlanPage'),
      (await t.api().get('/v1/plans').query({ name }).expect(200)).body,
      'GET list',
    );
    expectValid(
      strictSchema('PlanRevisions'),
      (await t.api().get(`/v1/plans/${id}/revisions`).expect(200)).body,
      'GET revisions',
    );
    const manifests = (await t.api().get(`/v1/plans/${id}/manifests`).set('accept', 'application/json').expect(200))
      .body as unknown[];
    for (const manifest of manifests) {
      expectValid(strictSchema('KubeObject'), manifest, 'GET manifests');
    }
  });

  it('describes the diff of two revisions', async () => {
    const { name, id } = await storeFixture(0);
    const [, second] = at(fixtures, 1);
    await t
      .api()
      .put(`/v1/plans/${id}`)
      .send({ ...(second as Schema), name })
      .expect(200);
    const diff: unknown = (await t.api().get(`/v1/plans/${id}/diff`).expect(200)).body;
    expectValid(strictSchema('PlanDiff'), diff, 'GET diff');
  });

  it('gives openapi-typescript (default flags) a client in which a create-and-list call compiles', async () => {
    await run(join(BIN, 'openapi-typescript'), [documentFile, '--output', join(workDir, 'api.ts')]);
    // Fields with a default (stage, workload, replicas, protocol…) are left out: they must be optional.
    // The @ts-expect-error lines prove the types are not `any`: a wrong call must not compile.
    const client = `
import type { paths } from './api';

type CreateBody = paths['/v1/plans']['post']['requestBody']['content']['application/json'];
type Created = paths['/v1/plans']['post']['responses'][201]['content']['application/json'];
type Listed = paths['/v1/plans']['get']['responses'][200]['content']['application/json'];
type ListQuery = NonNullable<paths['/v1/plans']['get']['parameters']['query']>;

export async function createAndList(baseUrl: string, key: string): Promise<string[]> {
  const body: CreateBody = {
    name: 'shop',
    environment: { platform: 'aws' },
    components: [{ name: 'web', role: 'frontend', exposure: 'public', ports: [{ port: 80 }] }],
  };
  const headers = { authorization: 'Bearer ' + key, 'content-type': 'application/json' };
  const created = (await (await fetch(baseUrl + '/v1/plans', { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Created;
  const total: number = created.cost.monthlyTotal;
  const serviceType: string | null = created.recommendations[0].serviceType;
  const query: ListQuery = { name: created.name, limit: 10 };
  const page = (await (await fetch(baseUrl + '/v1/plans?name=' + query.name, { headers })).json()) as Listed;
  return [String(total), String(serviceType), ...page.items.map((item) => item.id + item.worstSeverity)];
}

// @ts-expect-error a component needs a role
const missingRole: CreateBody = { name: 'shop', environment: { platform: 'aws' }, components: [{ name: 'web', exposure: 'public', ports: [] }] };
// @ts-expect-error platform is one of the known ones
const unknownPlatform: CreateBody = { name: 'shop', environment: { platform: 'mainframe' }, components: [] };
declare const listed: Listed;
// @ts-expect-error worstSeverity may be null
const severity: string = listed.items[0].worstSeverity;
export { missingRole, unknownPlatform, severity };
`;
    const clientFile = join(workDir, 'client.ts');
    await writeFile(clientFile, client);
    const program = ts.createProgram([clientFile], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
