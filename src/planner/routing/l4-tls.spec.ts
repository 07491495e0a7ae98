import { planOf, publicFrontend } from '../testing/topology-inputs.js';
import { validateManifests } from '../testing/kube-validation.js';
import type { KubeObject, PlanResult } from '../types.js';
import { validateTopology } from '../topology/index.js';
import { albHostsWithoutCertificate, loadBalancerTerminatesTls } from './l4-tls.js';
import { buildComponent } from '../testing/builders.js';
import { at } from '../testing/items.js';

const ACM_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const DO_ID = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** A private (VPN) web app with a host and TLS: it gets an internal L4 load balancer on every cloud. */
function privateApp(platform: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'office',
    environment: { platform },
    components: [
      {
        name: 'intranet',
        role: 'frontend',
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        exposure: 'private',
        allowedSources: ['10.0.0.0/8'],
        host: 'intranet.example.com',
        tls: true,
        ...extra,
      },
    ],
  };
}

function service(result: PlanResult, name: string): KubeObject {
  const found = result.manifests.find((object) => object.kind === 'Service' && object.metadata.name === name);
  if (found === undefined) {
    throw new Error(`no Service ${name}`);
  }
  return found;
}

describe('TLS on an L4 load balancer', () => {
  it('AWS: an ACM certificate gives the NLB a TLS listener on 443 that forwards to the container port', () => {
    const result = planOf(privateApp('aws', { certificate: ACM_ARN }));
    const rendered = service(result, 'intranet');
    expect(rendered.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': ACM_ARN,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
    });
    expect((rendered.spec as { ports: unknown[] }).ports).toEqual([
      { name: 'http', port: 443, targetPort: 8080, protocol: 'TCP' },
    ]);
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP006');
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('tls: true holds on its own load balancer');
    const curl = result.verification.find((step) => step.command.includes('https://intranet.example.com'));
    expect(curl?.command).toContain('--connect-to intranet.example.com:443:<lb-address>:443');
    // port-forward goes to the Service port as rendered, 443.
    expect(result.verification.some((step) => step.command.includes('svc/intranet :443 '))).toBe(true);
  });

  it('DigitalOcean: a certificate id gives an HTTPS forwarding rule on 443, plain HTTP to the pod', () => {
    const result = planOf(privateApp('digitalocean', { certificate: DO_ID }));
    expect(service(result, 'intranet').metadata.annotations).toMatchObject({
      // The cloud controller's default type, REGIONAL_NETWORK, would never read the three below.
      'service.beta.kubernetes.io/do-loadbalancer-type': 'REGIONAL',
      'service.beta.kubernetes.io/do-loadbalancer-protocol': 'http',
      'service.beta.kubernetes.io/do-loadbalancer-tls-ports': '443',
      'service.beta.kubernetes.io/do-loadbalancer-certificate-id': DO_ID,
    });
    expect(validateManifests(result.manifests)).toEqual([]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP006');
  });

  it('AWS: a UDP port 443 leaves no room for the TLS listener: no certificate rendered, tls: true said NOT enforced, EXP025', () => {
    // An NLB has one listener per port; the TCP_UDP one that shares a number takes no certificate.
    const result = planOf(
      privateApp('aws', {
        certificate: ACM_ARN,
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'quic', port: 443, protocol: 'UDP', targetPort: 8443 },
        ],
      }),
    );
    const rendered = service(result, 'intranet');
    expect(JSON.stringify(rendered)).not.toContain(ACM_ARN);
    expect((rendered.spec as { ports: { port: number }[] }).ports.map((port) => port.port)).toEqual([80, 443]);
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain(
      "tls: true is NOT enforced on its own load balancer: the certificate is not used: its UDP port quic holds the NLB's port 443",
    );
    expect(result.findings.find((finding) => finding.id === 'EXP025')?.remediation).toContain(
      'move that port to another number',
    );
    expect(validateManifests(result.manifests)).toEqual([]);
  });

  it.each([
    ['aws', ACM_ARN],
    ['digitalocean', DO_ID],
  ])(
    '%s: a TCP port 443 of its own leaves no room for the TLS listener: valid ports, no certificate, EXP025',
    (platform, id) => {
      // Moving the HTTP port to 443 as well listed 443/TCP twice, which the API server refuses.
      const result = planOf(
        privateApp(platform, {
          certificate: id,
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'tls-grpc', port: 443, targetPort: 9443 },
          ],
        }),
      );
      expect(validateManifests(result.manifests)).toEqual([]);
      const rendered = service(result, 'intranet');
      expect(JSON.stringify(rendered)).not.toContain(id);
      expect((rendered.spec as { ports: { port: number }[] }).ports.map((port) => port.port)).toEqual([80, 443]);
      expect(at(result.recommendations, 0).rationale.join(' ')).toContain(
        "tls: true is NOT enforced on its own load balancer: the certificate is not used: its TCP port tls-grpc already takes the load balancer's port 443",
      );
      expect(result.findings.find((finding) => finding.id === 'EXP025')?.remediation).toContain(
        'move that port to another number',
      );
    },
  );

  it.each(['aws', 'digitalocean'])(
    '%s without a certificate: plain HTTP on the private load balancer, a high EXP025 that names the certificate field',
    (platform) => {
      const result = planOf(privateApp(platform));
      const annotations = service(result, 'intranet').metadata.annotations ?? {};
      expect(Object.keys(annotations).some((key) => key.includes('ssl-cert') || key.includes('certificate-id'))).toBe(
        false,
      );
      expect(at(result.recommendations, 0).rationale.join(' ')).toContain('tls: true is NOT enforced');
      const finding = result.findings.find((candidate) => candidate.id === 'EXP025');
      expect(finding).toMatchObject({ severity: 'high', component: 'intranet' });
      expect(finding?.remediation).toContain('set certificate on intranet');
      expect(result.verification.some((step) => step.command.includes('http://<lb-address>:80/'))).toBe(true);
    },
  );

  it('a public component on its own load balancer without a certificate keeps a high EXP006 that names the field', () => {
    const result = planOf({
      name: 'shop',
      environment: { platform: 'digitalocean', ingressController: 'nginx' },
      components: [publicFrontend('admin', { tls: true, allowedSources: ['203.0.113.0/24'] })],
    });
    expect(result.recommendations[0]).toMatchObject({ serviceType: 'LoadBalancer' });
    const finding = result.findings.find((candidate) => candidate.id === 'EXP006');
    expect(finding).toMatchObject({ severity: 'high', component: 'admin' });
    expect(finding?.remediation).toContain('set certificate on admin to a DigitalOcean certificate id');
  });

  it('AWS with the shared ALB: the certificates routed components name go in certificate-arn', () => {
    const result = planOf({
      name: 'shop',
      environment: { platform: 'aws' },
      components: ['web', 'api'].map((name) =>
        publicFrontend(name, { tls: true, ...(name === 'web' ? { certificate: ACM_ARN } : {}) }),
      ),
    });
    const ingress = result.manifests.find((object) => object.kind === 'Ingress');
    expect(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/certificate-arn']).toBe(ACM_ARN);
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain('certificate-arn');
    expect(validateManifests(result.manifests)).toEqual([]);
  });
});

