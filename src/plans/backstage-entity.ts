import { severityOrder } from '../planner/rules.js';
import type { Finding, ServiceType } from '../planner/types.js';
import type { ShareLink } from '../auth/strategies/share-link-token.js';
import type { StoredPlan } from './plans.types.js';

/**
 * The annotation the view writes to tie an entity to its plan. Import reads it as the view's own
 * output, not as a setting, so an entity merged as docs/backstage.md says imports again.
 */
export const PLAN_ID_ANNOTATION = 'exposure-planner.io/plan-id';

/** What a Backstage catalog entity needs to show a plan: GET /v1/plans/:id/backstage (docs/backstage.md). */
export type BackstageView = {
  /** To merge into the entity's metadata.annotations. */
  annotations: Record<string, string>;
  /** To merge into the entity's metadata.links (https://backstage.io/docs/features/software-catalog/descriptor-format#links-optional). */
  links: { url: string; title: string; icon?: string }[];
  summary: {
    revision: number;
    serviceTypes: Partial<Record<ServiceType | 'none', number>>;
    monthlyCost: { amount: number; currency: string };
    findings: number;
    worstFinding: Pick<Finding, 'id' | 'severity' | 'title' | 'component'> | null;
  };
};

/**
 * The annotations the Kubernetes plugin reads (https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity):
 * the label selector takes precedence over the id, and every object the plan renders carries
 * app.kubernetes.io/part-of=<plan name>, so the entity shows exactly them. `page`: a share link to
 * the plan's web page (absent while share links are off); it expires, so the view is fetched anew.
 */
export function backstageView(plan: StoredPlan, baseUrl: string, page?: ShareLink): BackstageView {
  const planUrl = `${baseUrl}/v1/plans/${plan.id}`;
  const serviceTypes: BackstageView['summary']['serviceTypes'] = {};
  for (const recommendation of plan.recommendations) {
    const type = recommendation.serviceType ?? 'none';
    serviceTypes[type] = (serviceTypes[type] ?? 0) + 1;
  }
  const worst = [...plan.findings].sort((a, b) => severityOrder(a.severity) - severityOrder(b.severity))[0];
  return {
    annotations: {
      'backstage.io/kubernetes-id': plan.name,
      'backstage.io/kubernetes-namespace': plan.topology.namespace,
      'backstage.io/kubernetes-label-selector': `app.kubernetes.io/part-of=${plan.name}`,
      [PLAN_ID_ANNOTATION]: plan.id,
    },
    links: [
      { url: planUrl, title: 'Exposure plan', icon: 'dashboard' },
      ...(page === undefined
        ? []
        : [{ url: page.url, title: `Exposure plan page (until ${page.expiresAt})`, icon: 'web' }]),
      { url: `${planUrl}/manifests`, title: 'Exposure plan manifests (YAML)', icon: 'code' },
      { url: `${planUrl}/verify.sh`, title: 'Exposure plan verification script', icon: 'code' },
    ],
    summary: {
      revision: plan.revision,
      serviceTypes,
      monthlyCost: { amount: plan.cost.monthlyTotal, currency: plan.cost.currency },
      findings: plan.findings.length,
      worstFinding:
        worst === undefined
          ? null
          : {
              id: worst.id,
              severity: worst.severity,
              title: worst.title,
              ...(worst.component === undefined ? {} : { component: worst.component }),
            },
    },
  };
}
