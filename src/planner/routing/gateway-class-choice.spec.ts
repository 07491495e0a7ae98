import { planOf } from '../testing/topology-inputs.js';
import { validateTopology } from '../topology/index.js';
import { validateGatewayApiObject } from './testing/gateway-api-validation.js';
import { knownGatewayClasses, otherPlatformsClass } from './gateway-class-choice.js';
import { at } from '../testing/items.js';

const components = [
  { name: 'web', role: 'frontend', ports: [{ name: 'http', port: 80 }], exposure: 'public', host: 'a.example.com' },
  { name: 'rpc', role: 'api', ports: [{ name: 'grpc', port: 50051 }], exposure: 'public', host: 'b.example.com' },
];

function planned(environment: Record<string, unknown>) {
  return planOf({ name: 'shop', environment, components });
}

function gatewayObject(result: ReturnType<typeof planned>) {
  return result.manifests.find((object) => object.kind === 'Gateway');
}

describe('environment.gatewayClassName', () => {
  it("uses a class the catalog knows for the platform, with what the catalog knows of it (Traefik's entry points on k3s)", () => {
    const result = planned({ platform: 'k3s', routing: 'gateway-api', gatewayClassName: 'eg' });
    expect((gatewayObject(result)?.spec as { gatewayClassName: string }).gatewayClassName).toBe('eg');
    expect(result.gateway?.className).toBe('eg');
    // Envoy Gateway serves GRPCRoute: the gRPC component is routed by one.
    expect(result.manifests.some((object) => object.kind === 'GRPCRoute')).toBe(true);
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('as environment.gatewayClassName asks');
    for (const object of result.manifests.filter((candidate) => candidate.apiVersion.startsWith('gateway.'))) {
      expect(validateGatewayApiObject(object)).toEqual([]);
    }
  });

  it('uses a class the catalog does not know as named, HTTPRoutes only, and says what it assumed', () => {
    const result = planned({ platform: 'bare-metal', routing: 'gateway-api', gatewayClassName: 'kong' });
    expect((gatewayObject(result)?.spec as { gatewayClassName: string }).gatewayClassName).toBe('kong');
    expect(result.manifests.some((object) => object.kind === 'GatewayClass')).toBe(false);
    expect(result.manifests.some((object) => object.kind === 'GRPCRoute')).toBe(false);
    const rpc = result.recommendations.find((recommendation) => recommendation.component === 'rpc');
    expect(rpc?.entryPoint).not.toBe('ingress');
    expect(rpc?.rationale.join(' ')).toContain('serves no GRPCRoute');
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('does not know it');
  });

  it('refuses a class of another platform, and a class on an Ingress plan, each with its path', () => {
    const gke = validateTopology({
      name: 'shop',
      environment: { platform: 'aws', routing: 'gateway-api', gatewayClassName: 'gke-l7-global-external-managed' },
      components,
    });
    expect(gke.ok ? [] : gke.problems.map((problem) => problem.path)).toEqual(['environment.gatewayClassName']);
    expect(gke.ok ? '' : at(gke.problems, 0).message).toContain('aws-alb-gateway-class');
    const ingress = validateTopology({
      name: 'shop',
      environment: { platform: 'aws', gatewayClassName: 'eg' },
      components,
    });
    expect(ingress.ok ? '' : at(ingress.problems, 0).message).toContain('routing here is ingress (the aws default)');
  });

  it('refuses a name that is not a DNS-1123 subdomain', () => {
    const outcome = validateTopology({
      name: 'shop',
      environment: { platform: 'k3s', routing: 'gateway-api', gatewayClassName: 'Not_A_Name' },
      components,
    });
    expect(outcome.ok ? [] : outcome.problems.map((problem) => problem.path)).toContain('environment.gatewayClassName');
  });

  it('knows each platform its own classes', () => {
    expect(knownGatewayClasses('aws')).toContain('aws-nlb-gateway-class');
    expect(otherPlatformsClass('aws', 'gke-l7-global-external-managed')).toEqual(['gcp']);
    expect(otherPlatformsClass('aws', 'my-own-class')).toBeUndefined();
  });
});
