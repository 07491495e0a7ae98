import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv04Module from 'ajv-draft-04';
import { loadAll } from 'js-yaml';
import { EXIT } from './plan-command.js';
import { runPlanCommandCaptured } from './testing/run-plan-command.js';

const ROOT = join(import.meta.dirname, '../..');
const COMPOSE = join(ROOT, 'test/fixtures/compose/example-voting-app.yaml');
const TOPOLOGY = join(ROOT, 'test/fixtures/topologies/shop-aws.json');

// The SARIF 2.1.0 schema as OASIS published it, bundled by Microsoft's SARIF matchers (a dev dependency);
// one of its patterns is not valid as a Unicode regular expression, hence unicodeRegExp: false.
const sarifSchema = createRequire(import.meta.url)(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
) as object;
const validateSarif = new Ajv04Module.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
  sarifSchema,
);

const run = runPlanCommandCaptured;

describe('exposure-planner plan (offline)', () => {
  it('plans a topology file and writes its manifests as YAML', async () => {
    const { code, out } = await run([TOPOLOGY]);
    expect(code).toBe(EXIT.ok);
    const objects = loadAll(out) as { kind: string }[];
    expect(objects.map((o) => o.kind)).toContain('Service');
  });

  it('detects a Compose file, imports it (notes on stderr) and plans it', async () => {
    const { code, out, err } = await run([COMPOSE, '--platform', 'aws', '--format', 'json', '--name', 'voting']);
    expect(code).toBe(EXIT.ok);
    const plan = JSON.parse(out);
    expect(plan.topology.name).toBe('voting');
    expect(plan.recommendations.map((r: { component: string }) => r.component)).toEqual([
      'vote',
      'result',
      'worker',
      'redis',
      'db',
    ]);
    expect(err).toContain('note: services.redis: port 6379 inferred');
  });

  it('exits 1 when a finding is at or above --fail-on, 0 when none is', async () => {
    const high = await run([COMPOSE, '--platform', 'aws', '--fail-on', 'high']);
    expect(high.code).toBe(EXIT.findings);
    expect(high.err).toMatch(/finding\(s\) at or above high: EXP006/);
    const critical = await run([COMPOSE, '--platform', 'aws', '--fail-on', 'critical']);
    expect(critical.code).toBe(EXIT.ok);
  });

  it('writes SARIF 2.1.0 that the schema accepts, with a rule per finding id and remediation as help', async () => {
    const { code, out } = await run([COMPOSE, '--platform', 'aws', '--format', 'sarif']);
    expect(code).toBe(EXIT.ok);
    const sarif = JSON.parse(out);
    // The validator does refuse a log that is not SARIF.
    expect(validateSarif({ version: '2.1.0' })).toBe(false);
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    const [runLog] = sarif.runs;
    const plan = JSON.parse((await run([COMPOSE, '--platform', 'aws', '--format', 'json'])).out);
    const ids = [...new Set(plan.findings.map((f: { id: string }) => f.id))];
    expect(ids).toContain('EXP006');
    expect(runLog.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(ids);
    expect(runLog.results).toHaveLength(plan.findings.length);
    expect(runLog.tool.driver.rules[0].help.text.length).toBeGreaterThan(20);
    const vote = runLog.results.find((r: { locations: { logicalLocations?: { name: string }[] }[] }) =>
      r.locations[0]?.logicalLocations?.some((l) => l.name === 'vote'),
    );
    // The line of the Compose file that names the service.
    expect(vote.locations[0].physicalLocation.region.startLine).toBe(6);
    expect(vote.level).toBe('error');
  });

  it('writes a Markdown summary for a pull request', async () => {
    const { out } = await run([COMPOSE, '--platform', 'aws', '--format', 'markdown']);
    expect(out).toMatch(/^### Exposure plan: app on aws/);
    expect(out).toContain('| vote | LoadBalancer | load-balancer |');
    expect(out).toContain('| high | EXP006 | vote |');
    expect(out).toContain('<summary>Import notes</summary>');
  });

  it('exits 2 and prints every problem for bad input', async () => {
    const missing = await run([]);
    expect(missing.code).toBe(EXIT.badInput);
    expect(missing.err).toContain('the file to plan is missing');

    const flags = await run([COMPOSE, '--format', 'pdf', '--fail-on', 'severe']);
    expect(flags.code).toBe(EXIT.badInput);
    expect(flags.err).toContain('--format pdf is not one of');
    expect(flags.err).toContain('--fail-on severe is not one of');

    const noPlatform = await run([COMPOSE]);
    expect(noPlatform.code).toBe(EXIT.badInput);
    expect(noPlatform.err).toContain('platform: platform is required');

    const badTopology = await run(['bad.json'], {
      readFile: () => Promise.resolve('{"name": "Bad Name", "components": []}'),
    });
    expect(badTopology.code).toBe(EXIT.badInput);
    expect(badTopology.err).toMatch(/problem\(s\):[\s\S]*name/);

    const unreadable = await run(['/nonexistent/file.yaml']);
    expect(unreadable.code).toBe(EXIT.badInput);
  });

  it('prints its usage on stdout and exits 0 for --help or -h, wherever it stands', async () => {
    for (const args of [['--help'], ['-h'], [COMPOSE, '--format', 'json', '--help']]) {
      const { code, out, err } = await run(args);
      expect(code, args.join(' ')).toBe(EXIT.ok);
      expect(out).toMatch(/^usage: exposure-planner plan <file>/);
      expect(err).toBe('');
    }
  });

  it('says a Compose file read with --input backstage is not a catalog entity, in plain words', async () => {
    const { code, err } = await run([COMPOSE, '--input', 'backstage', '--platform', 'aws']);
    expect(code).toBe(EXIT.badInput);
    expect(err).toBe(
      'error: 1 problem(s):\n  [0]: is not a Backstage catalog entity: it has no apiVersion (backstage.io/v1alpha1 or backstage.io/v1beta1) and no kind',
    );
  });

  it('exits 3 when the server cannot be reached', async () => {
    const refused = await run([TOPOLOGY, '--server', 'http://127.0.0.1:9', '--key', 'ep_x'], {
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(refused.code).toBe(EXIT.server);
    expect(refused.err).toContain('cannot reach http://127.0.0.1:9');
  });
});
