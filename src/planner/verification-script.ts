import { ROUTE_PATH_PATTERN } from './topology/schema.js';
import type { PlanResult, VerificationStep } from './types.js';

/**
 * The plan's `verification` steps as one POSIX shell script (GET /v1/plans/:id/verify.sh): run it
 * after `kubectl apply` and it runs every step, prints PASS or FAIL with the expectation, and exits
 * with the number of failures. One source: it renders the stored steps, it never plans them again.
 *
 * Every string of the plan goes into the script single-quoted ('it'\''s'), so no host, path or
 * expectation, however written, can end a quote and become shell code of the script itself. The
 * step's command is the plan's own command, run by `sh -c` as a person pasting it would run it.
 */
export type VerificationScriptInput = Pick<PlanResult, 'topology' | 'verification'> & {
  id?: string;
  revision?: number;
};

/** How long one step may run: test pods pull curl or busybox on their first run, which takes a while. */
export const STEP_TIMEOUT_SECONDS = 60;

/** A shell exit status above 125 means "not found", "killed" and the like: the count stops there. */
export const MAX_EXIT_STATUS = 125;

/** A value the plan's commands leave to the reader, such as `<ingress-address>`. */
const PLACEHOLDER = /<[a-z][a-z0-9-]*>/g;

/** One value the script looks up before the steps run, and the variable it keeps it in. */
type Lookup = { placeholder: string; component?: string; variable: string; command: string };

/** The script, ending in a newline; `sh -n` and `bash -n` accept it for every plan. */
export function renderVerificationScript(plan: VerificationScriptInput): string {
  const lookups = plannedLookups(plan);
  const unsafePaths = componentsWithUnsafePaths(plan);
  const lines: string[] = [...preamble(plan), ...lookups.flatMap(lookupLines), ''];
  for (const [component, steps] of groupByComponent(plan.verification)) {
    lines.push(`  header ${shellQuote(component)}`);
    for (const step of steps) {
      lines.push(
        unsafePaths.has(component)
          ? `  manual ${shellQuote(step.command)} ${shellQuote(step.expect)} ${shellQuote(UNSAFE_PATH_REASON)}`
          : stepLine(step, lookups),
      );
    }
    lines.push('');
  }
  lines.push('  summary', '}', '', 'main "$@"', '');
  return lines.join('\n');
}

const UNSAFE_PATH_REASON =
  'nothing, but check it by hand: the stored path holds characters a shell reads as code, which validation refuses since engine 1.8.0 (plan the topology again)';

/**
 * Components whose stored path validation refuses today (ROUTE_PATH_PATTERN): a plan stored before
 * engine 1.8.0 could carry `$(…)` in a path, and its commands carry the path unquoted. The script
 * prints their steps as MANUAL and runs none of them.
 */
function componentsWithUnsafePaths(plan: VerificationScriptInput): Set<string> {
  return new Set(
    plan.topology.components
      .filter((component) => component.path !== undefined && !ROUTE_PATH_PATTERN.test(component.path))
      .map((component) => component.name),
  );
}

