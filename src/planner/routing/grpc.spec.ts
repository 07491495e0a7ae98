import { planOf, publicFrontend } from '../testing/topology-inputs.js';
import { validateManifests } from '../testing/kube-validation.js';
import type { KubeObject, PlanResult as Plan } from '../types.js';
import { TRAEFIK_SERVERS_SCHEME_ANNOTATION } from './backend-protocol.js';
import { ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION } from './grpc.js';
import { validateGatewayApiObject } from './testing/gateway-api-validation.js';
import { at } from '../testing/items.js';

type Grpc = { host?: string; tls?: boolean; ports?: unknown[] };

function grpcPlan(environment: Record<string, unknown>, grpc: Grpc = {}): Plan {
  return planOf({
    name: 'rpc',
    environment,
    components: [
      {
        name: 'rpc-api',
        role: 'api',
        ports: grpc.ports ?? [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }],
        exposure: 'public',
        ...(grpc.host === undefined ? {} : { host: grpc.host }),
        ...(grpc.tls === undefined ? {} : { tls: grpc.tls }),
      },
      publicFrontend('web'),
    ],
  });
}

function recommendation(result: Plan, component = 'rpc-api') {
  const found = result.recommendations.find((candidate) => candidate.component === component);
  if (found === undefined) {
    throw new Error(`no recommendation for ${component}`);
  }
  return found;
}

function service(result: Plan, name = 'rpc-api'): KubeObject | undefined {
  return result.manifests.find((object) => object.kind === 'Service' && object.metadata.name === name);
}

function gatewayObjects(result: Plan): KubeObject[] {
  return result.manifests.filter((object) => object.apiVersion.startsWith('gateway.networking.k8s.io/'));
}

