import type { Platform } from '../../src/planner/types.js';

/**
 * A realistic topology of any size, the same every time for the same arguments: blocks of ten
 * components (public web, internal api, StatefulSet database, cache, queue, worker, public TCP
 * gateway, partner API, node-exposed admin, an external dependency), wired frontend → api → stores.
 * The benchmark and the large-input tests share it.
 */
export function generateTopology(componentCount: number, platform: Platform = 'aws'): Record<string, unknown> {
  const components: Record<string, unknown>[] = [];
  for (let i = 0; components.length < componentCount; i++) {
    const block = [
      {
        name: `web-${i}`,
        role: 'frontend',
        replicas: 2,
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        exposure: 'public',
        host: `web-${i}.example.com`,
        tls: true,
        dependsOn: [`api-${i}`],
      },
      {
        name: `api-${i}`,
        role: 'api',
        ports: [{ name: 'http', port: 8080 }],
        dependsOn: [`db-${i}`, `cache-${i}`, `queue-${i}`],
      },
      {
        name: `db-${i}`,
        role: 'database',
        workload: 'StatefulSet',
        replicas: 3,
        ports: [{ name: 'postgres', port: 5432 }],
      },
      { name: `cache-${i}`, role: 'cache', ports: [{ name: 'redis', port: 6379 }] },
      { name: `queue-${i}`, role: 'queue', ports: [{ name: 'amqp', port: 5672 }] },
      { name: `worker-${i}`, role: 'worker', dependsOn: [`queue-${i}`, `db-${i}`] },
      {
        name: `mqtt-${i}`,
        role: 'gateway',
        ports: [{ name: 'mqtt', port: 1883 }],
        exposure: 'public',
        allowedSources: ['203.0.113.0/24'],
        dependsOn: [`queue-${i}`],
      },
      {
        name: `partner-${i}`,
        role: 'api',
        ports: [{ name: 'https', port: 443, targetPort: 8443 }],
        exposure: 'private',
        allowedSources: ['10.20.0.0/16'],
        dependsOn: [`api-${i}`],
      },
      {
        name: `admin-${i}`,
        role: 'other',
        ports: [{ name: 'http', port: 9000 }],
        exposure: 'node',
        dependsOn: [`db-${i}`],
      },
      { name: `legacy-${i}`, role: 'other', externalName: `legacy-${i}.corp.example.com` },
    ];
    components.push(...block.slice(0, componentCount - components.length));
  }
  // Dependencies on components cut off by the size limit are dropped, so every size is valid.
  const names = new Set(components.map((component) => component.name));
  for (const component of components) {
    if (Array.isArray(component.dependsOn)) {
      component.dependsOn = (component.dependsOn as string[]).filter((name) => names.has(name));
    }
  }
  return {
    name: `generated-${componentCount}`,
    namespace: 'bench',
    environment: { platform, region: 'us-east-1', ingressController: 'traefik', stage: 'production' },
    components,
  };
}
