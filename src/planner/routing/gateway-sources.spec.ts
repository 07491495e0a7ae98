import { assessSecurity } from '../findings/checks.js';
import { planOf, publicFrontend } from '../testing/topology-inputs.js';
import { validateManifests } from '../testing/kube-validation.js';
import type { PlanResult } from '../types.js';
import { at } from '../testing/items.js';

/** The lab topology on `environment`, routed through Gateway API. */
const lab = (environment: Record<string, unknown>, components: unknown[]): PlanResult =>
  planOf({ name: 'lab', environment: { ...environment, routing: 'gateway-api' }, components });

function routedThroughGateway(environment: Record<string, unknown>): PlanResult {
  return lab(environment, [publicFrontend('docs'), publicFrontend('grafana', { allowedSources: ['198.51.100.0/24'] })]);
}

describe('allowedSources behind a Gateway', () => {
  const envoy = { platform: 'bare-metal', loadBalancerProvider: 'metallb' };

  it('Envoy Gateway: a SecurityPolicy on the component’s HTTPRoute denies all but allowedSources', () => {
    const result = routedThroughGateway(envoy);
    const policies = result.manifests.filter((object) => object.kind === 'SecurityPolicy');
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      metadata: { name: 'grafana-allowed-sources', namespace: 'default' },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'grafana' }],
        authorization: {
          defaultAction: 'Deny',
          rules: [{ action: 'Allow', principal: { clientCIDRs: ['198.51.100.0/24'] } }],
        },
      },
    });
    // The policy targets a route the plan renders.
    expect(result.manifests.some((object) => object.kind === 'HTTPRoute' && object.metadata.name === 'grafana')).toBe(
      true,
    );
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP020');
    expect(at(result.recommendations, 1).rationale.join(' ')).toContain('SecurityPolicy');
  });

  it('verification requests each route through the Gateway: http without TLS, and from outside allowedSources a 403', () => {
    const result = routedThroughGateway(envoy);
    const grafana = result.verification.find(
      (step) => step.command.includes("-H 'Host: grafana.example.com'") && step.command.includes('<gateway-address>'),
    );
    expect(grafana?.command).toContain('http://<gateway-address>/');
    expect(grafana?.expect).toContain('403');
  });

  it('verification makes a gRPC call through a GRPCRoute, never an HTTP GET the server cannot answer', () => {
    const planned = planOf({
      name: 'shop',
      namespace: 'shop',
      environment: { platform: 'bare-metal', routing: 'gateway-api' },
      components: [
        {
          name: 'rpc',
          role: 'api',
          ports: [{ port: 50051, name: 'grpc', appProtocol: 'grpc' }],
          exposure: 'public',
          host: 'rpc.example.com',
          tls: true,
        },
      ],
    });
    expect(planned.manifests.some((object) => object.kind === 'GRPCRoute')).toBe(true);
    const requests = planned.verification.filter((step) => step.command.includes('<gateway-address>'));
    expect(requests.map((step) => step.command)).toEqual([
      "curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' -X POST -H 'content-type: application/grpc' -H 'te: trailers' --http2 --connect-to rpc.example.com:443:<gateway-address>:443 https://rpc.example.com/grpc.health.v1.Health/Check",
    ]);
    expect(at(requests, 0).expectOutput).toBe('^200$');
    expect(at(requests, 0).expect).toContain('<gateway-address> is the address `kubectl get gateway` shows');
  });

  it('verification asks for https://<host> where the Gateway serves the host on an HTTPS listener', () => {
    const planned = lab(envoy, [publicFrontend('docs', { tls: true })]);
    expect(planned.verification.map((step) => step.command)).toContain(
      "curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' --connect-to docs.example.com:443:<gateway-address>:443 https://docs.example.com/",
    );
  });

  it('a SecurityPolicy that allows by default restricts nothing: EXP020 is raised', () => {
    const result = routedThroughGateway(envoy);
    const loosened = result.manifests.map((object) =>
      object.kind === 'SecurityPolicy'
        ? {
            ...object,
            spec: { ...(object.spec as object), authorization: { defaultAction: 'Allow', rules: [] } },
          }
        : object,
    );
    const findings = assessSecurity(result.topology, result.recommendations, result.ingress, loosened, result.cost);
    expect(findings.find((finding) => finding.id === 'EXP020')).toMatchObject({
      severity: 'high',
      component: 'grafana',
    });
  });

  it('Traefik (k3s): the HTTPRoute references an IPAllowList Middleware as an ExtensionRef filter', () => {
    const result = routedThroughGateway({ platform: 'k3s' });
    const route = result.manifests.find((object) => object.kind === 'HTTPRoute' && object.metadata.name === 'grafana');
    expect((route?.spec as { rules: unknown[] }).rules[0]).toMatchObject({
      filters: [
        {
          type: 'ExtensionRef',
          extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'grafana-allowed-sources' },
        },
      ],
    });
    const docs = result.manifests.find((object) => object.kind === 'HTTPRoute' && object.metadata.name === 'docs');
    expect(JSON.stringify(docs?.spec)).not.toContain('ExtensionRef');
    expect(result.manifests.find((object) => object.kind === 'Middleware')).toMatchObject({
      apiVersion: 'traefik.io/v1alpha1',
      metadata: { name: 'grafana-allowed-sources', namespace: 'default' },
      spec: { ipAllowList: { sourceRange: ['198.51.100.0/24'] } },
    });
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP020');
    expect(at(result.recommendations, 1).rationale.join(' ')).toContain('ExtensionRef');
  });

  it('Traefik: a route that loses its filter is judged open again (EXP020)', () => {
    const result = routedThroughGateway({ platform: 'k3s' });
    const stripped = result.manifests.filter((object) => object.kind !== 'Middleware');
    const findings = assessSecurity(result.topology, result.recommendations, result.ingress, stripped, result.cost);
    expect(findings.find((finding) => finding.id === 'EXP020')).toMatchObject({
      severity: 'high',
      component: 'grafana',
    });
  });

  it.each([[{ platform: 'aws' }], [{ platform: 'gcp' }]])(
    '%j: the proposed class gets no source policy from the plan, so the rationale and a high EXP020 say so',
    (environment) => {
      const result = routedThroughGateway(environment);
      expect(result.manifests.some((object) => object.kind === 'SecurityPolicy')).toBe(false);
      expect(at(result.recommendations, 1).rationale.join(' ')).toContain('NOT enforced');
      expect(result.findings.find((finding) => finding.id === 'EXP020')).toMatchObject({
        severity: 'high',
        component: 'grafana',
      });
    },
  );

  /** A public gRPC API with allowedSources, routed by a GRPCRoute. */
  const grpcApi = {
    name: 'api',
    role: 'api',
    exposure: 'public',
    host: 'api.example.com',
    tls: true,
    ports: [{ name: 'grpc', port: 9090, appProtocol: 'grpc' }],
    allowedSources: ['203.0.113.0/24'],
  };

  it('Envoy Gateway and gRPC: the SecurityPolicy targets the GRPCRoute the plan writes, not an HTTPRoute of that name', () => {
    const result = lab(envoy, [grpcApi]);
    const policy = result.manifests.find((object) => object.kind === 'SecurityPolicy');
    expect(policy?.spec).toMatchObject({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', name: 'api' }],
      authorization: { defaultAction: 'Deny', rules: [{ principal: { clientCIDRs: ['203.0.113.0/24'] } }] },
    });
    expect(result.manifests.some((object) => object.kind === 'GRPCRoute' && object.metadata.name === 'api')).toBe(true);
    expect(result.manifests.some((object) => object.kind === 'HTTPRoute')).toBe(false);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP020');
    expect(at(result.recommendations, 0).rationale).toContain(
      "allowedSources 203.0.113.0/24 hold on the Gateway through an Envoy Gateway SecurityPolicy (api-allowed-sources) on api's GRPCRoute: default Deny, Allow for those clientCIDRs, so other clients get 403 and the other routes stay open; Envoy sees the client address because Envoy Gateway gives its Service externalTrafficPolicy Local, its default (keep it so in any EnvoyProxy resource: with Cluster, kube-proxy replaces the client address with a node's)",
    );
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('a SecurityPolicy whose targetRef names a route kind the plan did not write attaches to nothing: EXP020 is raised', () => {
    const result = lab(envoy, [grpcApi]);
    // What engine 1.5.0 wrote for a gRPC component: a policy on an HTTPRoute api, beside the GRPCRoute api.
    const misaimed = result.manifests.map((object) =>
      object.kind === 'SecurityPolicy'
        ? {
            ...object,
            spec: {
              ...(object.spec as object),
              targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'api' }],
            },
          }
        : object,
    );
    const findings = assessSecurity(result.topology, result.recommendations, result.ingress, misaimed, result.cost);
    expect(findings.find((finding) => finding.id === 'EXP020')).toMatchObject({ severity: 'high', component: 'api' });
  });

  it('Traefik and gRPC: no Middleware filter on a GRPCRoute, so the rationale says NOT enforced with EXP020, and no dangling Middleware', () => {
    const result = lab({ platform: 'k3s' }, [grpcApi]);
    expect(result.manifests.some((object) => object.kind === 'GRPCRoute' && object.metadata.name === 'api')).toBe(true);
    expect(result.manifests.some((object) => object.kind === 'Middleware')).toBe(false);
    expect(at(result.recommendations, 0).rationale).toContain(
      'allowedSources 203.0.113.0/24 are NOT enforced on the Gateway: Traefik takes its IPAllowList Middleware as a filter of an HTTPRoute, and api is routed by a GRPCRoute, so anyone who reaches the Gateway reaches api (finding EXP020 says how to restrict it)',
    );
    expect(result.findings.find((finding) => finding.id === 'EXP020')).toMatchObject({
      severity: 'high',
      component: 'api',
    });
  });

  it('the rationale speaks of the class the plan chose (environment.gatewayClassName), not of the platform default', () => {
    // Bare metal's default class is Envoy Gateway's; istio gets no source policy from the plan.
    const result = routedThroughGateway({ ...envoy, gatewayClassName: 'istio' });
    expect(result.manifests.some((object) => object.kind === 'SecurityPolicy')).toBe(false);
    const rationale = at(result.recommendations, 1).rationale.join(' ');
    expect(rationale).not.toContain('SecurityPolicy (grafana-allowed-sources)');
    expect(rationale).toContain('NOT enforced on the Gateway: the plan writes no source policy for class istio');
    expect(result.findings.find((finding) => finding.id === 'EXP020')).toMatchObject({
      severity: 'high',
      component: 'grafana',
    });
  });
});
