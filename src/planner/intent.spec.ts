import fc from 'fast-check';
import { plan } from './plan.js';
import { validTopologyInput } from './testing/arbitraries.js';
import { brokenIntents, selects, spec, unjudgedSteps, type Service } from './testing/intent-oracle.js';
import { planOf, publicFrontend } from './testing/topology-inputs.js';
import { validateManifests } from './testing/kube-validation.js';
import type { KubeObject, PlanResult } from './types.js';

// The oracle, and what it reads, is in testing/intent-oracle.ts.
describe('stated intent holds in the rendered objects, or a high finding says it does not', () => {
  it('on random topologies: internal ports and components, allowedSources, tls', () => {
    fc.assert(
      fc.property(validTopologyInput, (input) => {
        const planned = planOf(input);
        expect(brokenIntents(planned)).toEqual([]);
        // And its verification can fail where the cluster does not hold the plan.
        expect(unjudgedSteps(planned)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('with a Gateway class, an existing Gateway, certificates and preserveClientIp in play too', () => {
    const acm = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    const digitalOcean = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    const widened = fc
      .record({
        input: validTopologyInput,
        className: fc.option(
          fc.constantFrom('eg', 'istio', 'traefik', 'cilium', 'nginx', 'gke-l7-global-external-managed'),
        ),
        shared: fc.boolean(),
        certificate: fc.boolean(),
        preserveClientIp: fc.boolean(),
      })
      .map(({ input, className, shared, certificate, preserveClientIp }) => {
        const environment = input.environment as Record<string, unknown>;
        if (className !== null) {
          Object.assign(environment, { routing: 'gateway-api', gatewayClassName: className });
        }
        if (shared && environment.routing === 'gateway-api') {
          environment.gateway = { name: 'shared', namespace: 'infra' };
        }
        const id = { aws: acm, digitalocean: digitalOcean }[environment.platform as string];
        for (const component of input.components as Record<string, unknown>[]) {
          if (certificate && component.tls === true && id !== undefined) {
            component.certificate = id;
          }
          component.preserveClientIp = preserveClientIp;
        }
        return input;
      });
    fc.assert(
      fc.property(widened, (input) => {
        const outcome = plan(input);
        // A class of another platform is refused at validation: not a plan to judge.
        fc.pre(outcome.ok);
        expect(outcome.ok && brokenIntents(outcome.plan)).toEqual([]);
        expect(outcome.ok && unjudgedSteps(outcome.plan)).toEqual([]);
        // And the API server would take every object (a TLS listener moved onto a port 443 the
        // component already had listed 443/TCP twice).
        expect(outcome.ok && validateManifests(outcome.plan.manifests)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('on one ALB: hosts, wildcards, host-less routes and certificates named for some TLS hosts only', () => {
    // The controller keeps the order of spec.rules and discovers certificates only when the Ingress
    // names none: both are read off the rendered Ingress by the oracle.
    const acm = (n: number) => `arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5${n}`;
    const routedComponent = fc.record({
      host: fc.option(
        fc.constantFrom(
          'shop.example.com',
          'api.example.com',
          'x.apps.example.com',
          '*.apps.example.com',
          '*.example.com',
        ),
        { nil: undefined },
      ),
      path: fc.option(fc.constantFrom('/', '/api'), { nil: undefined }),
      tls: fc.boolean(),
      certificate: fc.option(fc.nat(2), { nil: undefined }),
    });
    const albInput = fc
      .record({ named: fc.boolean(), drafts: fc.array(routedComponent, { minLength: 2, maxLength: 6 }) })
      .map(({ named, drafts }) => ({
        name: 'edge',
        environment: { platform: 'aws', ...(named ? { ingressController: 'alb' } : {}) },
        components: drafts.map((draft, index) => ({
          name: `c${index}`,
          role: 'frontend',
          exposure: 'public',
          ports: [{ name: 'http', port: 80 }],
          ...(draft.host === undefined ? {} : { host: draft.host }),
          ...(draft.path === undefined ? {} : { path: draft.path }),
          tls: draft.tls,
          ...(draft.tls && draft.certificate !== undefined ? { certificate: acm(draft.certificate) } : {}),
        })),
      }));
    fc.assert(
      fc.property(albInput, (input) => {
        const outcome = plan(input);
        fc.pre(outcome.ok);
        expect(outcome.ok && brokenIntents(outcome.plan)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('with pod selectors that repeat or nest: refused at validation, or each Service sends to its own pods only', () => {
    // A few label maps that nest in one another ({ app: shop } is among { app: shop, tier: web }),
    // repeat, or equal another component's default { app: <name> }.
    const labelChoices: (Record<string, string> | undefined)[] = [
      undefined,
      { app: 'shop' },
      { app: 'shop', tier: 'web' },
      { tier: 'web' },
      { app: 'c1', tier: 'web' },
      { app: 'c0' },
      { app: 'c2', team: 'a' },
    ];
    const withLabels = fc
      .record({
        input: validTopologyInput,
        picks: fc.array(fc.nat(labelChoices.length - 1), { minLength: 12, maxLength: 12 }),
      })
      .map(({ input, picks }) => {
        const components = input.components as Record<string, unknown>[];
        components.forEach((component, index) => {
          const labels = labelChoices[picks[index] ?? 0];
          if (labels !== undefined && component.externalName === undefined) {
            component.labels = labels;
          }
        });
        return input;
      });
    const within = (a: Record<string, string>, b: Record<string, string>): boolean =>
      Object.entries(a).every(([key, value]) => Object.hasOwn(b, key) && b[key] === value);
    fc.assert(
      fc.property(withLabels, (input) => {
        const selectors = (input.components as Record<string, unknown>[])
          .filter((component) => component.externalName === undefined)
          .map(
            (component) => (component.labels as Record<string, string> | undefined) ?? { app: String(component.name) },
          );
        const overlapping = selectors.some((mine, index) =>
          selectors.some((theirs, other) => other !== index && within(mine, theirs)),
        );
        const outcome = plan(input);
        if (overlapping) {
          expect(outcome.ok).toBe(false);
          const paths = outcome.ok ? [] : outcome.problems.map((problem) => problem.path);
          expect(paths.filter((path) => !/^components\[\d+\]\.labels$/.test(path))).toEqual([]);
          return;
        }
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) {
          return;
        }
        expect(brokenIntents(outcome.plan)).toEqual([]);
        const podful = outcome.plan.topology.components.filter((component) => component.externalName === undefined);
        for (const service of outcome.plan.manifests.filter((object) => object.kind === 'Service') as Service[]) {
          if (service.spec.selector !== undefined) {
            expect(podful.filter((component) => selects(service, component))).toHaveLength(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('catches an ALB source-ip condition its rule cannot carry: host 1 + path "/admin" 2 + 3 CIDRs is over 5', () => {
    const planned = planOf({
      name: 'shop',
      environment: { platform: 'aws' },
      components: [
        // With TLS the ALB is the cheaper way: the plan routes admin through the Ingress.
        publicFrontend('admin', {
          host: 'a.example.com',
          tls: true,
          allowedSources: ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'],
        }),
      ],
    });
    expect(planned.recommendations[0]?.entryPoint).toBe('ingress');
    expect(brokenIntents(planned)).toEqual([]);
    const underAdmin: PlanResult = {
      ...planned,
      manifests: planned.manifests.map((object) =>
        object.kind === 'Ingress'
          ? { ...object, spec: JSON.parse(JSON.stringify(object.spec).replace('"path":"/"', '"path":"/admin"')) }
          : object,
      ),
    };
    expect(brokenIntents(underAdmin)).toEqual(["admin's Ingress shop admits more than allowedSources"]);
  });

  it('catches an in-cluster proxy whose allow-list admits the pod range it sees instead of the client (klipper-lb)', () => {
    const planned = planOf({
      name: 'shop',
      environment: { platform: 'k3s', podCidr: ['10.42.0.0/16'], nodeCidr: ['192.168.1.0/24'] },
      components: [publicFrontend('admin', { host: 'a.example.com', tls: true, allowedSources: ['10.0.0.0/8'] })],
    });
    expect(planned.manifests.some((object) => object.kind === 'Middleware')).toBe(true);
    expect(brokenIntents(planned)).toEqual([]);
    const silent: PlanResult = { ...planned, findings: planned.findings.filter((finding) => finding.id !== 'EXP040') };
    expect(brokenIntents(silent)).toEqual(["admin's Ingress shop-admin admits more than allowedSources"]);
  });

  it('catches a private component whose load balancer faces the internet, or that a route publishes', () => {
    const planned = planOf({
      name: 'partners',
      environment: { platform: 'aws', ingressController: 'alb' },
      components: [
        {
          name: 'web',
          role: 'frontend',
          exposure: 'public',
          host: 'www.example.com',
          ports: [{ name: 'http', port: 80 }],
        },
        { name: 'feed', role: 'api', exposure: 'private', ports: [{ name: 'http', port: 80 }] },
      ],
    });
    expect(brokenIntents(planned)).toEqual([]);
    const feedService = (object: KubeObject): boolean => object.kind === 'Service' && object.metadata.name === 'feed';
    const facing: PlanResult = {
      ...planned,
      manifests: planned.manifests.map((object) =>
        feedService(object)
          ? {
              ...object,
              metadata: {
                ...object.metadata,
                annotations: {
                  ...object.metadata.annotations,
                  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
                },
              },
            }
          : object,
      ),
    };
    expect(brokenIntents(facing)).toEqual(['feed is private but its LoadBalancer feed may face the internet']);
    const routed: PlanResult = {
      ...planned,
      manifests: planned.manifests.map((object) => {
        if (object.kind !== 'Ingress') {
          return object;
        }
        const rules = spec(object).rules ?? [];
        const toFeed = {
          host: 'feed.example.com',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'feed', port: { number: 80 } } } }],
          },
        };
        return { ...object, spec: { ...spec(object), rules: [...rules, toFeed] } };
      }),
    };
    expect(brokenIntents(routed)).toEqual(['feed is private but routed through the Ingress partners']);
  });

  it('catches a host-less ALB rule listed before a host rule, and a TLS host the named certificates leave out', () => {
    const acm = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    const planned = planOf({
      name: 'edge',
      environment: { platform: 'aws' },
      components: [
        { name: 'site', role: 'frontend', exposure: 'public', ports: [{ name: 'http', port: 80 }] },
        {
          name: 'web',
          role: 'frontend',
          exposure: 'public',
          host: 'www.example.com',
          tls: true,
          certificate: acm,
          ports: [{ name: 'http', port: 80 }],
        },
        {
          name: 'api',
          role: 'api',
          exposure: 'public',
          host: 'api.example.com',
          tls: true,
          ports: [{ name: 'http', port: 80 }],
        },
      ],
    });
    expect(brokenIntents(planned)).toEqual([]);
    // The rules as they were rendered before: in topology order, the host-less one first.
    const reordered: PlanResult = {
      ...planned,
      manifests: planned.manifests.map((object) => {
        if (object.kind !== 'Ingress') {
          return object;
        }
        const rules = spec(object).rules ?? [];
        return { ...object, spec: { ...spec(object), rules: [...rules.slice(-1), ...rules.slice(0, -1)] } };
      }),
    };
    expect(brokenIntents(reordered)).toEqual([
      "web's route www.example.com/ on the ALB edge is taken by site's earlier rule",
      "api's route api.example.com/ on the ALB edge is taken by site's earlier rule",
    ]);
    const unsaid: PlanResult = { ...planned, findings: planned.findings.filter((finding) => finding.id !== 'EXP039') };
    expect(brokenIntents(unsaid)).toEqual([
      'api asks for TLS but the ALB serves api.example.com with a certificate named for another host',
    ]);
  });

  it('catches a step that must run from a particular place but leaves verify.sh to run it anywhere', () => {
    const planned = planOf({
      name: 'shop',
      environment: { platform: 'aws' },
      components: [
        { name: 'feed', role: 'api', exposure: 'private', ports: [{ name: 'http', port: 80 }] },
        publicFrontend('admin', { allowedSources: ['203.0.113.0/24'] }),
      ],
    });
    expect(unjudgedSteps(planned)).toEqual([]);
    const unplaced: PlanResult = {
      ...planned,
      verification: planned.verification.map(({ runFrom: _runFrom, ...step }) => step),
    };
    expect(unjudgedSteps(unplaced).map((line) => line.slice(0, line.indexOf(':')))).toEqual(['feed', 'admin']);
  });

  it('catches a plan that looks safer than it renders: a source policy aimed at a route that does not exist', () => {
    const planned = planOf({
      name: 'lab',
      environment: { platform: 'bare-metal', loadBalancerProvider: 'metallb', routing: 'gateway-api' },
      components: [
        {
          name: 'api',
          role: 'api',
          exposure: 'public',
          host: 'api.example.com',
          ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
          allowedSources: ['203.0.113.0/24'],
        },
      ],
    });
    expect(brokenIntents(planned)).toEqual([]);
    const misaimed: PlanResult = {
      ...planned,
      manifests: planned.manifests.map((object) =>
        object.kind === 'SecurityPolicy'
          ? { ...object, spec: { ...spec(object), targetRefs: [{ kind: 'HTTPRoute', name: 'api' }] } }
          : object,
      ),
    };
    expect(brokenIntents(misaimed)).toEqual(["api's GRPCRoute api admits more than allowedSources"]);
  });
});