describe('tls: true on ports its own L4 entry point passes through', () => {
  /** A public game server on GKE: UDP for the game, plain TCP for its control channel, tls: true. */
  const game = (ports: unknown[], exposure = 'public', platform = 'gcp') =>
    planOf({
      name: 'arena',
      environment: { platform },
      components: [{ name: 'match', role: 'api', exposure, host: 'play.example.com', tls: true, ports }],
    });

  it('a port that is not HTTP gets a high EXP036, and the rationale names it and that finding', () => {
    const result = game([
      { name: 'game', port: 7777, protocol: 'UDP' },
      { name: 'control', port: 7778, protocol: 'TCP' },
    ]);
    expect(result.findings.find((finding) => finding.id === 'EXP036')).toMatchObject({
      severity: 'high',
      component: 'match',
      detail:
        'match sets tls: true, but its LoadBalancer passes ports 7777/UDP (game), 7778/TCP (control) through as plain UDP and TCP: they do not carry HTTP, so no certificate in front of the pod applies, and the traffic is encrypted only if match itself speaks TLS there (DTLS or QUIC over UDP).',
    });
    // No HTTP port: no EXP006, and no sentence about plain HTTP.
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP006');
    const rationale = at(result.recommendations, 0).rationale;
    expect(rationale).toContain(
      'tls: true is NOT enforced on game, control: they are not HTTP, so its own load balancer passes them through as plain UDP and TCP and no certificate applies; the traffic is encrypted only if match speaks TLS there itself (name such a port with a tls prefix or give it appProtocol tls to say so; finding EXP036)',
    );
    expect(rationale.join(' ')).not.toContain('serves plain HTTP');
  });

  it('a port that says it speaks TLS (a tls name, or appProtocol tls) is served over TLS by the pod: no EXP036', () => {
    const result = game([
      { name: 'tls-game', port: 7777, protocol: 'TCP' },
      { name: 'control', port: 7778, protocol: 'TCP', appProtocol: 'tls' },
    ]);
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP036');
    expect(at(result.recommendations, 0).rationale.join(' ')).not.toContain('NOT enforced');
  });

  it('node ports: the finding and the rationale speak of node ports; an HTTP port beside it keeps its own finding, EXP025', () => {
    const result = game(
      [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'control', port: 7778, protocol: 'TCP' },
      ],
      'node',
      'bare-metal',
    );
    const ids = result.findings.map((finding) => finding.id);
    expect(ids).toEqual(expect.arrayContaining(['EXP025', 'EXP036']));
    expect(result.findings.find((finding) => finding.id === 'EXP036')?.detail).toContain(
      'its node ports pass port 7778/TCP (control) through as plain TCP',
    );
    const rationale = at(result.recommendations, 0).rationale.join(' ');
    expect(rationale).toContain('(finding EXP025)');
    expect(rationale).toContain('so its own node ports pass it through as plain TCP');
  });
});

