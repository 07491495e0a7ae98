import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan } from './plan.js';
import { planOf, publicFrontend } from './testing/topology-inputs.js';
import type { VerificationStep } from './types.js';
import {
  MAX_EXIT_STATUS,
  keepCheckStatus,
  mustFail,
  renderVerificationScript,
  shellQuote,
  type VerificationScriptInput,
} from './verification-script.js';

const FIXTURES_DIR = join(import.meta.dirname, '../../test/fixtures/topologies');
const SHELLS = ['/bin/sh', '/usr/bin/dash', '/bin/dash', '/usr/bin/bash', '/bin/bash'].filter(existsSync);
/** Text a careless script would run: quotes, substitutions, globs, a line break, a printf format. */
const NASTY = `it's "$(touch PWNED)" \`touch PWNED\` $HOME * %s \\ ' ; exit 7\n'; touch PWNED; '`;

let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'verify-script-'));
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function input(verification: VerificationStep[]): VerificationScriptInput {
  return {
    id: 'plan-1',
    revision: 2,
    topology: { name: 'shop', namespace: 'prod', components: [] } as never,
    verification,
  };
}

function step(component: string, command: string, expect: string, extra: Partial<VerificationStep> = {}) {
  return { component, command, expect, ...extra };
}

/** Runs the script as `curl … | sh` does (from standard input), in a scratch directory. */
function run(script: string, env: Record<string, string> = {}, shell = '/bin/sh') {
  const result = spawnSync(shell, [], {
    input: script,
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout };
}

/** A directory with a stub `kubectl` that prints `output`, first on PATH. */
function stubKubectl(output: string): string {
  const bin = join(workDir, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nprintf '%s' ${shellQuote(output)}\n`, { mode: 0o755 });
  return `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}

describe(shellQuote.name, () => {
  it.each(SHELLS)('gives the text back unchanged through %s, however nasty', (shell) => {
    for (const text of [NASTY, '', "'", "''", '\\', '$((1+1))', 'a\nb', '-n', '!x']) {
      const printed = execFileSync(shell, ['-c', `printf '%s' ${shellQuote(text)}`], {
        cwd: workDir,
        encoding: 'utf8',
      });
      expect(printed).toBe(text);
    }
    expect(existsSync(join(workDir, 'PWNED'))).toBe(false);
  });
});

describe(renderVerificationScript.name, () => {
  it('runs every step, prints PASS or FAIL with the expectation, and exits with the number of failures', () => {
    const script = renderVerificationScript(
      input([
        step('web', 'true', 'web answers'),
        step('web', 'false', 'web answers on 443'),
        step('api', 'echo hello', 'api says hello'),
      ]),
    );
    for (const shell of SHELLS) {
      const { status, stdout } = run(script, {}, shell);
      expect(status).toBe(1);
      expect(stdout).toContain('PASS  expected: web answers\n');
      expect(stdout).toContain('FAIL  exit status 1\n      expected: web answers on 443\n');
      expect(stdout).toContain('    | hello');
      expect(stdout).toContain('2 passed, 1 failed, 0 manual');
    }
  });

  it('groups the steps per component under one header each, components in order of first appearance', () => {
    const script = renderVerificationScript(
      input([step('web', 'true', 'one'), step('api', 'true', 'two'), step('web', 'true', 'three')]),
    );
    const { stdout } = run(script);
    const lines = stdout.split('\n').filter((line) => line.startsWith('== ') || line.startsWith('PASS'));
    expect(lines).toEqual([
      '== web ==',
      'PASS  expected: one',
      'PASS  expected: three',
      '== api ==',
      'PASS  expected: two',
    ]);
  });

  it('keeps hostile text data: nothing in a command, expectation or component name runs as script code', () => {
    const script = renderVerificationScript(
      input([step(NASTY, `printf '%s' ${shellQuote(NASTY)}`, NASTY), step('web', 'true', NASTY)]),
    );
    for (const shell of SHELLS) {
      const { status, stdout } = run(script, {}, shell);
      expect(status).toBe(0);
      expect(stdout).toContain(`== ${NASTY} ==`);
      expect(stdout).toContain(`PASS  expected: ${NASTY}\n`);
      expect(existsSync(join(workDir, 'PWNED'))).toBe(false);
    }
  });

  it('runs no step of a component whose stored path validation refuses today (a plan from before engine 1.8.0)', () => {
    const stored: VerificationScriptInput = {
      ...input([
        step('web', 'echo http://<ingress-address>/$(touch PWNED)', 'the route answers'),
        step('api', 'true', 'api answers'),
      ]),
      topology: {
        name: 'shop',
        namespace: 'prod',
        components: [
          { name: 'web', path: '/$(touch PWNED)' },
          { name: 'api', path: '/api' },
        ],
      } as never,
    };
    const { status, stdout } = run(renderVerificationScript(stored), { PATH: stubKubectl('203.0.113.10') });
    expect(existsSync(join(workDir, 'PWNED'))).toBe(false);
    expect(stdout).toContain('MANUAL (fill in nothing, but check it by hand: the stored path holds characters');
    expect(stdout).toContain('1 passed, 0 failed, 1 manual');
    expect(status).toBe(0);
  });

  describe('steps whose success is a value (expectOutput)', () => {
    it('fail when the command exits 0 but prints another value, and pass on the value, whitespace aside', () => {
      const script = renderVerificationScript(
        input([
          step('api', 'echo 404', '301', { expectOutput: '^301$' }),
          step('api', "printf '  301  '", '301', { expectOutput: '^301$' }),
          step('mq', "printf ''", 'an address', { expectOutput: '"(ip|hostname)":"[^"]+"' }),
          step('mq', 'printf \'{"hostname":"mq.elb.example"}\'', 'an address', {
            expectOutput: '"(ip|hostname)":"[^"]+"',
          }),
          step('api', 'echo 301; exit 3', '301', { expectOutput: '^301$' }),
        ]),
      );
      const { status, stdout } = run(script);
      expect(stdout).toContain('FAIL  exit status 0, but no line of the output matches ^301$');
      expect(stdout).toContain('FAIL  exit status 0, but no line of the output matches "(ip|hostname)":"[^"]+"');
      expect(stdout).toContain('FAIL  exit status 3');
      expect(stdout).toContain('    | {"hostname":"mq.elb.example"}\n');
      expect(stdout).toContain('2 passed, 3 failed, 0 manual');
      expect(status).toBe(3);
    });

    it("judges the plan's own value checks: a pending address, a 404 for a redirect, <unset> endpoints fail", () => {
      const { topology, verification } = planOf({
        name: 'shop',
        environment: { platform: 'aws' },
        components: [
          publicFrontend('web', { host: 'shop.example.com', tls: true }),
          { name: 'api', role: 'api', ports: [{ port: 8080 }], exposure: 'public', host: 'api.example.com' },
          { name: 'mq', role: 'queue', ports: [{ port: 5672 }], exposure: 'private' },
        ],
      });
      const checked = verification.filter(
        (each) =>
          each.command.includes('endpointslices') ||
          each.command.includes('{.status.loadBalancer.ingress[0]}') ||
          each.command.includes("-H 'Host: api.example.com'"),
      );
      expect(checked.map((each) => each.expectOutput)).toEqual([
        '^[^ ]+ +IPv[46] +[^ ]+ +[0-9a-fA-F]+[.:]',
        '"(ip|hostname)":"[^"]+"',
        '^[^ ]+ +IPv[46] +[^ ]+ +[0-9a-fA-F]+[.:]',
        '^301$',
        '^[^ ]+ +IPv[46] +[^ ]+ +[0-9a-fA-F]+[.:]',
        '"(ip|hostname)":"[^"]+"',
      ]);
      const bin = join(workDir, 'stubs');
      execFileSync('mkdir', ['-p', bin]);
      const stubs = (endpoints: string, address: string, code: string) => {
        writeFileSync(
          join(bin, 'kubectl'),
          `#!/bin/sh\ncase "$*" in *endpointslices*) printf '%s\\n' 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE' ${shellQuote(endpoints)} ;; *) printf '%s' ${shellQuote(address)} ;; esac\n`,
          { mode: 0o755 },
        );
        writeFileSync(join(bin, 'curl'), `#!/bin/sh\necho ${code}\n`, { mode: 0o755 });
        return run(renderVerificationScript({ topology, verification: checked }), {
          PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        });
      };
      // What a real cluster prints before anything is ready: exit status 0 every time.
      const pending = stubs('web-x7k2p   IPv4          8080    <unset>     5s', '', '404');
      expect(pending.stdout).toContain('0 passed, 6 failed, 0 manual');
      // The redirect step does not run at all: the address it needs was not found.
      expect(pending.stdout).toContain('FAIL  not run: an address it needs was not found');
      const wrongCode = stubs(
        'web-x7k2p   IPv4   8080   10.244.0.5   5s',
        '{"hostname":"k8s-shop.elb.amazonaws.com"}',
        '404',
      );
      expect(wrongCode.stdout).toContain('FAIL  exit status 0, but no line of the output matches ^301$');
      expect(wrongCode.stdout).toContain('5 passed, 1 failed, 0 manual');
      const ready = stubs(
        'web-x7k2p   IPv4   8080   10.244.0.5,10.244.1.7   5s',
        '{"hostname":"k8s-shop.elb.amazonaws.com"}',
        '301',
      );
      expect(ready.stdout).toContain('6 passed, 0 failed, 0 manual');
      expect(ready.status).toBe(0);
    });
  });

  describe('isolation probes (mustFail)', () => {
    it('pass when the command gets no answer and fail when it gets one', () => {
      const script = renderVerificationScript(
        input([
          step('db', 'echo "nc: timed out" >&2; exit 1', 'No answer', { mustFail: true }),
          step('db', 'echo open', 'No answer', { mustFail: true }),
        ]),
      );
      const { status, stdout } = run(script);
      expect(status).toBe(1);
      expect(stdout).toContain('PASS  expected: No answer\n');
      expect(stdout).toContain('FAIL  it got an answer\n');
    });

    it('fail when the probe never ran: kubectl refused its pod, so the silence proves nothing', () => {
      const script = renderVerificationScript(
        input([
          step(
            'db',
            'echo \'Error from server (Forbidden): pods "tmp-db-5432" is forbidden: violates PodSecurity\' >&2; exit 1',
            'No answer',
            { mustFail: true },
          ),
          step('db', "echo 'error: timed out waiting for the condition' >&2; exit 1", 'No answer', { mustFail: true }),
        ]),
      );
      const { status, stdout } = run(script);
      expect(status).toBe(2);
      expect(stdout.match(/FAIL {2}the probe never ran/g)).toHaveLength(2);
    });

    it("pass the plan's probe only on nc's timeout or refusal: an unresolved name, a missing address or an answer fail", () => {
      const { topology, verification } = planOf({
        name: 'shop',
        environment: { platform: 'aws' },
        components: [{ name: 'db', role: 'database', ports: [{ port: 5432 }] }],
      });
      const probes = verification.filter((each) => each.mustFail === true);
      expect(probes).toHaveLength(1);
      const bin = join(workDir, 'probe');
      execFileSync('mkdir', ['-p', bin]);
      /** kubectl that reads `clusterIp` for the Service and, as `kubectl run`, prints `says` and exits with `status`. */
      const probe = (clusterIp: string, says: string, status: number) => {
        writeFileSync(
          join(bin, 'kubectl'),
          `#!/bin/sh\ncase "$1" in get) printf '%s' ${shellQuote(clusterIp)} ;; run) case "$*" in *' nc -z -vv -w 5 10.96.0.7 5432') printf '%s\\n' ${shellQuote(says)} 'pod default/tmp-db-5432 deleted'; exit ${status} ;; *) echo "unexpected: $*"; exit 9 ;; esac ;; esac\n`,
          { mode: 0o755 },
        );
        return run(renderVerificationScript({ topology, verification: probes }), {
          PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        }).stdout;
      };
      expect(probe('10.96.0.7', 'nc: 10.96.0.7 (10.96.0.7:5432): Connection timed out', 1)).toContain('1 passed');
      expect(probe('10.96.0.7', 'nc: 10.96.0.7 (10.96.0.7:5432): Operation timed out', 1)).toContain('1 passed');
      expect(probe('10.96.0.7', 'nc: 10.96.0.7 (10.96.0.7:5432): Connection refused', 1)).toContain('1 passed');
      expect(probe('10.96.0.7', '10.96.0.7 (10.96.0.7:5432) open', 0)).toContain('FAIL  it got an answer');
      // What a probe printed before: a name the test pod could not resolve, with no policy involved.
      expect(probe('10.96.0.7', "nc: bad address 'db.shop.svc.cluster.local'", 1)).toContain(
        'FAIL  the probe failed, but not for want of an answer',
      );
      expect(probe('10.96.0.7', 'pod default/tmp-db-5432 terminated (Error)', 1)).toContain('1 failed');
      // No cluster IP to probe: it never ran.
      expect(probe('', '', 1)).toContain('FAIL  the probe never ran');
      expect(probe('None', '', 1)).toContain('FAIL  the probe never ran');
    });

    it('reads plans stored before the field: "No answer …" expectations are probes, others are not', () => {
      expect(mustFail(step('db', 'x', 'No answer within 5 seconds'))).toBe(true);
      expect(mustFail(step('db', 'x', 'An answer'))).toBe(false);
      // A stored plan read back, or a caller that does not type-check, may still hold an explicit
      // undefined, which exactOptionalPropertyTypes does not let a literal say: it must read as "not set".
      const explicitlyUnset: VerificationStep = step('db', 'x', 'No answer within 5 seconds');
      Object.assign(explicitlyUnset, { mustFail: undefined });
      expect('mustFail' in explicitlyUnset).toBe(true);
      expect(mustFail(explicitlyUnset)).toBe(true);
    });
  });

  describe('values from earlier steps', () => {
    const routed = [
      step('web', "kubectl get ingress shop -n prod -o jsonpath='{.status.loadBalancer.ingress[0]}'", 'an address'),
      step('web', 'test <ingress-address> = 203.0.113.10', 'the route answers'),
      step('mqtt', 'test <lb-address> = 203.0.113.10', 'the load balancer answers'),
    ];

    it('looks up <ingress-address> and <lb-address> first and runs the steps with them', () => {
      const script = renderVerificationScript(input(routed));
      expect(script).toContain('kubectl get ingress shop -n prod -o jsonpath=');
      expect(script).toContain('kubectl get svc mqtt -n prod -o jsonpath=');
      const { status, stdout } = run(script, { PATH: stubKubectl('203.0.113.10') });
      expect(stdout).toContain('<ingress-address>: 203.0.113.10');
      expect(stdout).toContain('<lb-address> of mqtt: 203.0.113.10');
      expect(status).toBe(0);
    });

    it("reads the address of the Ingress the plan's own address check names (Traefik's shop.tls, say)", () => {
      const onTraefik = [
        step(
          'web',
          "kubectl get ingress shop.tls -n prod -o jsonpath='{.status.loadBalancer.ingress[0]}'",
          'an address',
        ),
        step('web', 'test <ingress-address> = 203.0.113.10', 'the route answers'),
      ];
      const script = renderVerificationScript(input(onTraefik));
      expect(script).toContain('kubectl get ingress shop.tls -n prod -o jsonpath=');
      expect(script).not.toContain('kubectl get ingress shop -n prod');
    });

    it.each([
      ["the plan's own Gateway", {}, 'kubectl get gateway shop -n shop '],
      [
        'a shared Gateway in another namespace',
        { gateway: { name: 'edge', namespace: 'infra' } },
        'kubectl get gateway edge -n infra ',
      ],
    ])('looks up <gateway-address> of %s, so the route requests run instead of printing MANUAL', (_, extra, lookup) => {
      const { topology, verification } = planOf({
        name: 'shop',
        namespace: 'shop',
        environment: { platform: 'bare-metal', routing: 'gateway-api', ...extra },
        components: [
          { name: 'web', role: 'frontend', ports: [{ port: 80 }], exposure: 'public', host: 'shop.example.com' },
        ],
      });
      const script = renderVerificationScript({ topology, verification });
      expect(script).toContain(shellQuote(`${lookup}-o jsonpath='{.status.addresses[0].value}'`));
      expect(script.split('\n').filter((line) => line.startsWith("  manual '"))).toEqual([]);
      // kubectl answers the address lookup; curl answers only when asked through that address.
      const bin = join(workDir, 'gateway');
      execFileSync('mkdir', ['-p', bin]);
      writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\ncase "$*" in *addresses*) echo 203.0.113.9 ;; esac\n`, {
        mode: 0o755,
      });
      writeFileSync(
        join(bin, 'curl'),
        `#!/bin/sh\ncase "$*" in *203.0.113.9*) echo 200 ;; *) echo 000; exit 7 ;; esac\n`,
        {
          mode: 0o755,
        },
      );
      const { stdout } = run(script, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
      expect(stdout).toContain('<gateway-address>: 203.0.113.9');
      expect(stdout).toMatch(/\[\d+\] curl .*http:\/\/"\$GATEWAY_ADDRESS"\/\n {4}\| 200\nPASS/);
    });

    it('fails the steps that need an address not found yet, without running them', () => {
      const { status, stdout } = run(renderVerificationScript(input(routed)), { PATH: stubKubectl('') });
      expect(stdout).toContain('<ingress-address>: (not found yet)');
      expect(stdout.match(/FAIL {2}not run: an address it needs was not found/g)).toHaveLength(2);
      expect(status).toBe(2);
    });

    it('prints a step with a value only the reader knows as MANUAL and does not count it', () => {
      const script = renderVerificationScript(input([step('edge', 'nc -zv -w 5 <node-ip> <node-port>', 'open')]));
      const { status, stdout } = run(script, { PATH: stubKubectl('192.0.2.7') });
      expect(stdout).toContain('MANUAL (fill in <node-port>, not counted): nc -zv -w 5 <node-ip> <node-port>');
      expect(stdout).toContain('0 passed, 0 failed, 1 manual');
      expect(status).toBe(0);
    });
  });

  describe('steps that must run from a particular place (runFrom)', () => {
    const sourced = [
      step('api', 'true', 'api answers'),
      step('api', 'touch RAN; test <lb-address> = 203.0.113.10', 'the load balancer answers', {
        runFrom: 'a host in 198.51.100.0/24',
      }),
    ];

    it('prints them as MANUAL with the place, runs nothing of them and does not count them', () => {
      for (const shell of SHELLS) {
        const { status, stdout } = run(
          renderVerificationScript(input(sourced)),
          { PATH: stubKubectl('192.0.2.1') },
          shell,
        );
        expect(stdout).toContain(
          '[2] MANUAL (run it from a host in 198.51.100.0/24, not counted; VERIFY_RUN_FROM=1 runs it here): touch RAN; test <lb-address> = 203.0.113.10\n      expected: the load balancer answers',
        );
        expect(stdout).toContain('1 passed, 0 failed, 1 manual');
        expect(existsSync(join(workDir, 'RAN'))).toBe(false);
        expect(status).toBe(0);
      }
    });

    it.each([
      ['203.0.113.10', 'PASS  expected: the load balancer answers', '2 passed, 0 failed, 0 manual', 0],
      [
        '192.0.2.1',
        'FAIL  exit status 1\n      expected: the load balancer answers',
        '1 passed, 1 failed, 0 manual',
        1,
      ],
    ])('runs and judges them with VERIFY_RUN_FROM=1 (address %s)', (address, verdict, summary, exit) => {
      const { status, stdout } = run(renderVerificationScript(input(sourced)), {
        PATH: stubKubectl(address),
        VERIFY_RUN_FROM: '1',
      });
      expect(stdout).toContain(verdict);
      expect(stdout).toContain(summary);
      expect(existsSync(join(workDir, 'RAN'))).toBe(true);
      expect(status).toBe(exit);
    });

    it('runs them only for VERIFY_RUN_FROM=1, not for any other value', () => {
      const { stdout } = run(renderVerificationScript(input(sourced)), {
        PATH: stubKubectl('203.0.113.10'),
        VERIFY_RUN_FROM: 'yes',
      });
      expect(stdout).toContain('1 passed, 0 failed, 1 manual');
      expect(existsSync(join(workDir, 'RAN'))).toBe(false);
    });

    it('keeps a hostile place data', () => {
      const script = renderVerificationScript(input([step('api', 'true', 'api answers', { runFrom: NASTY })]));
      for (const shell of SHELLS) {
        const { status, stdout } = run(script, {}, shell);
        expect(stdout).toContain(`MANUAL (run it from ${NASTY}, not counted;`);
        expect(existsSync(join(workDir, 'PWNED'))).toBe(false);
        expect(status).toBe(0);
      }
    });

    it('names the place too where a value only the reader knows makes the step MANUAL anyway', () => {
      const script = renderVerificationScript(
        input([step('edge', 'nc -zv -w 5 <node-ip> <node-port>', 'open', { runFrom: 'a host in 192.0.2.0/24' })]),
      );
      const { stdout } = run(script, { PATH: stubKubectl('192.0.2.7'), VERIFY_RUN_FROM: '1' });
      expect(stdout).toContain('MANUAL (fill in <node-port>, and run it from a host in 192.0.2.0/24, not counted)');
      expect(stdout).toContain('0 passed, 0 failed, 1 manual');
    });

    it("holds a plan's internal load balancer checks until told the script runs inside the private network", () => {
      const { topology, verification } = planOf({
        name: 'shop',
        environment: { platform: 'aws' },
        components: [{ name: 'feed', role: 'api', exposure: 'private', ports: [{ name: 'http', port: 80 }] }],
      });
      const script = renderVerificationScript({ topology, verification });
      expect(script).toContain(
        `  elsewhere 'a host inside the private network' ${shellQuote("curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' http://<lb-address>:80/")} `,
      );
    });
  });

  it('judges a port-forward check by the check, not by the kill that cleans up after it', () => {
    const command = 'sleep 30 >/dev/null & sleep 0; false; kill $!';
    expect(keepCheckStatus(command)).toBe(
      'sleep 30 >/dev/null & sleep 0; false; verify_status=$?; kill $! 2>/dev/null; exit "$verify_status"',
    );
    const { status, stdout } = run(renderVerificationScript(input([step('cache', command, 'open')])));
    expect(stdout).toContain('FAIL  exit status 1');
    expect(status).toBe(1);
  });

  it(`caps the exit status at ${MAX_EXIT_STATUS}`, () => {
    const steps = Array.from({ length: MAX_EXIT_STATUS + 5 }, (_, index) => step('web', 'false', `step ${index}`));
    const { status, stdout } = run(renderVerificationScript(input(steps)));
    expect(stdout).toContain(`0 passed, ${MAX_EXIT_STATUS + 5} failed, 0 manual`);
    expect(status).toBe(MAX_EXIT_STATUS);
  });

  it('stops a step that runs too long, with timeout(1) and with the watchdog where timeout is missing', () => {
    const script = renderVerificationScript(input([step('web', 'sleep 30', 'it ends')]));
    expect(run(script, { VERIFY_STEP_TIMEOUT: '1' }).stdout).toContain('FAIL  did not finish within 1 seconds');
    // A PATH with the tools the script uses, but no timeout.
    const bin = join(workDir, 'no-timeout');
    execFileSync('mkdir', ['-p', bin]);
    for (const tool of ['sh', 'sed', 'grep', 'tr', 'head', 'mktemp', 'rm', 'sleep']) {
      const found = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(found, join(bin, tool));
    }
    const fallback = run(script, { VERIFY_STEP_TIMEOUT: '1', PATH: bin });
    expect(fallback.stdout).toContain('FAIL  did not finish within 1 seconds');
    expect(fallback.status).toBe(1);
  });

  describe("the plan's own commands, run as written against stub tools", () => {
    /** Stub tools first on PATH: each prints what a real one prints; the long-running ones then keep running. */
    function stubTools(tools: Record<string, string>): string {
      const bin = join(workDir, 'tools');
      execFileSync('mkdir', ['-p', bin]);
      for (const [name, body] of Object.entries(tools)) {
        writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      }
      return `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    }
    /** curl and nc that print what they were asked and succeed only for the address the stubs handed out. */
    const CLIENTS = {
      curl: `printf 'curl %s\\n' "$*"; case "$*" in *"$WANT"*) echo 200 ;; *) exit 7 ;; esac`,
      nc: `echo "nc $*"; case "$*" in *"$WANT"*) exit 0 ;; *) exit 1 ;; esac`,
    };

    /** The script of `plan` run with the stub `tools` (and CLIENTS) first on PATH, the clients answering only for `want`. */
    function runAgainstStubs(plan: VerificationScriptInput, tools: Record<string, string>, want: string) {
      return run(renderVerificationScript(plan), {
        PATH: stubTools({ ...CLIENTS, ...tools }),
        WANT: want,
        VERIFY_STEP_TIMEOUT: '20',
      });
    }

    function demoPlan(platform: string) {
      return planOf({
        name: 'demo',
        environment: { platform },
        components: [
          {
            name: 'web',
            role: 'other',
            exposure: 'node',
            ports: [
              { name: 'http', port: 80 },
              { name: 'mqtt', port: 1883 },
            ],
          },
        ],
      });
    }

    it('a port-forward reads the free local port kubectl picked and checks through it', () => {
      const { topology, verification } = demoPlan('bare-metal');
      const forwards = verification.filter((each) => each.command.includes('kubectl port-forward'));
      expect(forwards).toHaveLength(2);
      // kubectl prints its two "Forwarding from" lines, then forwards until it is stopped.
      const kubectl = `printf 'Forwarding from 127.0.0.1:43567 -> 80\\nForwarding from [::1]:43567 -> 80\\n'; exec sleep 30`;
      const { status, stdout } = runAgainstStubs({ topology, verification: forwards }, { kubectl }, '43567');
      expect(stdout).toContain('| curl -sS -m 5 -o /dev/null -w %{http_code}\\n http://127.0.0.1:43567/');
      expect(stdout).toContain('| nc -zv -w 5 127.0.0.1 43567');
      expect(stdout).toContain('2 passed, 0 failed');
      expect(status).toBe(0);
    });

    it('a port-forward that never starts fails its step instead of checking some other port', () => {
      const { topology, verification } = demoPlan('bare-metal');
      const forward = verification.filter((each) => each.command.includes('kubectl port-forward')).slice(0, 1);
      const kubectl = `echo 'error: unable to forward port because pod is not running' >&2; exit 1`;
      const { status, stdout } = runAgainstStubs({ topology, verification: forward }, { kubectl }, 'never');
      expect(stdout).toContain('port-forward did not start');
      expect(stdout).not.toContain('| curl');
      expect(status).toBe(1);
    });

    it('a port-forward slow to start is stopped when the step gives up on it, not left running', () => {
      const { topology, verification } = demoPlan('bare-metal');
      const forward = verification.filter((each) => each.command.includes('kubectl port-forward')).slice(0, 1);
      // kubectl that prints nothing for longer than the step waits, and writes its pid to find it afterwards.
      const pidFile = join(workDir, 'forward.pid');
      const kubectl = `echo $$ > ${shellQuote(pidFile)}; exec sleep 60`;
      const { status, stdout } = runAgainstStubs({ topology, verification: forward }, { kubectl }, 'never');
      expect(stdout).toContain('port-forward did not start');
      expect(status).toBe(1);
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      // Gone, or a zombie its new parent has not reaped yet: the step stopped it before it exited.
      const state = existsSync(`/proc/${pid}/status`)
        ? /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
        : spawnSync('kill', ['-0', String(pid)]).status === 0
          ? 'running'
          : undefined;
      expect(state === undefined || state === 'Z').toBe(true);
    }, 30_000);

    it('elsewhere a NodePort step reads the port Kubernetes assigned itself; only the node address is looked up', () => {
      const { topology, verification } = demoPlan('bare-metal');
      const reach = verification.filter((each) => each.command.includes('<node-ip>'));
      expect(reach).toHaveLength(2);
      const kubectl = `case "$*" in *'get nodes'*) echo 192.0.2.7 ;; *nodePort*) echo 31234 ;; *) exit 1 ;; esac`;
      const { status, stdout } = runAgainstStubs({ topology, verification: reach }, { kubectl }, '192.0.2.7');
      expect(stdout).toContain('http://192.0.2.7:31234/');
      expect(stdout).toContain('| nc -zv -w 5 192.0.2.7 31234');
      expect(stdout).toContain('2 passed, 0 failed, 0 manual');
      expect(status).toBe(0);
    });

    it('minikube: each port is reached at the URL `minikube service --url` prints for it, tunnel or not', () => {
      const { topology, verification } = demoPlan('minikube');
      const reach = verification.filter((each) => each.command.includes('minikube service'));
      expect(reach).toHaveLength(2);
      // As with the Docker driver on macOS: one line per port, then the tunnel stays open.
      const minikube = `case "$*" in *'{{.IP}}:{{.Port}}'*) sep=: ;; *) sep=' ' ;; esac; printf '127.0.0.1%s50001\\n127.0.0.1%s50002\\n' "$sep" "$sep"; exec sleep 30`;
      const first = runAgainstStubs(
        { topology, verification: reach.slice(0, 1) },
        { minikube },
        'http://127.0.0.1:50001/',
      );
      expect(first.stdout).toContain('1 passed, 0 failed');
      const second = runAgainstStubs({ topology, verification: reach.slice(1) }, { minikube }, '127.0.0.1 50002');
      expect(second.stdout).toContain('| nc -zv -w 5 127.0.0.1 50002');
      expect(second.stdout).toContain('1 passed, 0 failed');
    });
  });

  describe.each(readdirSync(FIXTURES_DIR).filter((file) => file.endsWith('.json')))('fixture %s', (file) => {
    const outcome = plan(JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')));
    if (!outcome.ok) {
      throw new Error(`${file} does not plan`);
    }
    const script = renderVerificationScript({ ...outcome.plan, id: 'fixture' });

    it.each(SHELLS)('parses with %s -n', (shell) => {
      const path = join(workDir, 'verify.sh');
      writeFileSync(path, script);
      expect(spawnSync(shell, ['-n', path], { encoding: 'utf8' }).stderr).toBe('');
    });

    it('has one line per verification step and one header per component', () => {
      const stepLines = script.split('\n').filter((line) => /^ {2}(check|manual|elsewhere) /.test(line));
      expect(stepLines).toHaveLength(outcome.plan.verification.length);
      // Every step that must run from elsewhere waits for VERIFY_RUN_FROM=1, or is MANUAL for a value too.
      const located = stepLines.filter(
        (line) =>
          line.startsWith('  elsewhere ') || (line.startsWith('  manual ') && line.includes(', and run it from ')),
      );
      expect(located).toHaveLength(outcome.plan.verification.filter((each) => each.runFrom !== undefined).length);
      const components = new Set(outcome.plan.verification.map((each) => each.component));
      expect(script.split('\n').filter((line) => line.startsWith('  header '))).toHaveLength(components.size);
      const probes = outcome.plan.verification.filter((each) => each.mustFail === true).length;
      expect(stepLines.filter((line) => line.startsWith('  check no-answer '))).toHaveLength(probes);
    });
  });
});
