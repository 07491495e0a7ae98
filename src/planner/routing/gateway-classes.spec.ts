import { loadBalancersMonthly } from '../cost.js';
import { DEFAULT_PRICING } from '../pricing.js';
import { PLATFORMS, type Platform } from '../types.js';
import { renderGatewayClass } from './gateway-api.js';
import {
  AKS_INGRESS_ALTERNATIVES,
  AKS_INGRESS_DEFAULT,
  GATEWAY_API_CHANNELS,
  GATEWAY_CATALOG,
  GATEWAY_NAME_LABEL,
  dataPlanePeers,
  defaultGatewayImplementation,
  gatewayCharge,
  gatewayImplementationByClass,
  gatewayImplementations,
  implementationForKind,
  implementationsSupporting,
  isAtLeast,
  kindChannel,
  retiringController,
  type Fact,
  type GatewayApiVersion,
  type GatewayImplementation,
  type GatewayPrice,
} from './gateway-classes.js';
import { validateGatewayApiObject } from './testing/gateway-api-validation.js';
import { at } from '../testing/items.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function expectSourced(fact: Fact): void {
  expect(fact.text.length).toBeGreaterThan(10);
  expect(fact.source).toMatch(/^https:\/\/[^\s]+$/);
  expect(fact.asOf).toMatch(ISO_DATE);
}

const implementations = gatewayImplementations();