describe('a certificate the shared entry point does not read', () => {
  it('DigitalOcean behind the shared Ingress: the rationale says the certificate is not used', () => {
    const result = planOf({
      name: 'shop',
      environment: { platform: 'digitalocean', ingressController: 'nginx' },
      components: [publicFrontend('web', { tls: true, certificate: DO_ID })],
    });
    expect(result.recommendations[0]).toMatchObject({ entryPoint: 'ingress' });
    expect(at(result.recommendations, 0).rationale.join(' ')).toContain(`certificate ${DO_ID} is not used`);
    expect(JSON.stringify(result.manifests)).not.toContain(DO_ID);
  });
});

describe(albHostsWithoutCertificate.name, () => {
  const OTHER_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000';
  const named = (name: string, host: string, certificate = ACM_ARN) =>
    buildComponent({ name, exposure: 'public', host, tls: true, certificate });
  const unnamed = (name: string, host: string | undefined, tls = true) =>
    buildComponent({ name, exposure: 'public', ...(host === undefined ? {} : { host }), tls });
  const left = (className: string, routed: ReturnType<typeof buildComponent>[]) =>
    albHostsWithoutCertificate(className, routed).map((component) => component.name);

  it('names every host no named certificate was given for, once the ALB names any', () => {
    // The controller discovers certificates only when the Ingress names none
    // (pkg/ingress/model_build_listener.go l.133-190 at 225f445).
    expect(
      left('alb', [
        named('web', 'a.example.com'),
        unnamed('api', 'b.example.com'),
        unnamed('docs', 'c.example.com', false),
      ]),
    ).toEqual(['api', 'docs']);
  });

  it('names none when every host names its certificate, when none does, or on another class', () => {
    expect(left('alb', [named('web', 'a.example.com'), named('api', 'b.example.com', OTHER_ARN)])).toEqual([]);
    expect(left('alb', [unnamed('web', 'a.example.com'), unnamed('api', 'b.example.com')])).toEqual([]);
    expect(left('nginx', [named('web', 'a.example.com'), unnamed('api', 'b.example.com')])).toEqual([]);
  });

  it('counts a host as named under a wildcard one label above it, and another on the same host', () => {
    expect(
      left('alb', [
        named('any', '*.example.com'),
        unnamed('api', 'api.example.com'),
        unnamed('deep', 'x.api.example.com'),
        unnamed('apex', 'example.com'),
      ]),
    ).toEqual(['deep', 'apex']);
    expect(left('alb', [named('web', 'a.example.com'), unnamed('admin', 'a.example.com')])).toEqual([]);
  });

  it('leaves host-less components out: discovery never had a host to find theirs by', () => {
    expect(left('alb', [named('web', 'a.example.com'), unnamed('site', undefined, false)])).toEqual([]);
  });
});

