import { assessSecurity } from '../findings/index.js';
import { planOf } from '../testing/topology-inputs.js';
import type { KubeObject, PlanResult } from '../types.js';
import { GKE_ALLOW_HTTP_ANNOTATION, GKE_FRONTEND_CONFIG_ANNOTATION } from './gke-https-redirect.js';

function planned(ingressController: string | undefined, tls: boolean): PlanResult {
  return planOf({
    name: 'corp',
    environment: { platform: 'gcp', ...(ingressController === undefined ? {} : { ingressController }) },
    components: [
      {
        name: 'portal',
        role: 'frontend',
        exposure: 'public',
        host: 'portal.corp.example.com',
        ...(tls ? { tls: true } : {}),
        ports: [{ name: 'http', port: 80 }],
      },
    ],
  });
}

function ingressOf(manifests: KubeObject[]): KubeObject {
  const ingress = manifests.find((object) => object.kind === 'Ingress');
  if (ingress === undefined) {
    throw new Error('no Ingress');
  }
  return ingress;
}

describe('GKE Ingress and plain HTTP', () => {
  it('external (gce), TLS: the Ingress names the FrontendConfig that redirects to HTTPS', () => {
    const { manifests, findings } = planned(undefined, true);
    const annotations = ingressOf(manifests).metadata.annotations ?? {};
    expect(annotations['kubernetes.io/ingress.class']).toBe('gce');
    expect(annotations[GKE_FRONTEND_CONFIG_ANNOTATION]).toBe('corp-https-redirect');
    expect(annotations).not.toHaveProperty(GKE_ALLOW_HTTP_ANNOTATION);
    expect(manifests.some((object) => object.kind === 'FrontendConfig')).toBe(true);
    expect(findings.map((finding) => finding.id)).not.toContain('EXP030');
  });

  describe('internal (gce-internal), TLS', () => {
    const { manifests, findings, topology, recommendations, ingress } = planned('gce-internal', true);
    const rendered = ingressOf(manifests);

    it('is named by the annotation GKE reads, not by spec.ingressClassName, which GKE ignores', () => {
      expect(rendered.metadata.annotations?.['kubernetes.io/ingress.class']).toBe('gce-internal');
      expect(rendered.spec).not.toHaveProperty('ingressClassName');
    });

    it('turns plain HTTP off, since it cannot redirect: no FrontendConfig, allow-http "false"', () => {
      expect(rendered.metadata.annotations?.[GKE_ALLOW_HTTP_ANNOTATION]).toBe('false');
      expect(rendered.metadata.annotations).not.toHaveProperty(GKE_FRONTEND_CONFIG_ANNOTATION);
      expect(manifests.some((object) => object.kind === 'FrontendConfig')).toBe(false);
      expect(findings.map((finding) => finding.id)).not.toContain('EXP030');
    });

    it('routes to a Service with NEGs, the only backends the internal load balancer takes', () => {
      const service = manifests.find((object) => object.kind === 'Service' && object.metadata.name === 'portal');
      expect(service?.metadata.annotations?.['cloud.google.com/neg']).toBe('{"ingress": true}');
    });

    it('without that annotation EXP030 fires, and its advice is the annotation, not a redirect', () => {
      const stripped = manifests.map((object) =>
        object === rendered
          ? {
              ...object,
              metadata: {
                ...object.metadata,
                annotations: { 'kubernetes.io/ingress.class': 'gce-internal' },
              },
            }
          : object,
      );
      const exp030 = assessSecurity(topology, recommendations, ingress, stripped).find(
        (finding) => finding.id === 'EXP030',
      );
      expect(exp030?.severity).toBe('medium');
      expect(exp030?.remediation).toContain('kubernetes.io/ingress.allow-http: "false"');
      expect(exp030?.remediation).not.toContain('redirectToHttps.enabled: true');
      expect(exp030?.detail).toContain('external Application Load Balancer only');
    });
  });

  it('internal without TLS keeps plain HTTP: turning it off would leave the load balancer nothing to serve', () => {
    const annotations = ingressOf(planned('gce-internal', false).manifests).metadata.annotations ?? {};
    expect(annotations['kubernetes.io/ingress.class']).toBe('gce-internal');
    expect(annotations).not.toHaveProperty(GKE_ALLOW_HTTP_ANNOTATION);
  });
});
