import { describe, expect, it } from 'vitest';
import { buildComponent, buildIngressPlan, topologyWith } from '../testing/builders.js';
import type { Component, KubeObject } from '../types.js';
import {
  TRAEFIK_ROUTER_MIDDLEWARES,
  TRAEFIK_ROUTER_TLS,
  renderRoutedIngresses,
  routingIngressName,
  traefikHttpsOnly,
} from './traefik-ingresses.js';

const web = buildComponent({ name: 'web', exposure: 'public', host: 'shop.example.com', tls: true });
const cart = buildComponent({ name: 'cart', exposure: 'public', host: 'shop.example.com', path: '/cart' });
const blog = buildComponent({ name: 'blog', exposure: 'public', host: 'blog.example.com' });
const admin = buildComponent({
  name: 'admin',
  exposure: 'public',
  host: 'admin.example.com',
  tls: true,
  allowedSources: ['203.0.113.0/24'],
});

function ingresses(className: string, routed: Component[]): KubeObject[] {
  const topology = topologyWith(routed);
  return renderRoutedIngresses(
    topology,
    buildIngressPlan(
      routed.map((component) => component.name),
      { className },
    ),
    routed,
  ).filter((object) => object.kind === 'Ingress');
}

/** Each Ingress: its name, its hosts, whether it carries router.tls and whether it has a tls entry. */
function summary(objects: KubeObject[]) {
  return objects.map((object) => {
    const spec = object.spec as { rules: { host?: string }[]; tls?: unknown[] };
    return {
      name: object.metadata.name,
      hosts: spec.rules.map((rule) => rule.host ?? '*'),
      routerTls: object.metadata.annotations?.[TRAEFIK_ROUTER_TLS],
      tlsEntries: spec.tls?.length ?? 0,
    };
  });
}

describe('Traefik Ingress objects', () => {
  it('marks the shared Ingress router.tls when every host it routes has TLS, so port 80 does not serve the app', () => {
    expect(summary(ingresses('traefik', [web, cart]))).toEqual([
      { name: 'shop', hosts: ['shop.example.com'], routerTls: 'true', tlsEntries: 1 },
    ]);
  });

  it('moves the hosts with TLS to a second shared Ingress when others have none, which stay plain HTTP', () => {
    const routed = [blog, web, cart];
    expect(summary(ingresses('traefik', routed))).toEqual([
      { name: 'shop', hosts: ['blog.example.com'], routerTls: undefined, tlsEntries: 0 },
      { name: 'shop.tls', hosts: ['shop.example.com'], routerTls: 'true', tlsEntries: 1 },
    ]);
    const topology = topologyWith(routed);
    expect(routed.map((component) => routingIngressName(topology, 'traefik', component, routed))).toEqual([
      'shop',
      'shop.tls',
      'shop.tls',
    ]);
    expect([...traefikHttpsOnly('traefik', routed)]).toEqual(['web', 'cart']);
  });

  it("marks a restricted component's own Ingress router.tls when it asks for TLS, beside its allow list", () => {
    const own = ingresses('traefik', [blog, admin]).find((object) => object.metadata.name === 'shop-admin');
    expect(own?.metadata.annotations).toEqual({
      [TRAEFIK_ROUTER_MIDDLEWARES]: 'production-admin-allowed-sources@kubernetescrd',
      [TRAEFIK_ROUTER_TLS]: 'true',
    });
    expect([...traefikHttpsOnly('traefik', [blog, admin])]).toEqual(['admin']);
  });

  it('leaves other classes on one shared Ingress whatever their hosts ask', () => {
    expect(summary(ingresses('nginx', [blog, web, cart, admin]))).toEqual([
      {
        name: 'shop',
        hosts: ['blog.example.com', 'shop.example.com', 'admin.example.com'],
        routerTls: undefined,
        tlsEntries: 2,
      },
    ]);
    expect(traefikHttpsOnly('nginx', [web]).size).toBe(0);
  });
});