describe('TLS hosts on one ALB, some naming a certificate', () => {
  it('says the controller finds no certificate for the others, with EXP039, instead of promising discovery', () => {
    const result = planOf({
      name: 't',
      environment: { platform: 'aws' },
      components: [publicFrontend('web', { tls: true, certificate: ACM_ARN }), publicFrontend('api', { tls: true })],
    });
    const ingress = result.manifests.find((object) => object.kind === 'Ingress');
    expect(ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/certificate-arn']).toBe(ACM_ARN);
    const api = at(result.recommendations, 1).rationale.join(' ');
    expect(api).toContain('NO certificate for api.example.com');
    expect(api).not.toContain('finds by the host');
    expect(result.ingress?.install).toContain('the ones named in certificate-arn alone');
    expect(result.findings.filter((finding) => finding.id === 'EXP039')).toEqual([
      expect.objectContaining({ component: 'api', severity: 'high' }),
    ]);
  });

  it('promises discovery by host only when no component names a certificate', () => {
    const result = planOf({
      name: 't',
      environment: { platform: 'aws' },
      components: [publicFrontend('web', { tls: true }), publicFrontend('api', { tls: true })],
    });
    expect(at(result.recommendations, 1).rationale.join(' ')).toContain(
      'which the AWS Load Balancer Controller finds by the host in spec.tls',
    );
    expect(result.ingress?.install).toContain('otherwise found by the hosts in the Ingress');
    expect(result.findings.map((finding) => finding.id)).not.toContain('EXP039');
  });
});

describe(loadBalancerTerminatesTls.name, () => {
  const aws = { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': ACM_ARN };
  const digitalocean = {
    'service.beta.kubernetes.io/do-loadbalancer-type': 'REGIONAL',
    'service.beta.kubernetes.io/do-loadbalancer-certificate-id': DO_ID,
  };
  it.each([
    ['AWS, every port when ssl-ports is absent', aws, { port: 8080 }, true],
    [
      'AWS, a port listed by number',
      { ...aws, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443' },
      { port: 443 },
      true,
    ],
    [
      'AWS, a port listed by name',
      { ...aws, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': 'web' },
      { port: 80, name: 'web' },
      true,
    ],
    [
      'AWS, a port left out of ssl-ports',
      { ...aws, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443' },
      { port: 80 },
      false,
    ],
    [
      'AWS, a port also served over UDP (a TCP_UDP listener, or the UDP one, takes the number)',
      { ...aws, 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443' },
      { port: 443, sharesUdp: true },
      false,
    ],
    [
      'AWS, ssl-ports without a certificate',
      { 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443' },
      { port: 443 },
      false,
    ],
    ['DigitalOcean, 443 when tls-ports is absent', digitalocean, { port: 443 }, true],
    ['DigitalOcean, another port when tls-ports is absent', digitalocean, { port: 8080 }, false],
    [
      'DigitalOcean, a listed port',
      { ...digitalocean, 'service.beta.kubernetes.io/do-loadbalancer-tls-ports': '8443' },
      { port: 8443 },
      true,
    ],
    [
      'DigitalOcean, protocol https',
      { ...digitalocean, 'service.beta.kubernetes.io/do-loadbalancer-protocol': 'https' },
      { port: 80 },
      true,
    ],
    [
      'DigitalOcean, passthrough (the pod serves TLS, not the load balancer)',
      { ...digitalocean, 'service.beta.kubernetes.io/do-loadbalancer-tls-passthrough': 'true' },
      { port: 443 },
      false,
    ],
    [
      'DigitalOcean without a type: the default, REGIONAL_NETWORK, forwards plain TCP and never reads the certificate',
      { 'service.beta.kubernetes.io/do-loadbalancer-certificate-id': DO_ID },
      { port: 443 },
      false,
    ],
    [
      'DigitalOcean, REGIONAL_NETWORK asked for',
      { ...digitalocean, 'service.beta.kubernetes.io/do-loadbalancer-type': 'REGIONAL_NETWORK' },
      { port: 443 },
      false,
    ],
    ['no annotations', {}, { port: 443 }, false],
  ] as const)('%s → %s', (_label, annotations, port, expected) => {
    expect(loadBalancerTerminatesTls({ ...annotations }, port)).toBe(expected);
  });
});

describe('components[].certificate validation', () => {
  const problemsOf = (input: unknown) => {
    const outcome = validateTopology(input);
    return outcome.ok ? [] : outcome.problems;
  };

  it.each([
    ['aws', ACM_ARN],
    ['aws', 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
    ['digitalocean', DO_ID],
  ])('%s accepts %s', (platform, certificate) => {
    expect(problemsOf(privateApp(platform, { certificate }))).toEqual([]);
  });

  it.each([
    ['aws', DO_ID, 'is not an AWS Certificate Manager certificate ARN'],
    ['aws', 'arn:aws:iam::123456789012:server-certificate/web', 'is not an AWS Certificate Manager certificate ARN'],
    ['digitalocean', ACM_ARN, 'is not a DigitalOcean certificate id'],
    ['gcp', ACM_ARN, 'certificate is read only on aws'],
    ['k3s', DO_ID, 'tls Secret'],
  ])('%s refuses %s', (platform, certificate, message) => {
    expect(problemsOf(privateApp(platform, { certificate }))).toEqual([
      { path: 'components[0].certificate', message: expect.stringContaining(message) as string },
    ]);
  });

  it('a certificate without tls: true is refused, with its path', () => {
    expect(problemsOf(privateApp('aws', { certificate: ACM_ARN, tls: false }))).toEqual([
      { path: 'components[0].certificate', message: expect.stringContaining('needs tls: true') as string },
    ]);
  });

  it('a certificate that is not a string is a shape problem, reported once', () => {
    expect(problemsOf(privateApp('aws', { certificate: 42 }))).toEqual([
      { path: 'components[0].certificate', message: expect.any(String) as string },
    ]);
  });
});
