import { at } from '../common/at.js';
import { unsafeTextProblem } from '../planner/text-safety.js';
import type { TopologyInput } from '../planner/topology/index.js';
import { PLATFORMS, type Platform } from '../planner/types.js';

/**
 * The chat command language, as a pure function from the text a user typed to a command. It only
 * checks the grammar: what a word means (is `shop` a valid name, is `aws` a platform, is port 0
 * allowed) is the planner's business, so a plan command becomes the same topology INPUT the REST API
 * takes and the planner reports its problems. docs/chatops.md documents the language; `help` prints it.
 */

/**
 * A value of the planner's input as a chat line writes it: every field of `T`, with each string
 * (a platform, a role, an exposure: one of a fixed set in the planner's type) left a plain word,
 * since what a word means is the planner's to check. Derived, so a field the planner renames or
 * drops is a compile error here too.
 */
type Unchecked<T> = T extends string
  ? string
  : T extends readonly (infer Element)[]
    ? Unchecked<Element>[]
    : T extends object
      ? { [K in keyof T]: Unchecked<T[K]> }
      : T;

type PlannerComponent = TopologyInput['components'][number];

/** One port as the REST API takes it: targetPort a number or a container port name. */
export type PortInput = Unchecked<NonNullable<PlannerComponent['ports']>[number]>;

/** A component; a chat line always says whom it depends on (perhaps nobody). */
export type ComponentInput = Unchecked<Omit<PlannerComponent, 'ports' | 'dependsOn'>> & {
  ports: PortInput[];
  dependsOn: string[];
};

/** The topology JSON of POST /v1/plans (the planner's TopologyInput), as far as a chat line can say it. */
export type ChatTopology = Unchecked<Omit<TopologyInput, 'components'>> & { components: ComponentInput[] };

export type PlanReference = { kind: 'show' | 'cost' | 'findings' | 'yaml' | 'diff'; ref: string };

export type ChatCommand =
  /** newPlan: store a new plan even when the team has one of that name (`--new`); else that one is revised. */
  | { kind: 'plan'; topology: ChatTopology; dryRun: boolean; newPlan: boolean }
  | { kind: 'list'; platform?: Platform }
  | PlanReference
  | { kind: 'help' };

export type ChatCommandKind = ChatCommand['kind'];

/** A usage error carries the usage line of the command the user attempted, to show next to it. */
export type ParseResult =
  { ok: true; command: ChatCommand; share: boolean } | { ok: false; error: string; usage: string };

export const USAGE: Record<ChatCommandKind, string> = {
  plan: 'plan <name> on <platform> <component>… [ingress=<class>] [--deps a>b,b>c] [--dry-run] [--new]',
  list: 'list [platform]',
  show: 'show <id|name>',
  cost: 'cost <id|name>',
  findings: 'findings <id|name>',
  yaml: 'yaml <id|name>',
  diff: 'diff <id|name>',
  help: 'help',
};

export const COMPONENT_USAGE = 'name:role:port[>targetPort][:public|private|node]';

/** `key=value` words of a plan command and where each goes in the topology. */
const PLAN_OPTIONS = ['ingress', 'namespace', 'ns', 'region', 'stage', 'lb'] as const;
type PlanOption = (typeof PLAN_OPTIONS)[number];

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': ' ',
};

/**
 * Undo what chat clients do to typed text before we see it: Slack and Teams send `>` as `&gt;`
 * (it would break `80>8080` and `--deps a>b`), Teams wraps the bot's name in `<at>…</at>`, and
 * macOS/iOS autocorrect turns a typed `--` into an en or em dash (`—share`).
 */
export function normalizeChatText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|amp|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/(^|\s)[\u2013\u2014](?=\S)/g, '$1--')
    .trim();
}

type Flags = { share: boolean; dryRun: boolean; newPlan: boolean; deps?: string };

export function parseCommand(rawText: string): ParseResult {
  const words = normalizeChatText(rawText)
    .split(/\s+/)
    .filter((word) => word !== '');
  const unsafe = unsafeWord(words);
  if (unsafe !== undefined) {
    return unsafe;
  }
  const flagged = extractFlags(words);
  if (!flagged.ok) {
    return flagged;
  }
  const { flags, rest } = flagged;
  const verb = (rest[0] ?? 'help').toLowerCase();
  const args = rest.slice(1);

  if (verb !== 'plan' && (flags.dryRun || flags.newPlan || flags.deps !== undefined)) {
    const flag = flags.dryRun ? '--dry-run' : flags.newPlan ? '--new' : '--deps';
    return usageError(`\`${flag}\` only goes with \`plan\`.`, isKnownVerb(verb) ? verb : 'plan');
  }

  const parsed = parseVerb(verb, args, flags);
  return parsed.ok ? { ok: true, command: parsed.command, share: flags.share } : parsed;
}

type VerbResult = { ok: true; command: ChatCommand } | { ok: false; error: string; usage: string };