/** `'…'` with every `'` written as `'\''`: the one quoting in which the shell interprets nothing. */
export function shellQuote(text: string): string {
  // A shell string cannot hold a NUL byte; validation keeps control characters out of the plan anyway.
  return `'${text.replace(/\0/g, '').replace(/'/g, `'\\''`)}'`;
}

/**
 * Isolation probes pass when the command gets no answer. Plans stored before `mustFail` existed
 * worded them "No answer within …": those are read the same way, so an old plan never turns a
 * working NetworkPolicy into a FAIL or, worse, a missing one into a PASS.
 */
export function mustFail(step: VerificationStep): boolean {
  return step.mustFail === true || (step.mustFail === undefined && /^No answer\b/.test(step.expect));
}

function preamble(plan: VerificationScriptInput): string[] {
  const { name, namespace } = plan.topology;
  const which =
    plan.id === undefined ? name : `${plan.id}${plan.revision === undefined ? '' : ` revision ${plan.revision}`}`;
  return [
    '#!/bin/sh',
    `# Exposure Planner verification for plan ${oneLine(which)} (${oneLine(name)}, namespace ${oneLine(namespace)}).`,
    "# Run it after `kubectl apply`, with kubectl pointed at the cluster: it runs every step of the plan's",
    '# verification, prints PASS or FAIL with what the step expects, and exits with the number of failures',
    `# (at most ${MAX_EXIT_STATUS}). A step marked MANUAL needs a value only you know and is not counted.`,
    '# A step that proves its point only from a particular place (a host in the allowed sources, inside the',
    '# private network or the VPC) is MANUAL too, with that place: from anywhere else a correct plan fails it.',
    '# Set VERIFY_RUN_FROM=1 to run those steps when this machine is where they say (every one of them).',
    `# Each step is stopped after VERIFY_STEP_TIMEOUT seconds (default ${STEP_TIMEOUT_SECONDS}) with timeout(1) where it exists;`,
    '# without it, a watchdog stops the step shell (a process that step started may outlive it).',
    '# A step passes when its command succeeds and, where the step names one, a line of its output matches',
    '# the expected pattern (a status code, True, an address). An isolation probe passes only when it',
    '# gets no answer (a timeout), and only if its test pod really ran.',
    '',
    '# Everything runs inside main, so `curl … | sh` runs nothing unless the whole script arrived.',
    'main() {',
    '  set -u',
    `  step_timeout=\${VERIFY_STEP_TIMEOUT:-${STEP_TIMEOUT_SECONDS}}`,
    '  run_from=${VERIFY_RUN_FROM:-}',
    '  failures=0 passed=0 manual=0 number=0',
    '  output=$(mktemp 2>/dev/null || echo "/tmp/verify-$$.out")',
    '  trap \'rm -f "$output"\' EXIT',
    "  trap 'exit 130' INT TERM",
    '  if command -v timeout >/dev/null 2>&1; then',
    '    bounded() { timeout "$step_timeout" sh -c "$1" </dev/null; }',
    '  else',
    '    bounded() {',
    '      sh -c "$1" </dev/null &',
    '      step_pid=$!',
    '      ( sleep "$step_timeout"; kill "$step_pid" 2>/dev/null ) >/dev/null 2>&1 &',
    '      watchdog=$!',
    '      wait "$step_pid"',
    '      step_status=$?',
    '      kill "$watchdog" 2>/dev/null',
    '      return "$step_status"',
    '    }',
    '  fi',
    '',
    '  header() { printf \'\\n== %s ==\\n\' "$1"; }',
    '  pass() { passed=$((passed + 1)); printf \'PASS  expected: %s\\n\' "$1"; }',
    '  fail() { failures=$((failures + 1)); printf \'FAIL  %s\\n      expected: %s\\n\' "$2" "$1"; }',
    '',
    '  # check answers|no-answer COMMAND EXPECTATION PATTERN [VALUE THE COMMAND NEEDS]',
    "  # PATTERN (the step's expectOutput, may be empty): an extended regular expression that a line of",
    '  # the output, trimmed, must match. An exit status 0 alone proves little: kubectl prints an empty',
    '  # address or a False condition and exits 0, curl prints a 404 and exits 0.',
    '  check() {',
    '    number=$((number + 1))',
    '    printf \'\\n[%s] %s\\n\' "$number" "$2"',
    '    if [ "$#" -ge 5 ] && [ -z "$5" ]; then',
    '      fail "$3" \'not run: an address it needs was not found (see the address check of this component)\'',
    '      return',
    '    fi',
    '    bounded "$2" >"$output" 2>&1',
    '    status=$?',
    '    # Line by line, the last one too when it lacks a newline (kubectl -o jsonpath prints none).',
    '    while IFS= read -r line || [ -n "$line" ]; do printf \'    | %s\\n\' "$line"; done <"$output"',
    '    if [ "$status" -eq 124 ] || [ "$status" -eq 143 ]; then',
    '      fail "$3" "did not finish within $step_timeout seconds"',
    '    elif [ "$1" = answers ]; then',
    '      if [ "$status" -ne 0 ]; then',
    '        fail "$3" "exit status $status"',
    '      elif ! matches "$4"; then',
    '        fail "$3" "exit status 0, but no line of the output matches $4"',
    '      else',
    '        pass "$3"',
    '      fi',
    '    elif [ "$status" -eq 0 ]; then',
    '      fail "$3" \'it got an answer\'',
    "    elif grep -q -e '^Error from server' -e '^error:' -e '^Unable to connect to the server' -e '^The connection to the server' \"$output\"; then",
    '      fail "$3" \'the probe never ran (kubectl refused or could not start its pod): it proves nothing\'',
    '    elif ! matches "$4"; then',
    '      fail "$3" "the probe failed, but not for want of an answer (no line matches $4: a name that does not resolve, an image not pulled, a missing address): it proves nothing"',
    '    else',
    '      pass "$3"',
    '    fi',
    '  }',
    '',
    '  # matches PATTERN: whether a line of the output, trimmed, matches it; an empty pattern matches anything.',
    '  matches() {',
    '    [ -z "$1" ] || sed -e \'s/^[[:space:]]*//\' -e \'s/[[:space:]]*$//\' "$output" | grep -Eq -e "$1"',
    '  }',
    '',
    '  manual() {',
    '    number=$((number + 1))',
    '    manual=$((manual + 1))',
    '    printf \'\\n[%s] MANUAL (fill in %s, not counted): %s\\n      expected: %s\\n\' "$number" "$3" "$1" "$2"',
    '  }',
    '',
    '  # elsewhere WHERE COMMAND EXPECTATION, before the check of a step that must run from WHERE: MANUAL,',
    '  # not counted, unless VERIFY_RUN_FROM=1 says this machine is there; then it fails, so the check runs.',
    '  elsewhere() {',
    '    [ "$run_from" = 1 ] && return 1',
    '    number=$((number + 1))',
    '    manual=$((manual + 1))',
    '    printf \'\\n[%s] MANUAL (run it from %s, not counted; VERIFY_RUN_FROM=1 runs it here): %s\\n      expected: %s\\n\' "$number" "$1" "$2" "$3"',
    '  }',
    '',
    '  summary() {',
    '    printf \'\\n%s passed, %s failed, %s manual\\n\' "$passed" "$failures" "$manual"',
    `    [ "$failures" -gt ${MAX_EXIT_STATUS} ] && failures=${MAX_EXIT_STATUS}`,
    '    exit "$failures"',
    '  }',
    '',
    '  # Addresses some steps need, looked up once before the steps run.',
    '  lookup() {',
    "    bounded \"$1\" 2>/dev/null | tr -s ' ' '\\n' | grep . | head -n 1",
    '  }',
  ];
}

