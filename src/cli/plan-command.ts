import { parseArgs } from 'node:util';
import { detectFormat, importDocuments, IMPORT_FORMATS } from '../import/import-formats.js';
import { parseYamlDocuments } from '../import/import-document.js';
import type { ImportNote } from '../import/import-result.js';
import { plan } from '../planner/plan.js';
import { isAtLeastAsSevere } from '../planner/rules.js';
import { PLATFORMS, SEVERITIES, type PlanResult, type Problem, type Severity } from '../planner/types.js';
import { toYaml } from '../planner/yaml.js';
import { toMarkdown, toSarif } from './report-formats.js';

/** Exit codes, documented in the README: a pipeline tells a risky plan from a broken input. */
export const EXIT = { ok: 0, findings: 1, badInput: 2, server: 3 } as const;

export const OUTPUT_FORMATS = ['yaml', 'json', 'sarif', 'markdown'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];
const INPUTS = ['topology', ...IMPORT_FORMATS] as const;

export type PlanCommandIo = {
  out: (text: string) => void;
  err: (line: string) => void;
  readFile: (path: string) => Promise<string>;
  /** The server's API, with --server: global fetch in the CLI, the test's app in tests. */
  fetch?: typeof fetch;
};

export const PLAN_USAGE = `usage: exposure-planner plan <file> [--platform P] [--format yaml|json|sarif|markdown]
                        [--fail-on critical|high|medium|low|info] [--input topology|compose|backstage]
                        [--name NAME] [--server URL --key KEY]

<file> is a topology (JSON or YAML), a Compose file or a Backstage catalog (detected, or --input). Offline by default:
the planner runs here, nothing is stored. With --server the plan is stored through the API.
Exit codes: 0 ok; 1 a finding at or above --fail-on; 2 bad input (every problem printed);
3 the server could not be reached or failed.`;

type Options = {
  file: string;
  platform?: string;
  format: OutputFormat;
  failOn?: Severity;
  input?: (typeof INPUTS)[number];
  name?: string;
  server?: string;
  key?: string;
};

