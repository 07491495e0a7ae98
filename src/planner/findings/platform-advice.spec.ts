import { fixtures } from '../../../test/support/golden-fixtures.js';
import { planOf } from '../testing/topology-inputs.js';
import type { Platform } from '../types.js';

/**
 * A finding whose advice does not apply to the rendered objects is a bug: on every golden fixture,
 * no remediation names an annotation of another platform's load balancer or Ingress controller.
 */

/** Annotation prefixes, objects and managed products that belong to one platform only. */
const PLATFORM_PREFIXES: [Platform, string[]][] = [
  [
    'aws',
    [
      'service.beta.kubernetes.io/aws-',
      'alb.ingress.kubernetes.io/',
      'aws-load-balancer-',
      'ACM',
      'AWS Load Balancer Controller',
    ],
  ],
  ['gcp', ['cloud.google.com/', 'networking.gke.io/', 'FrontendConfig', 'BackendConfig', 'GCPBackendPolicy']],
  [
    'azure',
    ['service.beta.kubernetes.io/azure-', 'azure-load-balancer-', 'approuting', 'Application Gateway for Containers'],
  ],
  ['digitalocean', ['do-loadbalancer', 'DigitalOcean certificate']],
];

describe('finding remediations on the golden fixtures', () => {
  it('plans every fixture', () => {
    expect(fixtures.length).toBeGreaterThan(5);
  });

  it.each(fixtures)('%s: no remediation names another platform’s annotations', (_name, input) => {
    const planned = planOf(input);
    const platform = (input as { environment: { platform: Platform } }).environment.platform;
    const foreign = PLATFORM_PREFIXES.filter(([owner]) => owner !== platform).flatMap(([, prefixes]) => prefixes);
    const offending = planned.findings.flatMap((finding) =>
      foreign.filter((prefix) => finding.remediation.includes(prefix)).map((prefix) => `${finding.id}: ${prefix}`),
    );
    expect(offending).toEqual([]);
  });
});