/** The values the steps' placeholders stand for that the script can find itself, in order of first use. */
function plannedLookups(plan: VerificationScriptInput): Lookup[] {
  const { name, namespace } = plan.topology;
  const lookups: Lookup[] = [];
  const address = (kind: string, object: string) =>
    `kubectl get ${kind} ${object} -n ${namespace} -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}'`;
  for (const step of plan.verification) {
    for (const placeholder of new Set(step.command.match(PLACEHOLDER) ?? [])) {
      const component = placeholder === '<lb-address>' ? step.component : undefined;
      if (lookups.some((known) => known.placeholder === placeholder && known.component === component)) {
        continue;
      }
      if (placeholder === '<ingress-address>') {
        lookups.push({
          placeholder,
          variable: 'INGRESS_ADDRESS',
          command: address('ingress', checkedIngress(plan) ?? name),
        });
      } else if (placeholder === '<lb-address>') {
        // The Service a LoadBalancer step checks is named after its component (a DNS label).
        const count = lookups.filter((known) => known.placeholder === placeholder).length;
        lookups.push({
          placeholder,
          component: step.component,
          variable: `LB_ADDRESS_${count + 1}`,
          command: address('svc', step.component),
        });
      } else if (placeholder === '<gateway-address>') {
        const gateway = checkedGateway(plan);
        if (gateway !== undefined) {
          lookups.push({
            placeholder,
            variable: 'GATEWAY_ADDRESS',
            command: `kubectl get gateway ${gateway.name} -n ${gateway.namespace} -o jsonpath='{.status.addresses[0].value}'`,
          });
        }
      } else if (placeholder === '<node-ip>') {
        lookups.push({
          placeholder,
          variable: 'NODE_IP',
          command: `kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="ExternalIP")].address}' | grep . || kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}'`,
        });
      }
    }
  }
  return lookups;
}

/**
 * The Ingress whose address the plan's own address check reads: the topology's, or on Traefik one
 * of its others (`<topology>.tls`, `<topology>-<component>`), every one of them on the same
 * controller and address. Plans whose steps name none use the topology's.
 */