function parseVerb(verb: string, args: string[], flags: Flags): VerbResult {
  switch (verb) {
    case 'help':
    case '?':
      return { ok: true, command: { kind: 'help' } };
    case 'plan':
      return parsePlan(args, flags);
    case 'list':
      return parseList(args);
    case 'show':
    case 'cost':
    case 'findings':
    case 'yaml':
    case 'diff':
      return parseReference(verb, args);
    default:
      return {
        ok: false,
        error: `I don't know the command \`${verb}\`. Commands: plan, list, show, cost, findings, yaml, diff, help.`,
        usage: USAGE.help,
      };
  }
}

/**
 * A word with a character no field takes (text-safety.ts): refused here, whatever the command, so
 * that it reaches neither a query nor a reply. The message names the character, never shows it.
 */
function unsafeWord(words: readonly string[]): { ok: false; error: string; usage: string } | undefined {
  for (const [index, word] of words.entries()) {
    const problem = unsafeTextProblem(word);
    if (problem !== undefined) {
      const verb = (words[0] ?? '').toLowerCase();
      return usageError(`Word ${index + 1} of the command ${problem}.`, isKnownVerb(verb) ? verb : 'help');
    }
  }
  return undefined;
}

function isKnownVerb(verb: string): verb is ChatCommandKind {
  return Object.hasOwn(USAGE, verb);
}

function usageError(error: string, kind: ChatCommandKind): { ok: false; error: string; usage: string } {
  return { ok: false, error, usage: USAGE[kind] };
}

/** Flags may stand anywhere in the line; `--deps` takes the next word unless written `--deps=…`. */
function extractFlags(
  words: string[],
): { ok: true; flags: Flags; rest: string[] } | { ok: false; error: string; usage: string } {
  const flags: Flags = { share: false, dryRun: false, newPlan: false };
  const rest: string[] = [];
  // An index, not for…of: `--deps` consumes the word after it.
  for (let index = 0; index < words.length; index++) {
    const word = at(words, index);
    if (!word.startsWith('--')) {
      rest.push(word);
      continue;
    }
    const [flag, inlineValue] = splitOnce(word.toLowerCase(), '=');
    switch (flag) {
      case '--share':
        flags.share = true;
        break;
      case '--dry-run':
      case '--dryrun':
        flags.dryRun = true;
        break;
      case '--new':
        flags.newPlan = true;
        break;
      case '--deps': {
        // The value keeps its case: it names components, and the planner decides whether they exist.
        const value = inlineValue === undefined ? words[++index] : splitOnce(word, '=')[1];
        if (value === undefined || value === '' || value.startsWith('--')) {
          return usageError('`--deps` needs a list such as `web>api,api>db` (or `none`).', 'plan');
        }
        flags.deps = value;
        break;
      }
      default:
        return usageError(`I don't know the option \`${word}\`. Options: --share, --dry-run, --new, --deps.`, 'plan');
    }
  }
  return { ok: true, flags, rest };
}

function splitOnce(word: string, separator: string): [string, string | undefined] {
  const position = word.indexOf(separator);
  return position === -1 ? [word, undefined] : [word.slice(0, position), word.slice(position + separator.length)];
}

function parseList(args: string[]): VerbResult {
  const [given, ...extra] = args;
  if (given === undefined) {
    return { ok: true, command: { kind: 'list' } };
  }
  if (extra.length > 0) {
    return usageError('`list` takes at most one platform.', 'list');
  }
  const platform = given.toLowerCase();
  if (!isPlatform(platform)) {
    return usageError(`\`${given}\` is not a platform. Platforms: ${PLATFORMS.join(', ')}.`, 'list');
  }
  return { ok: true, command: { kind: 'list', platform } };
}

function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

function parseReference(kind: PlanReference['kind'], args: string[]): VerbResult {
  const [ref] = args;
  if (args.length !== 1 || ref === undefined) {
    return usageError(
      args.length === 0 ? `\`${kind}\` needs a plan id or name.` : `\`${kind}\` takes one plan id or name.`,
      kind,
    );
  }
  return { ok: true, command: { kind, ref } };
}

function parsePlan(args: string[], flags: Flags): VerbResult {
  const [name, on, platform, ...rest] = args;
  if (name === undefined) {
    return usageError('`plan` needs a name, a platform and at least one component.', 'plan');
  }
  if (on?.toLowerCase() !== 'on') {
    return usageError(
      on === undefined
        ? `Say where \`${name}\` runs: \`plan ${name} on <platform> …\`.`
        : `Expected \`on <platform>\` after the name \`${name}\`, got \`${on}\`.`,
      'plan',
    );
  }
  if (platform === undefined) {
    return usageError(`Say which platform follows \`on\`: one of ${PLATFORMS.join(', ')}.`, 'plan');
  }

  const topology: ChatTopology = {
    name,
    environment: { platform: platform.toLowerCase() },
    components: [],
  };
  for (const word of rest) {
    const result = word.includes('=') ? applyOption(topology, word) : parseComponent(word);
    if (typeof result === 'string') {
      return usageError(result, 'plan');
    }
    if (result !== undefined) {
      topology.components.push(result);
    }
  }
  if (topology.components.length === 0) {
    return usageError(`\`${name}\` needs at least one component, written \`${COMPONENT_USAGE}\`.`, 'plan');
  }

  const linked = linkDependencies(topology.components, flags.deps);
  if (linked !== undefined) {
    return usageError(linked, 'plan');
  }
  return { ok: true, command: { kind: 'plan', topology, dryRun: flags.dryRun, newPlan: flags.newPlan } };
}

