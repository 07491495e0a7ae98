import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { plan } from './plan.js';
import { planOf, publicFrontend } from './testing/topology-inputs.js';
import {
  NAMESPACE,
  buildComponent,
  buildIngressPlan,
  buildPort,
  topologyWith,
  buildRecommendation,
} from './testing/builders.js';
import type { Component, Environment, IngressPlan, Recommendation, VerificationStep } from './types.js';
import { podName, verificationSteps } from './verification.js';
import { at } from './testing/items.js';

const NODE_PORT: Partial<Recommendation> = { serviceType: 'NodePort', entryPoint: 'node-port' };
const PUBLIC_LB: Partial<Recommendation> = {
  serviceType: 'LoadBalancer',
  entryPoint: 'load-balancer',
  scheme: 'internet-facing',
};
const VIA_INGRESS: Partial<Recommendation> = { serviceType: 'ClusterIP', entryPoint: 'ingress' };

/** The steps for one component `app`, optionally next to other components (callers). */
function stepsFor(
  component: Partial<Component>,
  recommendation: Partial<Recommendation> = {},
  options: { others?: Component[]; environment?: Partial<Environment>; ingress?: IngressPlan | null } = {},
): VerificationStep[] {
  const others = options.others ?? [];
  const topology = topologyWith([buildComponent({ name: 'app', ...component }), ...others], options.environment);
  const recommendations = [
    buildRecommendation('app', recommendation),
    ...others.map((other) =>
      buildRecommendation(other.name, { serviceType: other.ports.length > 0 ? 'ClusterIP' : null }),
    ),
  ];
  return verificationSteps(topology, recommendations, options.ingress ?? null).filter(
    (step) => step.component === 'app',
  );
}

const commands = (steps: VerificationStep[]) => steps.map((step) => step.command);
const stepWith = (steps: VerificationStep[], fragment: string) => steps.find((step) => step.command.includes(fragment));

