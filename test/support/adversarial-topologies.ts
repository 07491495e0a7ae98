import { generateTopology } from './generate-topology.js';

/**
 * Topologies shaped to find a step of the planner that grows faster than the components, edges
 * and ports: each is valid at any size (2,000, the maximum, in `npm run bench:planner`). The
 * benchmark and the scaling and YAML tests share them.
 *
 * - `dependency-chain`: each internal API depends on the one before it.
 * - `fan-in-star`: every component depends on the first.
 * - `all-public`: public HTTP components, each on a TLS host of its own behind the shared Ingress.
 * - `all-node-exposed`: every component on node ports.
 * - `ports-100`: internal components with 100 ports each (the most a component may have).
 * - `host-less-public` (and `-chain`): half the generated topology, half public HTTP components
 *   without a host, which all ask for the same route: the first takes it, the others get a load
 *   balancer of their own (the chain variant also makes them a dependency chain).
 */
export const ADVERSARIAL_SHAPES = [
  'dependency-chain',
  'fan-in-star',
  'all-public',
  'all-node-exposed',
  'ports-100',
  'host-less-public',
  'host-less-public-chain',
] as const;

export type AdversarialShape = (typeof ADVERSARIAL_SHAPES)[number];

type ComponentInput = Record<string, unknown>;

export function adversarialTopology(shape: AdversarialShape, componentCount: number): Record<string, unknown> {
  const numbered = (make: (index: number) => ComponentInput): ComponentInput[] =>
    Array.from({ length: componentCount }, (_, index) => make(index));
  const api = (index: number): ComponentInput => ({
    name: `api-${index}`,
    role: 'api',
    ports: [{ name: 'http', port: 8080 }],
  });
  switch (shape) {
    case 'dependency-chain':
      return topology(
        shape,
        componentCount,
        numbered((index) => withDependency(api(index), index, index - 1)),
      );
    case 'fan-in-star':
      return topology(
        shape,
        componentCount,
        numbered((index) => withDependency(api(index), index, 0)),
      );
    case 'all-public':
      return topology(
        shape,
        componentCount,
        numbered((index) => ({
          name: `web-${index}`,
          role: 'frontend',
          ports: [{ name: 'http', port: 80, targetPort: 8080 }],
          exposure: 'public',
          host: `web-${index}.example.com`,
          tls: true,
        })),
      );
    case 'all-node-exposed':
      return topology(
        shape,
        componentCount,
        numbered((index) => ({ ...api(index), role: 'other', exposure: 'node' })),
      );
    case 'ports-100':
      return topology(
        shape,
        componentCount,
        numbered((index) => ({
          ...api(index),
          ports: Array.from({ length: 100 }, (_, port) => ({ name: `p${port}`, port: 10_000 + port })),
        })),
      );
    case 'host-less-public':
    case 'host-less-public-chain': {
      const hostLess = Math.floor(componentCount / 2);
      const generated = generateTopology(componentCount - hostLess);
      const components = generated.components as ComponentInput[];
      for (let index = 0; index < hostLess; index++) {
        const web: ComponentInput = {
          name: `public-${index}`,
          role: 'frontend',
          ports: [{ name: 'http', port: 80 }],
          exposure: 'public',
        };
        if (shape === 'host-less-public-chain' && index > 0) {
          web.dependsOn = [`public-${index - 1}`];
        }
        components.push(web);
      }
      return { ...generated, name: `${shape}-${componentCount}` };
    }
  }
}

function withDependency(component: ComponentInput, index: number, dependency: number): ComponentInput {
  return index === 0 ? component : { ...component, dependsOn: [`api-${dependency}`] };
}

function topology(shape: AdversarialShape, componentCount: number, components: ComponentInput[]) {
  return {
    name: `${shape}-${componentCount}`,
    namespace: 'bench',
    environment: { platform: 'aws', region: 'us-east-1', ingressController: 'traefik', stage: 'production' },
    components,
  };
}