/** Applies a `key=value` word to the topology; returns an error message, or undefined when applied. */
function applyOption(topology: ChatTopology, word: string): string | undefined {
  const [rawKey, value] = splitOnce(word, '=');
  const key = rawKey.toLowerCase();
  if (!isPlanOption(key)) {
    return `I don't know \`${rawKey}=\`. Settings: ingress=, namespace=, region=, stage=, lb=.`;
  }
  if (value === undefined || value === '') {
    return `\`${key}=\` needs a value.`;
  }
  switch (key) {
    case 'ingress':
      topology.environment.ingressController = value;
      break;
    case 'namespace':
    case 'ns':
      topology.namespace = value;
      break;
    case 'region':
      topology.environment.region = value;
      break;
    case 'stage':
      topology.environment.stage = value.toLowerCase();
      break;
    case 'lb':
      topology.environment.loadBalancerProvider = value.toLowerCase();
      break;
  }
  return undefined;
}

function isPlanOption(key: string): key is PlanOption {
  return (PLAN_OPTIONS as readonly string[]).includes(key);
}

/** `name:role[:port[>targetPort][:exposure]]`; returns the component or an error message. */
function parseComponent(word: string): ComponentInput | string {
  const parts = word.split(':');
  const [name, role, portSpec, exposure] = parts;
  const form = `write components as \`${COMPONENT_USAGE}\``;
  if (name === undefined || role === undefined) {
    return `\`${word}\` is not a component: ${form}.`;
  }
  if (parts.length > 4) {
    return `\`${word}\` has too many \`:\` parts: ${form}.`;
  }
  if (name === '' || role === '') {
    return `\`${word}\` needs both a name and a role: ${form}.`;
  }
  const component: ComponentInput = { name, role: role.toLowerCase(), ports: [], dependsOn: [] };
  if (portSpec !== undefined) {
    const port = parsePort(portSpec);
    if (typeof port === 'string') {
      return `In \`${word}\`: ${port}`;
    }
    component.ports.push(port);
  }
  if (exposure !== undefined) {
    if (exposure === '') {
      return `\`${word}\` ends with an empty exposure: use public, private or node (or leave it out for in-cluster only).`;
    }
    component.exposure = exposure.toLowerCase();
  }
  return component;
}

function parsePort(spec: string): PortInput | string {
  const [port, target] = splitOnce(spec, '>');
  if (spec === '') {
    return 'the port number after the role is missing.';
  }
  if (!/^\d{1,6}$/.test(port)) {
    return `\`${port === '' ? spec : port}\` is not a port number.`;
  }
  if (target === undefined) {
    return { port: Number(port) };
  }
  if (target === '') {
    return `\`${spec}\` has no target port after \`>\`.`;
  }
  // A target port is a number, or the name of a container port (the planner checks the name).
  return { port: Number(port), targetPort: /^\d{1,6}$/.test(target) ? Number(target) : target };
}

/**
 * Without `--deps`, each component calls the next one, the order a user naturally types
 * (frontend, then api, then the data stores). `--deps none` means nobody calls anybody.
 */
function linkDependencies(components: ComponentInput[], deps: string | undefined): string | undefined {
  if (deps === undefined) {
    components.forEach((component, index) => {
      const next = components[index + 1];
      component.dependsOn = next === undefined ? [] : [next.name];
    });
    return undefined;
  }
  if (deps.toLowerCase() === 'none') {
    return undefined;
  }
  const byName = new Map(components.map((component) => [component.name, component]));
  for (const pair of deps.split(',')) {
    if (pair === '') {
      continue;
    }
    const [from, to] = splitOnce(pair, '>');
    if (from === '' || to === undefined || to === '' || to.includes('>')) {
      return `\`--deps\` takes pairs such as \`web>api,api>db\`; \`${pair}\` is not one.`;
    }
    const caller = byName.get(from);
    // The caller has to be one of the components to hold the dependency; an unknown callee is left to
    // the planner, which reports every dependency on a component that does not exist.
    if (caller === undefined) {
      return `\`--deps\` names \`${from}\`, which is not one of the components (${[...byName.keys()].join(', ')}).`;
    }
    if (!caller.dependsOn.includes(to)) {
      caller.dependsOn.push(to);
    }
  }
  return undefined;
}