describe(verificationSteps.name, () => {
  it('gives no step to a component without a Service', () => {
    expect(stepsFor({ role: 'worker', ports: [] }, { serviceType: null })).toEqual([]);
  });

  describe('ClusterIP, in-cluster only', () => {
    const steps = stepsFor(
      { ports: [buildPort({ name: 'http', port: 80, targetPort: 8080 })] },
      {},
      {
        others: [
          buildComponent({ name: 'web', dependsOn: ['app'] }),
          buildComponent({ name: 'cron', role: 'worker', ports: [], dependsOn: ['app'] }),
        ],
      },
    );

    it('checks the endpoints, the port through a port-forward, and that a stranger pod is refused', () => {
      expect(commands(steps)).toEqual([
        `kubectl get endpointslices -n ${NAMESPACE} -l kubernetes.io/service-name=app`,
        expect.stringContaining(`kubectl port-forward -n ${NAMESPACE} svc/app :80 `),
        expect.stringMatching(
          new RegExp(
            `^ip=\\$\\(kubectl get svc app -n ${NAMESPACE} -o jsonpath='\\{\\.spec\\.clusterIP\\}'\\); .*; kubectl run tmp-app-80 --rm -i --restart=Never --image=busybox:[0-9.]+ -n ${NAMESPACE} .* -- nc -z -vv -w 5 "\\$ip" 80$`,
          ),
        ),
      ]);
      // An isolation probe is judged by nc's own timeout or refusal, nothing else (verify.sh).
      expect(at(steps, 2).expectOutput).toBe(
        '^nc: .*: ([Cc]onnection|[Oo]peration) timed out$|^nc: .*: [Cc]onnection refused$',
      );
      expect(at(steps, 1).command).toContain(
        `curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:"$p"/; kill $!`,
      );
    });

    it('says in plain words what to expect', () => {
      expect(at(steps, 0).expect).toContain('2 when all 2 replicas are ready');
      expect(at(steps, 0).expect).toContain('app=app');
      expect(at(steps, 1).expect).toContain('targetPort 8080');
      expect(at(steps, 2).expect).toContain('No answer within 5 seconds');
      expect(at(steps, 2).expect).toContain('only the pods of web, cron may connect');
    });

    it('says no pod may connect when nothing depends on the component', () => {
      expect(stepWith(stepsFor({}), 'kubectl run')?.expect).toContain('no other pod may connect');
    });
  });

  it('probes a non-HTTP TCP port with nc from busybox, in the pod and through the port-forward', () => {
    const steps = stepsFor({ role: 'database', ports: [buildPort({ name: 'postgres', port: 5432 })] });
    const probe = stepWith(steps, 'kubectl run');
    expect(probe?.command).toMatch(/--image=busybox:1\.36 /);
    expect(probe?.command).toMatch(/-- nc -z -vv -w 5 "\$ip" 5432$/);
    const forward = stepWith(steps, 'port-forward');
    expect(forward?.command).toContain(`kubectl port-forward -n ${NAMESPACE} svc/app :5432 `);
    expect(forward?.command).toContain(
      `[ -n "$p" ] || { kill $! 2>/dev/null; echo 'port-forward did not start' >&2; exit 1; }; nc -zv -w 5 127.0.0.1 "$p"; kill $!`,
    );
  });

  describe('port-forwards', () => {
    it.each([80, 443, 5432, 8080])(
      'to port %i listen on a local port kubectl picks, never a fixed one that may be taken',
      (port) => {
        const forward = stepWith(stepsFor({ ports: [buildPort({ name: 'p', port })] }), 'port-forward');
        expect(forward?.command).toContain(` svc/app :${port} `);
        expect(forward?.command).not.toMatch(/svc\/app [0-9]+:/);
        expect(forward?.command).not.toMatch(/127\.0\.0\.1:[0-9]/);
        expect(forward?.command).toMatch(/; kill \$!$/);
      },
    );
  });

  describe('test pods pass the restricted Pod Security level', () => {
    const everyPod = [
      ...stepsFor(
        { role: 'database', workload: 'StatefulSet', ports: [buildPort({ name: 'postgres', port: 5432 })] },
        { headless: true },
      ),
      ...stepsFor({ ports: [buildPort({ name: 'http', port: 80 }), buildPort({ name: 'https', port: 443 })] }),
      ...stepsFor({ externalName: 'legacy.example.com', ports: [] }, { serviceType: 'ExternalName' }),
    ].filter((step) => step.command.includes('kubectl run '));

    it('covers nc and nslookup pods', () => {
      expect(new Set(everyPod.map((step) => at(at(step.command.split(' -- '), 1).split(' '), 0)))).toEqual(
        new Set(['nc', 'nslookup']),
      );
    });

    it.each(everyPod.map((step) => [/kubectl run (\S+)/.exec(step.command)?.[1], step.command] as const))(
      '%s: --rm, never restarted, non-root by number, no escalation, no capabilities, RuntimeDefault seccomp',
      (name, command) => {
        expect(command).toContain(' --rm -i --restart=Never ');
        expect(command).toContain(' --override-type=strategic ');
        const overrides = JSON.parse(/--overrides='([^']*)'/.exec(command)?.[1] ?? 'null') as {
          spec: {
            securityContext: Record<string, unknown>;
            containers: { name: string; securityContext: Record<string, unknown> }[];
          };
        };
        expect(overrides.spec.securityContext).toEqual({
          runAsNonRoot: true,
          runAsUser: expect.any(Number),
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(overrides.spec.securityContext.runAsUser).toBeGreaterThan(0);
        // The strategic merge finds the generated container by name: kubectl names it after the pod.
        expect(overrides.spec.containers).toEqual([
          { name, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
        ]);
      },
    );

    it('runs busybox as nobody', () => {
      const uids = everyPod.map((step) => /"runAsUser":([0-9]+)/.exec(step.command)?.[1]);
      expect(everyPod.every((step) => step.command.includes('--image=busybox:1.36 '))).toBe(true);
      expect(new Set(uids)).toEqual(new Set(['65534']));
    });

    it("labels them, so the plan's egress.verification-probes policy selects them where egress is restricted", () => {
      for (const step of everyPod) {
        expect(step.command).toContain(
          ' --labels=app.kubernetes.io/component=verification-probe,app.kubernetes.io/managed-by=exposure-planner ',
        );
      }
    });
  });

  it.each([
    ['appProtocol kubernetes.io/h2c', buildPort({ name: 'api', port: 8080, appProtocol: 'kubernetes.io/h2c' })],
    ['a port named h2c-…', buildPort({ name: 'h2c-api', port: 8080 })],
  ])('speaks HTTP/2 from the first byte to a port that speaks cleartext HTTP/2 only (%s)', (_, port) => {
    // An HTTP/1.1 request gets the connection closed: curl would print 000 for a working server.
    const forward = stepWith(stepsFor({ role: 'api', ports: [port] }), 'port-forward');
    expect(forward?.command).toContain(`-w '%{http_code}\\n' --http2-prior-knowledge http://127.0.0.1:`);
    expect(forward?.expect).toContain('over cleartext HTTP/2');
  });

  it('speaks plain HTTP/1.1 to an HTTP port', () => {
    const forward = stepWith(stepsFor({ ports: [buildPort({ name: 'http', port: 80 })] }), 'port-forward');
    expect(forward?.command).not.toContain('--http2-prior-knowledge');
  });

  it('uses https and -k for a TLS port reached by address', () => {
    const steps = stepsFor({ ports: [buildPort({ name: 'https', port: 443 })] });
    expect(stepWith(steps, 'port-forward')?.command).toContain('curl -sSk -m 5');
    expect(stepWith(steps, 'port-forward')?.command).toContain('https://127.0.0.1:"$p"/');
    // The isolation probe is L4: the TLS port is probed with nc like any other.
    expect(stepWith(steps, 'kubectl run')?.command).toMatch(/-- nc -z -vv -w 5 "\$ip" 443$/);
  });

  it('checks UDP ports only through the endpoints, and says so', () => {
    const steps = stepsFor({
      role: 'other',
      ports: [buildPort({ name: 'dns-udp', port: 53, protocol: 'UDP' }), buildPort({ name: 'dns-tcp', port: 53 })],
    });
    expect(at(steps, 0).expect).toContain('the only check for 53/UDP (dns-udp)');
    expect(steps.filter((step) => step.command.includes('port-forward'))).toHaveLength(1);
    expect(steps.filter((step) => step.command.includes('kubectl run '))).toHaveLength(1);
  });

  describe('NodePort', () => {
    it.each([
      [
        30080,
        'pinned',
        `'{.spec.ports[?(@.name=="http")].nodePort}'`,
        '30080, the node port pinned',
        'http://<node-ip>:30080/',
      ],
      [
        undefined,
        'assigned',
        `'{.spec.ports[?(@.name=="http")].nodePort}'`,
        'that Kubernetes assigned',
        'http://<node-ip>:"${np:?the Service has no node port}"/',
      ],
    ])('node port %s (%s)', (nodePort, _kind, jsonpath, expected, url) => {
      const steps = stepsFor(
        {
          exposure: 'node',
          allowedSources: ['192.0.2.10/32'],
          ports: [buildPort({ name: 'http', port: 80, ...(nodePort === undefined ? {} : { nodePort }) })],
        },
        NODE_PORT,
      );
      const lookup = stepWith(steps, 'jsonpath');
      expect(lookup?.command).toBe(`kubectl get svc app -n ${NAMESPACE} -o jsonpath=${jsonpath}`);
      expect(lookup?.expect).toContain(expected);
      const reach = stepWith(steps, '<node-ip>');
      // An assigned port is read from the Service by the step itself: nothing left to fill in but the node.
      const read = nodePort === undefined ? `np=$(${lookup?.command}); ` : '';
      expect(reach?.command).toBe(`${read}curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' ${url}`);
      expect(reach?.expect).toContain('from a host in 192.0.2.10/32');
      expect(commands(steps).some((command) => command.startsWith('kubectl run'))).toBe(false);
    });

    it('filters an unnamed port by number and probes TCP with nc', () => {
      const steps = stepsFor(
        { role: 'other', exposure: 'node', ports: [buildPort({ port: 1883, nodePort: 30050 })] },
        NODE_PORT,
      );
      expect(stepWith(steps, 'jsonpath')?.command).toContain(`'{.spec.ports[?(@.port==1883)].nodePort}'`);
      expect(commands(steps)).toContain('nc -zv -w 5 <node-ip> 30050');
    });

    it('points at a node that runs a pod when the traffic policy is Local', () => {
      const steps = stepsFor({ exposure: 'public', preserveClientIp: true }, NODE_PORT, {
        environment: { platform: 'bare-metal' },
      });
      expect(stepWith(steps, '<node-ip>')?.expect).toContain('of a node that runs a pod of app');
    });

    describe('on minikube', () => {
      const steps = stepsFor(
        {
          role: 'other',
          exposure: 'public',
          ports: [buildPort({ name: 'http', port: 80 }), buildPort({ name: 'mqtt', port: 1883 })],
        },
        NODE_PORT,
        { environment: { platform: 'minikube' } },
      );
      const reach = steps.filter((step) => step.command.includes('minikube service'));

      it('reaches each port through `minikube service --url`, never $(minikube ip), which the Docker driver breaks', () => {
        expect(reach).toHaveLength(2);
        for (const step of reach) {
          expect(step.command).toContain(`minikube service app -n ${NAMESPACE} --url `);
          expect(step.command).not.toContain('minikube ip');
          expect(step.command).not.toContain('<node-ip>');
          expect(step.command).toMatch(/; kill \$!$/);
        }
      });

      it('reads the URL of the port it checks: one line per Service port, in port order', () => {
        expect(at(reach, 0).command).toContain(`sed -n '1p'`);
        expect(at(reach, 0).command).toContain(`curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' "http://$u/"`);
        expect(at(reach, 1).command).toContain(`sed -n '2p'`);
        expect(at(reach, 1).command).toContain(
          `[ -n "$u" ] || { kill $! 2>/dev/null; echo 'minikube service printed no URL' >&2; exit 1; }; nc -zv -w 5 $u; kill $!`,
        );
      });
    });

    describe('on kind', () => {
      const topology = topologyWith(
        [
          buildComponent({ name: 'web', exposure: 'public', ports: [buildPort({ name: 'http', port: 80 })] }),
          buildComponent({
            name: 'edge',
            role: 'other',
            exposure: 'node',
            ports: [
              buildPort({ name: 'mqtt', port: 1883, nodePort: 30001 }),
              buildPort({ name: 'stats', port: 8125, protocol: 'UDP' }),
              buildPort({ name: 'admin', port: 8080 }),
            ],
          }),
        ],
        { platform: 'kind' },
      );
      const recommendations = ['web', 'edge'].map((name) => buildRecommendation(name, NODE_PORT));
      const steps = verificationSteps(topology, recommendations, null);
      const lookups = steps.filter((step) => step.command.includes('nodePort}'));

      it('pins every node port, skipping the ones the topology pins, and curls it on 127.0.0.1', () => {
        expect(lookups.map((step) => step.expect.split(',')[0])).toEqual(['30000', '30001', '30002', '30003']);
        expect(commands(steps)).toEqual(
          expect.arrayContaining([
            `curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:30000/`,
            'nc -zv -w 5 127.0.0.1 30001',
            `curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:30003/`,
          ]),
        );
        expect(
          commands(steps).some((command) => command.includes('<node-ip>') || command.includes('<node-port>')),
        ).toBe(false);
      });

      it('sends a UDP check to this machine, the only one its mapping listens for', () => {
        expect(at(lookups, 2).expect).toContain(
          "check it with the application's own client on the machine that runs kind, at 127.0.0.1:30002.",
        );
        expect(at(lookups, 2).expect).not.toContain('from a host outside the cluster');
      });

      it('gives the whole config once, then each port its own entry, so the plan stays linear in size', () => {
        expect(lookups.filter((step) => step.expect.includes('apiVersion: kind.x-k8s.io/v1alpha4'))).toEqual([
          lookups[0],
        ]);
        expect(at(lookups, 3).expect).toContain(
          '{containerPort: 30003, hostPort: 30003, listenAddress: "127.0.0.1", protocol: TCP}, listening on 127.0.0.1, so only this machine connects, part of the cluster config given in the first node-port check (web)',
        );
      });

      it('gives the kind cluster config with the extraPortMappings of every pinned port, as YAML kind reads', () => {
        const config =
          /of every node port of the plan, each listening on 127\.0\.0\.1, so only this machine connects: (\{.*\})\./.exec(
            at(lookups, 0).expect,
          )?.[1];
        expect(load(config ?? '')).toEqual({
          kind: 'Cluster',
          apiVersion: 'kind.x-k8s.io/v1alpha4',
          nodes: [
            {
              role: 'control-plane',
              extraPortMappings: [
                { containerPort: 30000, hostPort: 30000, listenAddress: '127.0.0.1', protocol: 'TCP' },
                { containerPort: 30001, hostPort: 30001, listenAddress: '127.0.0.1', protocol: 'TCP' },
                { containerPort: 30002, hostPort: 30002, listenAddress: '127.0.0.1', protocol: 'UDP' },
                { containerPort: 30003, hostPort: 30003, listenAddress: '127.0.0.1', protocol: 'TCP' },
              ],
            },
          ],
        });
      });
    });
  });

  describe('LoadBalancer', () => {
    it('checks that the address is no longer pending, then reaches each port from the right place', () => {
      const steps = stepsFor(
        { exposure: 'public', ports: [buildPort({ name: 'http', port: 80 }), buildPort({ name: 'mqtt', port: 1883 })] },
        PUBLIC_LB,
      );
      expect(commands(steps)).toEqual(
        expect.arrayContaining([
          `kubectl get svc app -n ${NAMESPACE} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
          `curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' http://<lb-address>:80/`,
          'nc -zv -w 5 <lb-address> 1883',
        ]),
      );
      expect(stepWith(steps, 'status.loadBalancer')?.expect).toContain('<pending>');
      expect(stepWith(steps, '<lb-address>:80')?.expect).toContain('from any host on the internet');
    });

    it.each([
      ['aws', true],
      ['gcp', false],
      ['azure', false],
      ['digitalocean', false],
      ['bare-metal', false],
    ] as const)('speaks of AWS DNS names in the address check only on AWS (%s)', (platform, aws) => {
      const steps = stepsFor({ exposure: 'public', ports: [buildPort({ name: 'mqtt', port: 1883 })] }, PUBLIC_LB, {
        environment: { platform },
      });
      const expected = stepWith(steps, 'status.loadBalancer')?.expect ?? '';
      expect(expected).toContain('{"ip":"203.0.113.10"} or {"hostname":"..."}');
      expect(expected.includes('AWS')).toBe(aws);
    });

    it.each([
      [
        { exposure: 'public', allowedSources: ['203.0.113.0/24'] },
        'internet-facing',
        'from a host in 203.0.113.0/24; from any other address it must time out',
      ],
      [
        { exposure: 'private', allowedSources: ['10.0.0.0/8'] },
        'internal',
        'from a host inside the private network (10.0.0.0/8)',
      ],
    ] as [Partial<Component>, 'internal' | 'internet-facing', string][])(
      '%o on a %s LB',
      (component, scheme, where) => {
        const steps = stepsFor(component, { ...PUBLIC_LB, scheme });
        expect(stepWith(steps, '<lb-address>')?.expect).toContain(where);
      },
    );
  });

  it('on a local cluster with a pool, reaches the LoadBalancer from the machine that runs the cluster', () => {
    const steps = stepsFor({ exposure: 'public' }, PUBLIC_LB, {
      environment: { platform: 'kind', loadBalancerProvider: 'metallb' },
    });
    const reach = steps.find((step) => step.command.includes('<lb-address>'));
    expect(reach?.expect).toContain('from the machine that runs the cluster');
    expect(reach?.expect).not.toContain('internet');
  });

  describe('Ingress', () => {
    const topology = topologyWith([
      buildComponent({ name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com', tls: true }),
      buildComponent({ name: 'api', exposure: 'public', host: 'api.example.com', path: '/v1' }),
      buildComponent({ name: 'docs', role: 'frontend', exposure: 'public', path: '/docs' }),
    ]);
    const recommendations = ['web', 'api', 'docs'].map((name) => buildRecommendation(name, VIA_INGRESS));
    const ingress = buildIngressPlan(['web', 'api', 'docs'], { className: 'traefik', controllerPresent: false });
    const steps = verificationSteps(topology, recommendations, ingress);

    it('checks the shared address once, under the first routed component and on its Ingress', () => {
      const address = steps.filter((step) => step.command.includes('get ingress'));
      // web's host has TLS and the others do not: Traefik routes it on the shared TLS Ingress.
      expect(address).toEqual([
        expect.objectContaining({
          component: 'web',
          command: `kubectl get ingress shop.tls -n ${NAMESPACE} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
        }),
      ]);
      expect(at(address, 0).expect).toContain('until the traefik controller is installed');
    });

    it.each([
      ['web', `--connect-to shop.example.com:443:<ingress-address>:443 https://shop.example.com/`],
      ['api', `-H 'Host: api.example.com' http://<ingress-address>/v1`],
      ['docs', `-w '%{http_code}\\n' http://<ingress-address>/docs`],
    ])('curls %s with the right host, TLS name and path', (component, fragment) => {
      const route = steps.filter((step) => step.component === component && step.command.includes('<ingress-address>'));
      expect(route).toHaveLength(1);
      expect(at(route, 0).command).toContain(fragment);
    });

    it('on Traefik: checks over HTTPS every route of a host with TLS, since router.tls makes plain HTTP a 404', () => {
      const traefikSteps = verificationSteps(
        topologyWith([
          buildComponent({ name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com', tls: true }),
          buildComponent({ name: 'cart', exposure: 'public', host: 'shop.example.com', path: '/cart' }),
          buildComponent({ name: 'docs', role: 'frontend', exposure: 'public', path: '/docs' }),
        ]),
        ['web', 'cart', 'docs'].map((name) => buildRecommendation(name, VIA_INGRESS)),
        buildIngressPlan(['web', 'cart', 'docs'], { className: 'traefik' }),
      );
      const routeOf = (component: string) =>
        traefikSteps.find((step) => step.component === component && step.command.includes('<ingress-address>'));
      // cart does not ask for TLS, but shares a host that does: Traefik serves it over HTTPS only.
      expect(routeOf('cart')?.command).toContain(
        '--connect-to shop.example.com:443:<ingress-address>:443 https://shop.example.com/cart',
      );
      expect(routeOf('cart')?.expect).toContain('another component on shop.example.com wants TLS');
      // docs's host has no TLS: its own Ingress, plain HTTP.
      expect(routeOf('docs')?.command).toContain('http://<ingress-address>/docs');
    });

    it('on an ALB: blames a missing ACM certificate, not a Secret, and expects the HTTP-to-HTTPS redirect elsewhere', () => {
      const albSteps = verificationSteps(
        topology,
        recommendations,
        buildIngressPlan(['web', 'api', 'docs'], { className: 'alb', controllerPresent: false }),
      );
      const routeOf = (component: string) =>
        albSteps.find((step) => step.component === component && step.command.includes('<ingress-address>'));
      expect(routeOf('web')?.command).toContain('https://shop.example.com/');
      expect(routeOf('web')?.expect).toContain('AWS Certificate Manager');
      expect(routeOf('web')?.expect).not.toContain('certificate Secret for');
      // ssl-redirect applies to every rule of the ALB once any routed component wants TLS.
      expect(routeOf('api')?.command).toContain(`-H 'Host: api.example.com' http://<ingress-address>/v1`);
      expect(routeOf('api')?.expect).toContain('301');
      // Without any TLS there is no redirect.
      const plain = verificationSteps(
        topologyWith([buildComponent({ name: 'docs', role: 'frontend', exposure: 'public', path: '/docs' })]),
        [buildRecommendation('docs', VIA_INGRESS)],
        buildIngressPlan(['docs'], { className: 'alb' }),
      ).find((step) => step.command.includes('<ingress-address>'));
      expect(plain?.expect).not.toContain('301');
    });

    it.each([
      ['gce', 'GKE redirects every HTTP request to HTTPS'],
      ['alb', 'the ALB redirects every HTTP request to HTTPS'],
    ])('on %s with TLS: expects the 301 of the redirect on a plain-HTTP route', (className, redirect) => {
      const routeOf = (component: string) =>
        verificationSteps(
          topologyWith(topology.components, { platform: className === 'gce' ? 'gcp' : 'aws' }),
          recommendations,
          buildIngressPlan(['web', 'api', 'docs'], { className }),
        ).find((step) => step.component === component && step.command.includes('<ingress-address>'));
      expect(routeOf('api')?.command).toContain(`-H 'Host: api.example.com' http://<ingress-address>/v1`);
      expect(routeOf('api')?.expect).toMatch(new RegExp(`^301: ${redirect}`));
    });

    it('on gce-internal with TLS: checks every route over HTTPS, since plain HTTP is off', () => {
      const internalSteps = verificationSteps(
        topologyWith(topology.components, { platform: 'gcp', ingressController: 'gce-internal' }),
        recommendations,
        buildIngressPlan(['web', 'api', 'docs'], { className: 'gce-internal' }),
      );
      const routeOf = (component: string) =>
        internalSteps.find((step) => step.component === component && step.command.includes('<ingress-address>'));
      expect(routeOf('web')?.command).toContain('--connect-to shop.example.com:443:<ingress-address>:443');
      expect(routeOf('api')?.command).toMatch(
        /^curl -sSk .* -H 'Host: api\.example\.com' https:\/\/<ingress-address>\/v1$/,
      );
      expect(routeOf('docs')?.command).toMatch(/ https:\/\/<ingress-address>\/docs$/);
      expect(routeOf('api')?.expect).toContain('HTTPS only');
      expect(internalSteps.some((step) => / http:\/\/<ingress-address>/.test(step.command))).toBe(false);
    });

    it('curls each routed component at the path it asked for', () => {
      const routes = topologyWith([
        buildComponent({ name: 'home', role: 'frontend', exposure: 'public' }),
        buildComponent({ name: 'v1', exposure: 'public', host: 'api.example.com', path: '/v1' }),
      ]);
      const routed = routes.components.map((component) => component.name);
      const routeSteps = verificationSteps(
        routes,
        routed.map((name) => buildRecommendation(name, VIA_INGRESS)),
        buildIngressPlan(routed, { className: 'traefik' }),
      );
      const routeOf = (component: string) =>
        routeSteps.find((step) => step.component === component && step.command.includes('<ingress-address>'));
      expect(routeOf('home')?.command).toMatch(/http:\/\/<ingress-address>\/$/);
      expect(routeOf('v1')?.command).toMatch(/ http:\/\/<ingress-address>\/v1$/);
    });
  });

  it('resolves an ExternalName and checks nothing else', () => {
    const steps = stepsFor({ externalName: 'legacy.corp.example.com', ports: [] }, { serviceType: 'ExternalName' });
    expect(steps).toEqual([
      {
        component: 'app',
        command: expect.stringMatching(
          new RegExp(
            `^kubectl run tmp-app-dns --rm -i --restart=Never --image=busybox:1\\.36 -n ${NAMESPACE} .* -- nslookup app\\.${NAMESPACE}\\.svc\\.cluster\\.local$`,
          ),
        ),
        expect: expect.stringContaining('CNAME) pointing at legacy.corp.example.com'),
        // busybox prints `<name>\tcanonical name = legacy.corp.example.com`: the dots literal.
        expectOutput: 'canonical name = legacy\\.corp\\.example\\.com\\.?$',
      },
    ]);
  });

  it.each([
    ['StatefulSet', 2],
    ['Deployment', 1],
  ] as const)('checks a headless Service of a %s by DNS (%i steps), not-ready pods included', (workload, count) => {
    const steps = stepsFor(
      { workload, replicas: 3, role: 'database', ports: [buildPort({ name: 'postgres', port: 5432 })] },
      { headless: true },
    );
    const dns = steps.filter((step) => step.command.includes('nslookup'));
    expect(dns).toHaveLength(count);
    expect(at(dns, 0).command).toMatch(/^kubectl run tmp-app-headless /);
    expect(at(dns, 0).command).toMatch(new RegExp(` -- nslookup app-headless\\.${NAMESPACE}\\.svc\\.cluster\\.local$`));
    // publishNotReadyAddresses: DNS answers for starting pods too, so the check must not wait for readiness.
    expect(at(dns, 0).expect).toContain('ready or not');
    expect(at(dns, 0).expect).toContain('3 for 3 replicas');
    expect(at(dns, 0).expect).not.toContain('per ready pod');
    if (workload === 'StatefulSet') {
      expect(at(dns, 1).command).toContain(`nslookup app-0.app-headless.${NAMESPACE}.svc.cluster.local`);
      expect(at(dns, 1).expect).toContain('before it is ready');
    }
  });

  it('namespaces every kubectl command and keeps the components in input order', () => {
    const topology = topologyWith([
      buildComponent({ name: 'web', role: 'frontend', exposure: 'public' }),
      buildComponent({
        name: 'db',
        role: 'database',
        workload: 'StatefulSet',
        ports: [buildPort({ name: 'postgres', port: 5432 })],
      }),
      buildComponent({ name: 'edge', exposure: 'node' }),
      buildComponent({ name: 'ext', externalName: 'ext.example.com', ports: [] }),
    ]);
    const recommendations = [
      buildRecommendation('ext', { serviceType: 'ExternalName' }),
      buildRecommendation('edge', NODE_PORT),
      buildRecommendation('db', { headless: true }),
      buildRecommendation('web', PUBLIC_LB),
    ];
    const steps = verificationSteps(topology, recommendations, null);
    for (const step of steps.filter(
      (candidate) => candidate.command.startsWith('kubectl') && !candidate.command.startsWith('kubectl get nodes'),
    )) {
      expect(step.command).toMatch(new RegExp(`-n ${NAMESPACE}( |$)`));
    }
    const order = steps.map((step) => step.component).filter((name, index, all) => all.indexOf(name) === index);
    expect(order).toEqual(['web', 'db', 'edge', 'ext']);
    expect(verificationSteps(topology, [...recommendations].reverse(), null)).toEqual(steps);
  });
});

describe(podName.name, () => {
  it.each([
    ['api', '80', 'tmp-api-80'],
    ['a'.repeat(63), 'headless', `tmp-${'a'.repeat(50)}-headless`],
    [`${'a'.repeat(53)}-bbb`, '5432', `tmp-${'a'.repeat(53)}-5432`], // no dangling dash where the cut falls
  ])('%s + %s → %s (a valid label value)', (component, suffix, expected) => {
    const name = podName(component, suffix);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('verification of a route restricted to allowedSources', () => {
  it.each([
    ['k3s', '403 Forbidden'],
    ['aws', '404'],
  ])('%s: the route check says what a client outside allowedSources gets (%s)', (platform, refusal) => {
    const planned = planOf({
      name: 'shop',
      environment: { platform },
      components: ['web', 'admin'].map((name) =>
        publicFrontend(name, name === 'admin' ? { allowedSources: ['203.0.113.0/24'] } : {}),
      ),
    });
    const admin = planned.verification.find((step) => step.command.includes("-H 'Host: admin.example.com'"));
    expect(admin?.expect).toContain(`from any other address the answer must be ${refusal}`);
    const web = planned.verification.find((step) => step.command.includes("-H 'Host: web.example.com'"));
    expect(web?.expect).not.toContain('from any other address');
  });

  it('aws with ssl-redirect: the HTTP request gets 301 from every client; the 404 for outsiders is over HTTPS', () => {
    const planned = planOf({
      name: 'shop',
      namespace: 'shop',
      environment: { platform: 'aws' },
      components: [
        publicFrontend('web', { host: 'shop.example.com', tls: true }),
        {
          name: 'api',
          role: 'api',
          ports: [{ port: 8080 }],
          exposure: 'public',
          host: 'api.example.com',
          allowedSources: ['203.0.113.0/24'],
        },
      ],
    });
    const routes = planned.verification.filter(
      (step) => step.component === 'api' && step.command.includes('<ingress-address>'),
    );
    expect(routes.map((step) => step.command)).toEqual([
      "curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' -H 'Host: api.example.com' http://<ingress-address>/",
      "curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' --connect-to api.example.com:443:<ingress-address>:443 https://api.example.com/",
    ]);
    // The redirect is the listener's default action: no rule, so no source condition, is read.
    expect(at(routes, 0).expectOutput).toBe('^301$');
    expect(at(routes, 0).expect).not.toContain('from any other address');
    expect(at(routes, 1).expect).toContain(
      "Run it from a host in 203.0.113.0/24; from any other address the answer must be 404 (the ALB's default action).",
    );
    expect(at(routes, 1).expectOutput).toBe('^([23][0-9]{2}|40[0-35-9]|4[1-9][0-9])$');
  });

  it('k3s: the Ingress address check names the Ingress that routes the restricted component', () => {
    const planned = planOf({
      name: 'shop',
      environment: { platform: 'k3s' },
      components: [publicFrontend('admin', { allowedSources: ['203.0.113.0/24'] })],
    });
    expect(planned.verification.map((step) => step.command)).toContain(
      "kubectl get ingress shop-admin -n default -o jsonpath='{.status.loadBalancer.ingress[0]}'",
    );
  });
});

describe('steps that prove their point only from a particular place say where (runFrom)', () => {
  const located = (steps: VerificationStep[]) =>
    steps.filter((step) => step.runFrom !== undefined).map((step) => [step.command, step.runFrom]);

  it.each([
    [{ exposure: 'public' }, 'internet-facing', undefined],
    [{ exposure: 'public', allowedSources: ['203.0.113.0/24'] }, 'internet-facing', 'a host in 203.0.113.0/24'],
    [{ exposure: 'private' }, 'internal', 'a host inside the private network'],
    [
      { exposure: 'private', allowedSources: ['10.0.0.0/8'] },
      'internal',
      'a host inside the private network (10.0.0.0/8)',
    ],
  ] as [Partial<Component>, 'internal' | 'internet-facing', string | undefined][])(
    'a load balancer of %o (%s): its reach checks, not its address check',
    (component, scheme, where) => {
      const steps = stepsFor(
        { ...component, ports: [buildPort({ name: 'http', port: 80 }), buildPort({ port: 1883 })] },
        {
          ...PUBLIC_LB,
          scheme,
        },
      );
      const reach = steps.filter((step) => step.command.includes('<lb-address>'));
      expect(reach).toHaveLength(2);
      expect(located(steps)).toEqual(where === undefined ? [] : reach.map((step) => [step.command, where]));
      // The clause stays in the words as well.
      for (const step of reach) {
        expect(step.expect).toContain(where ?? 'from any host on the internet');
      }
    },
  );

  it('a load balancer of a local cluster: none, kubectl runs on the machine the pool addresses answer', () => {
    const steps = stepsFor({ exposure: 'public', allowedSources: ['192.168.1.0/24'] }, PUBLIC_LB, {
      environment: { platform: 'kind', loadBalancerProvider: 'metallb' },
    });
    expect(located(steps)).toEqual([]);
  });

  it.each([
    [['192.0.2.10/32'], 'a host in 192.0.2.10/32'],
    [[], undefined],
  ])('a node port with allowedSources %o: its reach check', (allowedSources, where) => {
    const steps = stepsFor(
      { exposure: 'node', allowedSources, ports: [buildPort({ name: 'http', port: 80, nodePort: 30080 })] },
      NODE_PORT,
    );
    expect(located(steps)).toEqual(
      where === undefined ? [] : [["curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' http://<node-ip>:30080/", where]],
    );
  });

  it.each(['k3s', 'aws'])('%s: a route restricted to allowedSources, not the others', (platform) => {
    const planned = planOf({
      name: 'shop',
      environment: { platform },
      components: ['web', 'admin'].map((name) =>
        publicFrontend(name, name === 'admin' ? { allowedSources: ['203.0.113.0/24'] } : {}),
      ),
    });
    const routes = planned.verification.filter((step) => step.command.includes('<ingress-address>'));
    expect(routes.filter((step) => step.component === 'admin').map((step) => step.runFrom)).toEqual([
      'a host in 203.0.113.0/24',
    ]);
    expect(routes.filter((step) => step.component === 'web').map((step) => step.runFrom)).toEqual([undefined]);
  });

  it('a Gateway route restricted to allowedSources', () => {
    const planned = planOf({
      name: 'lab',
      environment: { platform: 'bare-metal', loadBalancerProvider: 'metallb', routing: 'gateway-api' },
      components: [publicFrontend('admin', { allowedSources: ['203.0.113.0/24'] }), publicFrontend('web')],
    });
    const routes = planned.verification.filter((step) => step.command.includes('<gateway-address>'));
    expect(routes.map((step) => [step.component, step.runFrom])).toEqual([
      ['admin', 'a host in 203.0.113.0/24'],
      ['web', undefined],
    ]);
  });

  it.each([true, false])('every route of a gce-internal Ingress (TLS %s): inside the VPC', (tls) => {
    const topology = topologyWith(
      [
        buildComponent({ name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com', tls }),
        buildComponent({ name: 'api', exposure: 'public', host: 'api.example.com', path: '/v1' }),
      ],
      { platform: 'gcp', ingressController: 'gce-internal' },
    );
    const steps = verificationSteps(
      topology,
      ['web', 'api'].map((name) => buildRecommendation(name, VIA_INGRESS)),
      buildIngressPlan(['web', 'api'], { className: 'gce-internal' }),
    );
    const routes = steps.filter(
      (step) => step.command.includes('<ingress-address>') && !step.command.startsWith('kubectl'),
    );
    expect(routes).toHaveLength(2);
    for (const route of routes) {
      expect(route.runFrom).toBe('a host inside the VPC');
      expect(route.expect).toContain('Run it from a host inside the VPC');
    }
    expect(located(steps)).toHaveLength(2);
  });

  it('on gce (external), no route names a place', () => {
    const planned = planOf({
      name: 'shop',
      environment: { platform: 'gcp', ingressController: 'gce' },
      components: [publicFrontend('web', { tls: true }), publicFrontend('docs')],
    });
    expect(located(planned.verification)).toEqual([]);
  });
});

describe('steps whose success is a value carry a pattern a script can check (expectOutput)', () => {
  const FIXTURES_DIR = join(import.meta.dirname, '../../test/fixtures/topologies');
  const steps = readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const outcome = plan(JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')));
      return outcome.ok ? outcome.plan.verification : [];
    });
  /** Commands that exit 0 whatever they print: kubectl reads, curl's status code, nslookup. */
  const printsValue = (step: VerificationStep) =>
    / -o jsonpath=| get endpointslices |-w '%\{http_code\}|nslookup /.test(step.command);

  it('covers every kubectl read, curl status and name lookup of the fixtures', () => {
    const values = steps.filter((step) => step.mustFail !== true && printsValue(step));
    expect(values.length).toBeGreaterThan(100);
    expect(values.filter((step) => step.expectOutput === undefined).map((step) => step.command)).toEqual([]);
  });

  it('gives each a valid extended regular expression', () => {
    for (const pattern of new Set(steps.flatMap((step) => step.expectOutput ?? []))) {
      const { status } = spawnSync('grep', ['-Eq', '-e', pattern], { input: '' });
      // 1: no match on empty input, which no pattern may accept; 2 would be a pattern grep refuses.
      expect(status, pattern).toBe(1);
    }
  });
});