describe('GATEWAY_CATALOG', () => {
  it.each(PLATFORMS)(
    '%s proposes a supported, non-retiring implementation for public and internal traffic',
    (platform) => {
      const entry = GATEWAY_CATALOG[platform];
      for (const implementation of [entry.default, entry.internal, entry.l4]) {
        if (implementation === undefined) {
          continue;
        }
        expect(retiringController(implementation.className)).toBeUndefined();
        expect(implementation.supports).toContain('ReferenceGrant');
      }
      expect(entry.default.supports).toContain('HTTPRoute');
      expect(entry.default.scheme).not.toBe('internal');
      expect(entry.internal.scheme).not.toBe('internet-facing');
      expect(entry.routingReason.length).toBeGreaterThan(20);
      expect(entry.why.length).toBeGreaterThan(20);
    },
  );

  it.each([
    ['aws', 'aws-alb-gateway-class', 'ingress'],
    ['gcp', 'gke-l7-global-external-managed', 'ingress'],
    ['azure', 'approuting-istio', 'gateway-api'],
    ['digitalocean', 'cilium', 'ingress'],
    ['other-cloud', 'eg', 'ingress'],
    ['bare-metal', 'eg', 'ingress'],
    ['kind', 'eg', 'ingress'],
    ['minikube', 'eg', 'ingress'],
    ['k3s', 'traefik', 'ingress'],
  ] as [Platform, string, string][])('%s: default class %s, routing %s', (platform, className, routing) => {
    expect(GATEWAY_CATALOG[platform].default.className).toBe(className);
    expect(GATEWAY_CATALOG[platform].routing).toBe(routing);
  });

  it('proposes the internal GKE class when nothing routed is public', () => {
    expect(defaultGatewayImplementation('gcp', false).className).toBe('gke-l7-rilb');
    expect(defaultGatewayImplementation('gcp', true).className).toBe('gke-l7-global-external-managed');
  });

  it('on AKS defaults away from the NGINX add-on, to the Microsoft-supported Gateway API implementation', () => {
    expect(retiringController('webapprouting.kubernetes.azure.com')?.endOfSupport).toBe('2026-11');
    expect(GATEWAY_CATALOG.azure.routing).toBe('gateway-api');
    expect(GATEWAY_CATALOG.azure.routingReason).toMatch(/November 2026/);
    expect(GATEWAY_CATALOG.azure.default.stage).toBe('ga');
  });

  it.each(implementations.map((implementation) => [implementation.id, implementation] as const))(
    '%s states its class, controller, stage, install, limits and price with sources and dates',
    (_, implementation) => {
      expect(implementation.className).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      expect(implementation.controllerName).toMatch(/^[a-z0-9.-]+\/[A-Za-z0-9/._-]+$/);
      expectSourced(implementation.stageSource);
      expectSourced(implementation.price.basis);
      implementation.limits.forEach(expectSourced);
      expect(implementation.install.length).toBeGreaterThan(20);
      expect(implementation.installSource).toMatch(/^https:\/\//);
      expect(implementation.supports.length).toBeGreaterThan(1);
      expect(isAtLeast(implementation.gatewayApiBundle, 'v1.0.0')).toBe(true);
    },
  );

  it('names each class once per platform, so a class name maps back to one implementation', () => {
    for (const platform of PLATFORMS) {
      const entry = GATEWAY_CATALOG[platform];
      for (const implementation of [entry.default, entry.l4, ...entry.alternatives]) {
        if (implementation !== undefined) {
          expect(gatewayImplementationByClass(platform, implementation.className)?.id).toBe(implementation.id);
        }
      }
    }
    expect(gatewayImplementationByClass('aws', 'nginx')).toBeUndefined();
  });

  it.each(implementations.filter((i) => i.gatewayClass === 'create').map((i) => [i.id, i] as const))(
    'renders a valid GatewayClass for %s, whose install does not create one',
    (_, implementation) => {
      expect(validateGatewayApiObject(renderGatewayClass(implementation))).toEqual([]);
    },
  );
});

describe('route kinds per platform', () => {
  it.each([
    ['aws', 'TCPRoute', 'aws-nlb'],
    ['aws', 'UDPRoute', 'aws-nlb'],
    ['aws', 'TLSRoute', 'aws-nlb'],
    ['aws', 'GRPCRoute', 'aws-alb'],
    ['gcp', 'GRPCRoute', undefined],
    ['gcp', 'TCPRoute', undefined],
    ['azure', 'GRPCRoute', 'approuting-istio'],
    ['azure', 'TLSRoute', undefined],
    ['azure', 'TCPRoute', undefined],
    ['digitalocean', 'TLSRoute', 'doks-cilium'],
    ['digitalocean', 'UDPRoute', undefined],
    ['bare-metal', 'UDPRoute', 'envoy-gateway'],
    ['k3s', 'TCPRoute', 'traefik-k3s'],
    ['k3s', 'UDPRoute', undefined],
  ] as const)('%s serves %s with %s', (platform, kind, id) => {
    expect(implementationForKind(platform, kind, true)?.id).toBe(id);
  });

  it('names the alternatives that serve a kind the default cannot', () => {
    expect(implementationsSupporting('k3s', 'UDPRoute').map((i) => i.id)).toEqual([
      'envoy-gateway',
      'cilium',
      'nginx-gateway-fabric',
    ]);
    expect(implementationsSupporting('gcp', 'TCPRoute').map((i) => i.id)).toEqual(['envoy-gateway']);
  });
});

describe('channels', () => {
  it.each([
    ['TCPRoute', 'v1.6.1', 'standard', 'gateway.networking.k8s.io/v1'],
    ['TCPRoute', 'v1.6.0', 'standard', 'gateway.networking.k8s.io/v1'],
    ['TCPRoute', 'v1.5.0', 'experimental', 'gateway.networking.k8s.io/v1alpha2'],
    ['UDPRoute', 'v1.5.1', 'experimental', 'gateway.networking.k8s.io/v1alpha2'],
    ['TLSRoute', 'v1.5.0', 'standard', 'gateway.networking.k8s.io/v1'],
    ['TLSRoute', 'v1.4.1', 'experimental', 'gateway.networking.k8s.io/v1alpha2'],
    ['BackendTLSPolicy', 'v1.4.0', 'standard', 'gateway.networking.k8s.io/v1'],
    ['BackendTLSPolicy', 'v1.3.0', 'experimental', 'gateway.networking.k8s.io/v1alpha3'],
    ['GRPCRoute', 'v1.3.0', 'standard', 'gateway.networking.k8s.io/v1'],
    ['HTTPRoute', 'v1.0.0', 'standard', 'gateway.networking.k8s.io/v1'],
    ['ReferenceGrant', 'v1.6.1', 'standard', 'gateway.networking.k8s.io/v1beta1'],
  ] as const)('%s with a %s bundle: %s channel, %s', (kind, bundle, channel, apiVersion) => {
    expect(kindChannel(kind, bundle)).toEqual({ channel, apiVersion });
  });

  it.each([
    ['v1.6.1', 'v1.6.0', true],
    ['v1.6.0', 'v1.6.0', true],
    ['v1.5.9', 'v1.6.0', false],
    ['v1.10.0', 'v1.6.0', true],
    ['v2.0.0', 'v1.9.9', true],
  ] as [GatewayApiVersion, GatewayApiVersion, boolean][])('isAtLeast(%s, %s) is %s', (a, b, expected) => {
    expect(isAtLeast(a, b)).toBe(expected);
  });

  it('sources every channel fact', () => {
    Object.values(GATEWAY_API_CHANNELS).forEach((entry) => expectSourced(entry.source));
  });

  it('needs the experimental channel for the AWS NLB routes, built for v1.5.0', () => {
    const nlb = GATEWAY_CATALOG.aws.l4!;
    expect(kindChannel('TCPRoute', nlb.gatewayApiBundle).channel).toBe('experimental');
    expect(kindChannel('TLSRoute', nlb.gatewayApiBundle).channel).toBe('standard');
  });
});

describe('prices', () => {
  const hours = DEFAULT_PRICING.hoursPerMonth;

  function monthly(platform: Platform, implementation: GatewayImplementation, listenerPorts: number): number {
    const charge = gatewayCharge(implementation, listenerPorts, hours);
    return charge.kind === 'metered'
      ? charge.monthly
      : loadBalancersMonthly(platform, [{ scheme: 'internet-facing', ...charge.use }], DEFAULT_PRICING);
  }

  it.each([
    // Two global forwarding rules (HTTP and HTTPS), both covered by the scope's minimum charge: $0.025 x 730.
    ['gcp', GATEWAY_CATALOG.gcp.default, 2, 18.25],
    ['gcp', GATEWAY_CATALOG.gcp.default, 1, 18.25],
    // One ALB: $0.0225 + 1 LCU x $0.008 + 3 public IPv4 (one per zone, 3 zones by default) x $0.005, x 730.
    ['aws', GATEWAY_CATALOG.aws.default, 2, 33.22],
    // One NLB: $0.0225 + 1 NLCU x $0.006 + 3 public IPv4 x $0.005, x 730.
    ['aws', GATEWAY_CATALOG.aws.l4!, 1, 31.76],
    // The cluster's existing public load balancer (its base fee paid for outbound traffic): 80, 443 and
    // Istio's 15021 are 3 rules, with AKS's outbound rule 4, within the 5 included; one public IP.
    ['azure', GATEWAY_CATALOG.azure.default, 2, 3.65],
    // $0.017 + $0.01 + $0.12 + 1 capacity unit x $0.008, x 730.
    ['azure', GATEWAY_CATALOG.azure.alternatives[0], 2, 113.15],
    ['digitalocean', GATEWAY_CATALOG.digitalocean.default, 2, 10],
    ['bare-metal', GATEWAY_CATALOG['bare-metal'].default, 2, 0],
    ['k3s', GATEWAY_CATALOG.k3s.default, 2, 0],
  ] as [Platform, GatewayImplementation, number, number][])(
    '%s: a %s Gateway with %i listener ports costs $%s a month at list price',
    (platform, implementation, ports, expected) => {
      expect(monthly(platform, implementation, ports)).toBeCloseTo(expected, 2);
    },
  );

  it('counts the status port of Istio-based gateways as a load-balancing rule', () => {
    expect(gatewayCharge(GATEWAY_CATALOG.azure.default, 2, hours)).toEqual({
      kind: 'load-balancer',
      use: { layer: 'L4', ports: 3 },
    });
  });

  it('explains a metered price with its source and the day it was read', () => {
    const charge = gatewayCharge(at(AKS_INGRESS_ALTERNATIVES, 0), 2, hours);
    expect(charge.kind).toBe('metered');
    expect(charge.kind === 'metered' ? charge.basis : '').toMatch(
      /association x \$0\.12\/h.*learn\.microsoft\.com.*read \d{4}-\d{2}-\d{2}/,
    );
  });

  it.each(implementations.map((implementation) => [implementation.id, implementation.price] as const))(
    '%s prices every meter above zero',
    (_, price: GatewayPrice) => {
      if (price.model === 'metered') {
        expect(price.meters.every((meter) => meter.hourly > 0 && meter.quantity > 0)).toBe(true);
      }
    },
  );
});

describe('dataPlanePeers', () => {
  const gateway = { name: 'shop', namespace: 'production' };

  it('admits the Google Front Ends for the global external GKE class', () => {
    expect(dataPlanePeers(GATEWAY_CATALOG.gcp.default, gateway, 'gcp')).toEqual({
      peers: [{ ipBlock: { cidr: '130.211.0.0/22' } }, { ipBlock: { cidr: '35.191.0.0/16' } }],
    });
  });

  it('admits any address where the load balancer connects from addresses unknown when planning', () => {
    expect(dataPlanePeers(GATEWAY_CATALOG.aws.default, gateway, 'aws')).toEqual({
      peers: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
    });
  });

  it("admits the Gateway's own proxies in its namespace for GEP-1762 implementations (AKS app routing)", () => {
    expect(dataPlanePeers(GATEWAY_CATALOG.azure.default, { name: 'edge', namespace: 'infra' }, 'azure')).toEqual({
      peers: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } },
          podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: 'edge' } },
        },
      ],
    });
  });

  it("admits Envoy Gateway's proxies of this Gateway in envoy-gateway-system", () => {
    expect(dataPlanePeers(GATEWAY_CATALOG['bare-metal'].default, gateway, 'bare-metal')).toEqual({
      peers: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
          podSelector: {
            matchLabels: {
              'gateway.envoyproxy.io/owning-gateway-name': 'shop',
              'gateway.envoyproxy.io/owning-gateway-namespace': 'production',
            },
          },
        },
      ],
    });
  });

  it('admits the Traefik pods: kube-system on k3s, their release namespace elsewhere', () => {
    const onK3s = dataPlanePeers(GATEWAY_CATALOG.k3s.default, gateway, 'k3s');
    const elsewhere = dataPlanePeers(at(GATEWAY_CATALOG['bare-metal'].alternatives, 0), gateway, 'bare-metal');
    expect(onK3s.peers?.[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
    });
    expect(elsewhere.peers?.[0]).toMatchObject({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
    });
  });

  it('says what to write instead where no NetworkPolicy can admit the data plane (Cilium)', () => {
    const result = dataPlanePeers(GATEWAY_CATALOG.digitalocean.default, gateway, 'digitalocean');
    expect(result.peers).toBeNull();
    expect('remediation' in result ? result.remediation : '').toMatch(/CiliumNetworkPolicy.*fromEntities/);
  });
});

describe('ingress controllers', () => {
  it.each(['nginx', 'ingress-nginx', 'webapprouting.kubernetes.azure.com', ' Nginx '])('%s is retiring', (name) => {
    const controller = retiringController(name);
    expect(controller?.endOfSupport).toMatch(/^\d{4}-\d{2}$/);
    expectSourced(controller!.source);
  });

  it('proposes a supported Ingress class on AKS, with its price and the cheaper alternative', () => {
    expect(AKS_INGRESS_DEFAULT.className).toBe('traefik');
    expect(AKS_INGRESS_ALTERNATIVES.map((choice) => choice.className)).toContain('azure-alb-external');
    for (const choice of [AKS_INGRESS_DEFAULT, ...AKS_INGRESS_ALTERNATIVES]) {
      expect(retiringController(choice.className)).toBeUndefined();
      expectSourced(choice.price.basis);
      expect(choice.installSource).toMatch(/^https:\/\//);
    }
  });
});