function checkedIngress(plan: VerificationScriptInput): string | undefined {
  for (const step of plan.verification) {
    const named = /^kubectl get ingress ([a-z0-9.-]+) -n /.exec(step.command);
    if (named !== null) {
      return named[1];
    }
  }
  return undefined;
}

/**
 * The Gateway the plan's own Programmed check reads (routing/gateway-plan.ts gatewayVerification):
 * the plan's, or a shared one in its own namespace. Its address is the Gateway's
 * `.status.addresses[0].value` (Gateway API GatewayStatus). Plans whose steps name none leave
 * `<gateway-address>` to the reader (MANUAL).
 */
function checkedGateway(plan: VerificationScriptInput): { name: string; namespace: string } | undefined {
  for (const step of plan.verification) {
    const named = /^kubectl get gateway ([a-z0-9.-]+) -n ([a-z0-9-]+) /.exec(step.command);
    if (named !== null) {
      return { name: named[1] as string, namespace: named[2] as string };
    }
  }
  return undefined;
}

function lookupLines(lookup: Lookup): string[] {
  const what = lookup.component === undefined ? lookup.placeholder : `${lookup.placeholder} of ${lookup.component}`;
  return [
    `  ${lookup.variable}=$(lookup ${shellQuote(lookup.command)})`,
    `  export ${lookup.variable}`,
    `  printf '%s: %s\\n' ${shellQuote(what)} "\${${lookup.variable}:-(not found yet)}"`,
  ];
}

function stepLine(step: VerificationStep, lookups: Lookup[]): string {
  const placeholders = [...new Set(step.command.match(PLACEHOLDER) ?? [])];
  const resolved = placeholders.map((placeholder) =>
    lookups.find(
      (lookup) =>
        lookup.placeholder === placeholder && (lookup.component === undefined || lookup.component === step.component),
    ),
  );
  const unknown = placeholders.filter((_, index) => resolved[index] === undefined);
  if (unknown.length > 0) {
    const where = step.runFrom === undefined ? '' : `, and run it from ${step.runFrom}`;
    return `  manual ${shellQuote(step.command)} ${shellQuote(step.expect)} ${shellQuote(`${unknown.join(', ')}${where}`)}`;
  }
  let command = keepCheckStatus(step.command);
  const needs: string[] = [];
  placeholders.forEach((placeholder, index) => {
    const { variable } = resolved[index] as Lookup;
    // The step's shell expands the exported variable; its value is data there, never code.
    command = command.split(placeholder).join(`"$${variable}"`);
    needs.push(variable);
  });
  const kind = mustFail(step) ? 'no-answer' : 'answers';
  // "${A:+${B:+found}}": empty unless every value the step needs was found.
  const found = needs.reduceRight((inner, variable) => `\${${variable}:+${inner}}`, 'found');
  const required = needs.length === 0 ? '' : ` "${found}"`;
  const check = `check ${kind} ${shellQuote(command)} ${shellQuote(step.expect)} ${shellQuote(step.expectOutput ?? '')}${required}`;
  // Run from anywhere else, a correct plan fails the step, or an isolation probe passes for the wrong reason.
  return step.runFrom === undefined
    ? `  ${check}`
    : `  elsewhere ${shellQuote(step.runFrom)} ${shellQuote(step.command)} ${shellQuote(step.expect)} || ${check}`;
}

/**
 * `kubectl port-forward … & sleep 2; <check>; kill $!` ends with the cleanup, whose status is 0 even
 * when the check failed: in the script the step exits with the check's status instead.
 */
export function keepCheckStatus(command: string): string {
  return command.replace(/;\s*kill \$!\s*$/, '; verify_status=$?; kill $! 2>/dev/null; exit "$verify_status"');
}

/** Steps per component, components in order of their first step, steps in plan order within each. */
function groupByComponent(steps: VerificationStep[]): Map<string, VerificationStep[]> {
  const groups = new Map<string, VerificationStep[]>();
  for (const step of steps) {
    const group = groups.get(step.component);
    if (group === undefined) {
      groups.set(step.component, [step]);
    } else {
      group.push(step);
    }
  }
  return groups;
}

/** For comments: a line break in a name would end the comment and start a command. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\0]+/g, ' ');
}