describe('a public gRPC component', () => {
  it('goes through the ALB on AWS when it has a host and TLS, its Service telling the ALB to speak gRPC', () => {
    const result = grpcPlan({ platform: 'aws' }, { host: 'rpc.example.com', tls: true });
    expect(recommendation(result)).toMatchObject({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
    expect(result.ingress?.components).toContain('rpc-api');
    expect(service(result)?.metadata.annotations?.[ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION]).toBe('GRPC');
    expect(service(result, 'web')?.metadata.annotations?.[ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION]).toBeUndefined();
    expect(recommendation(result).rationale.join(' ')).toContain('gRPC through the ALB');
    const ingress = result.manifests.find((object) => object.kind === 'Ingress');
    expect(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/listen-ports']).toContain('HTTPS');
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('gets an NLB on AWS without TLS, because the ALB carries gRPC on an HTTPS listener only, and says so', () => {
    const result = grpcPlan({ platform: 'aws' }, { host: 'rpc.example.com' });
    expect(recommendation(result)).toMatchObject({ serviceType: 'LoadBalancer', entryPoint: 'load-balancer' });
    expect(recommendation(result).rationale.join(' ')).toContain('HTTPS listener only');
    expect(service(result)?.metadata.annotations?.[ALB_BACKEND_PROTOCOL_VERSION_ANNOTATION]).toBeUndefined();
  });

  it('never goes behind GKE Ingress (class gce), which cannot reach an h2c backend: L4 with the reason', () => {
    const result = grpcPlan({ platform: 'gcp' }, { host: 'rpc.example.com', tls: true });
    expect(recommendation(result)).toMatchObject({ serviceType: 'LoadBalancer', entryPoint: 'load-balancer' });
    expect(recommendation(result).rationale.join(' ')).toContain('GKE Ingress (class gce)');
    expect(result.ingress?.components ?? []).not.toContain('rpc-api');
  });

  it('goes through Traefik with the h2c servers scheme on its Service', () => {
    const result = grpcPlan({ platform: 'k3s', ingressController: 'traefik' });
    expect(recommendation(result)).toMatchObject({ serviceType: 'ClusterIP', entryPoint: 'ingress' });
    expect(service(result)?.metadata.annotations?.[TRAEFIK_SERVERS_SCHEME_ANNOTATION]).toBe('h2c');
    expect(service(result, 'web')?.metadata.annotations?.[TRAEFIK_SERVERS_SCHEME_ANNOTATION]).toBeUndefined();
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it('gets L4 behind a class the plan knows no gRPC setting of, naming the class', () => {
    const result = grpcPlan({ platform: 'aws', ingressController: 'haproxy' });
    expect(recommendation(result).entryPoint).toBe('load-balancer');
    expect(recommendation(result).rationale.join(' ')).toContain('"haproxy"');
  });

  it('keeps its own load balancer when one of its ports is not gRPC', () => {
    const result = grpcPlan(
      { platform: 'k3s', ingressController: 'traefik' },
      {
        ports: [
          { name: 'grpc', port: 50051 },
          // A port that carries traffic: a metrics port would stay in-cluster (ports.ts) and not count.
          { name: 'mqtt', port: 1883 },
        ],
      },
    );
    expect(recommendation(result).entryPoint).not.toBe('ingress');
  });

  it('gets a GRPCRoute on a Gateway whose class serves it, on the HTTPS listener of its host, and every object validates', () => {
    const result = grpcPlan(
      { platform: 'bare-metal', loadBalancerProvider: 'metallb', routing: 'gateway-api' },
      { host: 'rpc.example.com', tls: true },
    );
    const objects = gatewayObjects(result);
    const route = objects.find((object) => object.kind === 'GRPCRoute');
    expect(route?.spec).toEqual({
      parentRefs: [{ name: 'rpc', sectionName: 'https-rpc.example.com' }],
      hostnames: ['rpc.example.com'],
      rules: [{ backendRefs: [{ name: 'rpc-api', port: 50051 }] }],
    });
    expect(objects.some((object) => object.kind === 'HTTPRoute' && object.metadata.name.startsWith('rpc-api'))).toBe(
      false,
    );
    expect(result.gateway?.routeKinds.map((entry) => entry.kind)).toContain('GRPCRoute');
    expect(result.verification.some((step) => step.command.startsWith('kubectl get grpcroute rpc-api'))).toBe(true);
    for (const object of objects) {
      expect(validateGatewayApiObject(object)).toEqual([]);
    }
  });

  it('gets L4 on GKE with Gateway API, whose classes claim no GRPCRoute', () => {
    const result = grpcPlan({ platform: 'gcp', routing: 'gateway-api' }, { host: 'rpc.example.com', tls: true });
    expect(recommendation(result).entryPoint).toBe('load-balancer');
    expect(recommendation(result).rationale.join(' ')).toContain('serves no GRPCRoute');
    expect(gatewayObjects(result).some((object) => object.kind === 'GRPCRoute')).toBe(false);
  });

  it('is checked with an HTTP/2 gRPC call, not a plain curl', () => {
    const result = grpcPlan({ platform: 'aws' }, { host: 'rpc.example.com', tls: true });
    const step = result.verification.find(
      (candidate) => candidate.component === 'rpc-api' && candidate.command.includes('grpc.health.v1.Health/Check'),
    );
    expect(step?.command).toContain('content-type: application/grpc');
    expect(step?.command).toContain('--http2');
  });

  it.each([
    [{ platform: 'gcp' }, 'GKE Ingress (class gce)'],
    [{ platform: 'gcp', routing: 'gateway-api' }, 'HTTPRouteBackendProtocolH2C'],
  ])('an h2c port never goes behind GKE (%o): L4 with the reason', (environment, reason) => {
    const result = grpcPlan(environment, {
      host: 'rpc.example.com',
      tls: true,
      ports: [{ name: 'web', port: 8080, appProtocol: 'kubernetes.io/h2c' }],
    });
    expect(recommendation(result).entryPoint).toBe('load-balancer');
    expect(recommendation(result).rationale.join(' ')).toContain(reason);
  });

  it('an h2c port still goes behind an Ingress class that is not GKE', () => {
    const result = grpcPlan(
      { platform: 'aws' },
      {
        host: 'rpc.example.com',
        tls: true,
        ports: [{ name: 'web', port: 8080, appProtocol: 'kubernetes.io/h2c' }],
      },
    );
    expect(recommendation(result).entryPoint).toBe('ingress');
  });
});

describe('sentences about the components sharing the L7 entry point', () => {
  it('say gRPC when gRPC shares it, in the rationale and the saving', () => {
    const result = grpcPlan({ platform: 'aws' }, { host: 'rpc.example.com', tls: true });
    expect(recommendation(result).entryPoint).toBe('ingress');
    expect(recommendation(result, 'web').rationale).toContainEqual(
      expect.stringMatching(/^2 public HTTP and gRPC components share it/),
    );
    expect(at(result.cost.savings, 0).description).toMatch(/^2 public HTTP and gRPC components \(rpc-api, web\)/);
  });

  it('say HTTP alone when no gRPC component is routed', () => {
    const result = grpcPlan({ platform: 'aws' }, { ports: [{ name: 'http', port: 8080 }], host: 'a.example.com' });
    expect(at(result.cost.savings, 0).description).toMatch(/^2 public HTTP components/);
  });
});
