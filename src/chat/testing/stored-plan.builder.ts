import type { Finding, Recommendation, Severity } from '../../planner/types.js';
import { buildRecommendation } from '../../planner/testing/builders.js';
import type { PlanPreview, StoredPlan } from '../../plans/plans.types.js';

/**
 * A stored plan written out by hand, as the application layer hands it to the chat transports, so
 * the formatters can be tested on exact, known content (the e2e test uses the real planner).
 */
export const PLAN_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';

export function recommendation(component: string, overrides: Partial<Recommendation> = {}): Recommendation {
  return buildRecommendation(component, {
    rationale: [`${component} is reached from inside the cluster only, so a ClusterIP is enough`],
    ...overrides,
  });
}

export function finding(id: string, severity: Severity, component?: string): Finding {
  return {
    id,
    severity,
    ...(component === undefined ? {} : { component }),
    title: `${id} title`,
    detail: `${id} detail`,
    remediation: `${id} remediation`,
  };
}

export function buildStoredPlan(overrides: Partial<StoredPlan> = {}): StoredPlan {
  return {
    id: PLAN_ID,
    name: 'shop',
    revision: 2,
    createdAt: '2026-03-01T10:00:00.000Z',
    engineVersion: '1.0.0',
    topology: {
      name: 'shop',
      namespace: 'production',
      environment: { platform: 'aws', region: 'us-east-1', stage: 'production', ingressController: 'nginx' },
      components: [],
    },
    recommendations: [
      recommendation('web', {
        entryPoint: 'ingress',
        rationale: ['public HTTP on aws with an nginx ingress controller: share one load balancer among them all'],
        alternatives: [
          {
            serviceType: 'LoadBalancer',
            entryPoint: 'load-balancer',
            reason: 'one cloud load balancer per service',
            monthlyCost: 16.43,
          },
        ],
      }),
      recommendation('api', { serviceType: 'LoadBalancer', entryPoint: 'load-balancer', scheme: 'internal' }),
      recommendation('db', { headless: true }),
      recommendation('mailer', { serviceType: null, rationale: ['no ports: no Service'] }),
    ],
    ingress: { className: 'nginx', controllerPresent: true, components: ['web'] },
    gateway: null,
    manifests: [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'production' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'production' } },
    ],
    networkPolicyCoverage: null,
    cost: {
      currency: 'USD',
      monthlyTotal: 34.68,
      items: [
        {
          resource: 'ingress-controller',
          description: 'ingress controller load balancer',
          monthly: 18.25,
          basis: '$0.0225/h x 730 h + 1 NLCU',
        },
        {
          component: 'api',
          resource: 'load-balancer',
          description: 'AWS Network Load Balancer',
          monthly: 16.43,
          basis: '$0.0225/h x 730 h',
        },
      ],
      savings: [{ description: 'one Ingress instead of 1 more load balancer', monthly: 16.43 }],
      pricing: { source: 'AWS price list', asOf: '2026-01-15' },
    },
    findings: [
      finding('EXP010', 'low', 'web'),
      finding('EXP001', 'critical', 'db'),
      finding('EXP020', 'info'),
      finding('EXP004', 'high', 'api'),
      finding('EXP005', 'medium', 'api'),
      finding('EXP003', 'high', 'web'),
      finding('EXP002', 'critical', 'api'),
    ],
    verification: [],
    ...overrides,
  };
}

/** The same plan as a dry run answers it: computed, not stored, so without id, revision or date. */
export function buildPlanPreview(overrides: Partial<StoredPlan> = {}): PlanPreview {
  const preview: Partial<StoredPlan> & PlanPreview = buildStoredPlan(overrides);
  delete preview.id;
  delete preview.revision;
  delete preview.createdAt;
  return preview;
}