/** `exposure-planner plan …`: the exit code, having written the plan or the problems. */
export async function runPlanCommand(argv: string[], io: PlanCommandIo): Promise<number> {
  const parsed = parseOptions(argv);
  if (parsed.ok && parsed.help) {
    // Asked for, the usage is the answer: on stdout, so it pages and greps, and a success.
    io.out(`${PLAN_USAGE}\n`);
    return EXIT.ok;
  }
  if (!parsed.ok) {
    parsed.problems.forEach((problem) => io.err(`error: ${problem}`));
    io.err(PLAN_USAGE);
    return EXIT.badInput;
  }
  const options = parsed.options;
  let text: string;
  try {
    text = await io.readFile(options.file);
  } catch (error) {
    io.err(`error: cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.badInput;
  }
  const topology = topologyOf(text, options);
  if (!topology.ok) {
    printProblems(topology.problems, io);
    return EXIT.badInput;
  }
  topology.notes.forEach((note) => io.err(`note: ${note.path ? `${note.path}: ` : ''}${note.message}`));

  const planned =
    options.server === undefined ? planOffline(topology.topology) : await planOnServer(topology.topology, options, io);
  if (!planned.ok) {
    if (planned.problems !== undefined) {
      printProblems(planned.problems, io);
      return EXIT.badInput;
    }
    return EXIT.server;
  }
  io.out(render(planned.plan, options, text, topology.notes));
  const failing =
    options.failOn === undefined
      ? []
      : planned.plan.findings.filter((f) => isAtLeastAsSevere(f.severity, options.failOn as Severity));
  if (failing.length > 0) {
    io.err(
      `${failing.length} finding(s) at or above ${options.failOn}: ${[...new Set(failing.map((f) => f.id))].join(', ')}`,
    );
    return EXIT.findings;
  }
  return EXIT.ok;
}

type ParsedOptions =
  { ok: true; help: true } | { ok: true; help?: false; options: Options } | { ok: false; problems: string[] };

function parseOptions(argv: string[]): ParsedOptions {
  let values: Record<string, string | undefined>;
  let help: boolean | undefined;
  let positionals: string[];
  try {
    ({
      values: { help, ...values },
      positionals,
    } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        platform: { type: 'string' },
        format: { type: 'string', default: 'yaml' },
        'fail-on': { type: 'string' },
        input: { type: 'string' },
        name: { type: 'string' },
        server: { type: 'string' },
        key: { type: 'string' },
        // Declared, not special-cased: parseArgs would otherwise refuse it as an unknown option.
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (help === true) {
    return { ok: true, help: true };
  }
  const problems: string[] = [];
  const [file, ...extra] = positionals;
  if (file === undefined) {
    problems.push('the file to plan is missing');
  }
  if (extra.length > 0) {
    problems.push(`one file at a time; also got ${extra.join(' ')}`);
  }
  const check = (name: string, value: string | undefined, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value)) {
      problems.push(`--${name} ${value} is not one of ${allowed.join(', ')}`);
    }
  };
  check('format', values.format, OUTPUT_FORMATS);
  check('fail-on', values['fail-on'], SEVERITIES);
  check('input', values.input, INPUTS);
  check('platform', values.platform, PLATFORMS);
  if ((values.server === undefined) !== (values.key === undefined)) {
    problems.push('--server and --key go together');
  }
  if (problems.length > 0 || file === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    options: {
      file,
      format: values.format as OutputFormat,
      ...(values.platform === undefined ? {} : { platform: values.platform }),
      ...(values['fail-on'] === undefined ? {} : { failOn: values['fail-on'] as Severity }),
      ...(values.input === undefined ? {} : { input: values.input as (typeof INPUTS)[number] }),
      ...(values.name === undefined ? {} : { name: values.name }),
      // --server and --key go together (checked above).
      ...(values.server === undefined || values.key === undefined
        ? {}
        : { server: values.server.replace(/\/+$/, ''), key: values.key }),
    },
  };
}

type TopologyRead = { ok: true; topology: unknown; notes: ImportNote[] } | { ok: false; problems: Problem[] };

/** The topology the file describes: as written, or imported from a Compose file. */
function topologyOf(text: string, options: Options): TopologyRead {
  const parsed = parseYamlDocuments(text);
  if (!parsed.ok) {
    return parsed;
  }
  const input = options.input ?? detectFormat(parsed.documents);
  if (input === undefined) {
    return {
      ok: false,
      problems: [{ path: '', message: `cannot tell what ${options.file} is: pass --input ${INPUTS.join('|')}` }],
    };
  }
  if (input === 'topology') {
    const [document] = parsed.documents;
    if (parsed.documents.length !== 1 || document === null || typeof document !== 'object') {
      return { ok: false, problems: [{ path: '', message: 'a topology is one JSON or YAML object' }] };
    }
    const topology = document as Record<string, unknown>;
    const environment = (topology.environment ?? {}) as Record<string, unknown>;
    return {
      ok: true,
      notes: [],
      topology: {
        ...topology,
        ...(options.name === undefined ? {} : { name: options.name }),
        ...(options.platform === undefined ? {} : { environment: { ...environment, platform: options.platform } }),
      },
    };
  }
  return importDocuments(input, parsed.documents, {
    platform: options.platform,
    ...(options.name === undefined ? {} : { name: options.name }),
  });
}

type Planned = { ok: true; plan: PlanResult } | { ok: false; problems?: Problem[] };

function planOffline(topology: unknown): Planned {
  const outcome = plan(topology);
  return outcome.ok ? { ok: true, plan: outcome.plan } : { ok: false, problems: outcome.problems };
}

/** Stores the plan through the API (POST /v1/plans), as any client would. */
async function planOnServer(topology: unknown, options: Options, io: PlanCommandIo): Promise<Planned> {
  const doFetch = io.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(`${options.server}/v1/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key}` },
      body: JSON.stringify(topology),
    });
  } catch (error) {
    io.err(`error: cannot reach ${options.server}: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false };
  }
  const body = (await response.json().catch(() => undefined)) as
    (PlanResult & { id?: string; errors?: Problem[]; detail?: string }) | undefined;
  if (response.status === 400 && body?.errors !== undefined) {
    return { ok: false, problems: body.errors };
  }
  if (response.status !== 201 || body === undefined) {
    io.err(`error: ${options.server} answered ${response.status}${body?.detail ? `: ${body.detail}` : ''}`);
    return { ok: false };
  }
  io.err(`stored as plan ${body.id} (${response.headers.get('location') ?? ''})`);
  return { ok: true, plan: body };
}

function render(planResult: PlanResult, options: Options, text: string, notes: ImportNote[]): string {
  switch (options.format) {
    case 'yaml':
      return toYaml(planResult.manifests);
    case 'json':
      return `${JSON.stringify(planResult, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(planResult, { path: options.file, text }), null, 2)}\n`;
    case 'markdown':
      return toMarkdown(planResult, notes);
  }
}

function printProblems(problems: Problem[], io: PlanCommandIo): void {
  io.err(`error: ${problems.length} problem(s):`);
  problems.forEach((problem) => io.err(`  ${problem.path || '(file)'}: ${problem.message}`));
}
