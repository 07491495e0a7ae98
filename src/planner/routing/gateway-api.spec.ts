import { buildComponent, buildTopology, httpPort, tcpPort, udpPort } from '../testing/builders.js';
import type { KubeObject } from '../types.js';
import { GATEWAY_CATALOG, type GatewayApiVersion } from './gateway-classes.js';
import {
  HTTP_LISTENER,
  httpsListenerName,
  l4ListenerName,
  passthroughListenerName,
  plannedGateway,
  renderGatewayApi,
  renderGatewayClass,
  renderReferenceGrants,
  renderRoute,
  routeKindsUsed,
  type GatewayApiPlan,
  type GatewaySpec,
  type RouteSpec,
} from './gateway-api.js';
import { validateGatewayApiObject } from './testing/gateway-api-validation.js';
import { at } from '../testing/items.js';

// Reading deep into rendered specs: the tests assert the shape, so they index freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const NS = 'production';

const web = buildComponent({ name: 'web', exposure: 'public', host: 'shop.example.com', tls: true });
const checkout = buildComponent({ name: 'checkout', exposure: 'public', host: 'shop.example.com', tls: true });
const api = buildComponent({ name: 'api', exposure: 'public', host: 'api.example.com' });
const grpc = buildComponent({
  name: 'orders',
  exposure: 'public',
  host: 'grpc.example.com',
  tls: true,
  ports: [httpPort({ name: 'grpc', port: 50051, targetPort: 50051, appProtocol: 'kubernetes.io/h2c' })],
});
const broker = buildComponent({ name: 'broker', exposure: 'public', ports: [tcpPort()] });
const turn = buildComponent({ name: 'turn', exposure: 'public', ports: [udpPort()] });
const vault = buildComponent({
  name: 'vault',
  exposure: 'public',
  host: 'vault.example.com',
  ports: [httpPort({ name: 'https', port: 8200, targetPort: 8200, appProtocol: 'https' })],
});
const legacy = buildComponent({
  name: 'legacy',
  exposure: 'public',
  host: 'legacy.example.com',
  ports: [httpPort({ name: 'https', port: 443, targetPort: 8443 })],
});

const topology = buildTopology({
  namespace: NS,
  environment: { platform: 'bare-metal', loadBalancerProvider: 'metallb' },
  components: [web, checkout, api, grpc, broker, turn, vault, legacy],
});

const envoyGateway = GATEWAY_CATALOG['bare-metal'].default;

const gateway = plannedGateway({
  name: 'shop',
  namespace: NS,
  implementation: envoyGateway,
  http: true,
  tlsComponents: [web, checkout, grpc],
  passthrough: [{ hostname: 'legacy.example.com', port: 443 }],
  l4: [
    { component: broker, protocol: 'TCP', port: 1883 },
    { component: turn, protocol: 'UDP', port: 3478 },
  ],
  allowedRoutes: { from: 'Same' },
});

const parent = (sectionName?: string) => ({
  name: 'shop',
  namespace: NS,
  ...(sectionName === undefined ? {} : { sectionName }),
});
const backend = (name: string, port: number, namespace = NS) => ({ name, namespace, port });

const routes: RouteSpec[] = [
  {
    kind: 'HTTPRoute',
    name: 'web',
    namespace: NS,
    component: 'web',
    parents: [parent(httpsListenerName('shop.example.com'))],
    hostnames: ['shop.example.com'],
    rules: [{ matches: [{ type: 'PathPrefix', value: '/' }], backends: [backend('web', 80)] }],
  },
  {
    kind: 'HTTPRoute',
    name: 'web-https-redirect',
    namespace: NS,
    component: 'web',
    parents: [parent(HTTP_LISTENER)],
    hostnames: ['shop.example.com'],
    rules: [{ matches: [], redirectToHttps: true }],
  },
  {
    kind: 'HTTPRoute',
    name: 'api',
    namespace: NS,
    component: 'api',
    parents: [parent()],
    hostnames: ['api.example.com'],
    rules: [{ matches: [{ type: 'Exact', value: '/v1/health' }], backends: [backend('api', 80)] }],
  },
  {
    kind: 'GRPCRoute',
    name: 'orders',
    namespace: NS,
    component: 'orders',
    parents: [parent(httpsListenerName('grpc.example.com'))],
    hostnames: ['grpc.example.com'],
    backends: [backend('orders', 50051)],
  },
  {
    kind: 'TLSRoute',
    name: 'legacy',
    namespace: NS,
    component: 'legacy',
    parents: [parent(passthroughListenerName('legacy.example.com'))],
    hostnames: ['legacy.example.com'],
    backends: [backend('legacy', 443)],
  },
  {
    kind: 'TCPRoute',
    name: 'broker',
    namespace: NS,
    component: 'broker',
    parents: [parent(l4ListenerName(broker, 'TCP', 1883))],
    backends: [backend('broker', 1883)],
  },
  {
    kind: 'UDPRoute',
    name: 'turn',
    namespace: NS,
    component: 'turn',
    parents: [parent(l4ListenerName(turn, 'UDP', 3478))],
    backends: [backend('turn', 3478)],
  },
];

const plan: GatewayApiPlan = {
  gateway,
  routes,
  backendTlsPolicies: [
    {
      namespace: NS,
      component: 'vault',
      service: 'vault',
      portName: 'https',
      hostname: 'vault.production.svc',
      ca: { configMaps: ['vault-ca'] },
    },
    { namespace: NS, component: 'web', service: 'web', hostname: 'web.production.svc', ca: { wellKnown: 'System' } },
  ],
};

function byKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

function spec(object: KubeObject): Json {
  return object.spec as Json;
}

describe('renderGatewayApi', () => {
  const objects = renderGatewayApi(topology, plan);

  it('renders a Gateway, one object per route and policy, in apply order', () => {
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'Gateway/shop',
      'HTTPRoute/web',
      'HTTPRoute/web-https-redirect',
      'HTTPRoute/api',
      'GRPCRoute/orders',
      'TLSRoute/legacy',
      'TCPRoute/broker',
      'UDPRoute/turn',
      'BackendTLSPolicy/vault-https-backend-tls',
      'BackendTLSPolicy/web-backend-tls',
    ]);
  });

  it.each(['v1.6.1', 'v1.5.0', 'v1.3.0'] as GatewayApiVersion[])(
    'renders objects the Gateway API CRDs accept, for an implementation built for %s',
    (bundle) => {
      for (const object of renderGatewayApi(topology, plan, bundle)) {
        expect({ object: `${object.kind}/${object.metadata.name}`, errors: validateGatewayApiObject(object) }).toEqual({
          object: `${object.kind}/${object.metadata.name}`,
          errors: [],
        });
      }
    },
  );

  it.each([
    ['v1.6.1', 'Gateway', 'gateway.networking.k8s.io/v1'],
    ['v1.6.1', 'HTTPRoute', 'gateway.networking.k8s.io/v1'],
    ['v1.6.1', 'GRPCRoute', 'gateway.networking.k8s.io/v1'],
    ['v1.6.1', 'TLSRoute', 'gateway.networking.k8s.io/v1'],
    ['v1.6.1', 'TCPRoute', 'gateway.networking.k8s.io/v1'],
    ['v1.6.1', 'UDPRoute', 'gateway.networking.k8s.io/v1'],
    ['v1.6.1', 'BackendTLSPolicy', 'gateway.networking.k8s.io/v1'],
    ['v1.5.0', 'TLSRoute', 'gateway.networking.k8s.io/v1'],
    ['v1.5.0', 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2'],
    ['v1.5.0', 'UDPRoute', 'gateway.networking.k8s.io/v1alpha2'],
    ['v1.3.0', 'TLSRoute', 'gateway.networking.k8s.io/v1alpha2'],
    ['v1.3.0', 'BackendTLSPolicy', 'gateway.networking.k8s.io/v1alpha3'],
    ['v1.3.0', 'GRPCRoute', 'gateway.networking.k8s.io/v1'],
  ] as [GatewayApiVersion, string, string][])('for bundle %s writes %s as %s', (bundle, kind, apiVersion) => {
    const rendered = renderGatewayApi(topology, plan, bundle).filter((object) => object.kind === kind);
    expect(rendered.length).toBeGreaterThan(0);
    expect(new Set(rendered.map((object) => object.apiVersion))).toEqual(new Set([apiVersion]));
  });

  it('puts keys in manifest order and labels every object like the other manifests', () => {
    for (const object of objects) {
      expect(Object.keys(object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(object.metadata.namespace).toBe(NS);
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'exposure-planner',
        'backstage.io/kubernetes-id': 'shop',
      });
    }
    expect(at(byKind(objects, 'TCPRoute'), 0).metadata.labels?.['app.kubernetes.io/name']).toBe('broker');
  });

  it('is deterministic: the same description gives the same objects, byte for byte', () => {
    expect(JSON.stringify(renderGatewayApi(topology, plan))).toBe(JSON.stringify(objects));
  });

  it('needs no ReferenceGrant when routes, backends and certificates share one namespace', () => {
    expect(byKind(objects, 'ReferenceGrant')).toEqual([]);
  });

  it('reports the route kinds in use, each once', () => {
    expect(routeKindsUsed(plan)).toEqual(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);
  });
});

describe('the Gateway the plan creates', () => {
  const rendered = at(renderGatewayApi(topology, { gateway, routes: [], backendTlsPolicies: [] }), 0);

  it('listens on HTTP 80, HTTPS 443 per TLS host with the `<component>-tls` Secrets, TLS passthrough and TCP/UDP', () => {
    expect(spec(rendered).gatewayClassName).toBe('eg');
    expect(spec(rendered).listeners).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https-shop.example.com',
        hostname: 'shop.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: {
          mode: 'Terminate',
          certificateRefs: [
            { kind: 'Secret', name: 'web-tls' },
            { kind: 'Secret', name: 'checkout-tls' },
          ],
        },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
      {
        name: 'https-grpc.example.com',
        hostname: 'grpc.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'orders-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
      {
        name: 'tls-legacy.example.com',
        hostname: 'legacy.example.com',
        port: 443,
        protocol: 'TLS',
        tls: { mode: 'Passthrough' },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
      { name: 'tcp-broker-1883', port: 1883, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'Same' } } },
      { name: 'udp-turn-3478', port: 3478, protocol: 'UDP', allowedRoutes: { namespaces: { from: 'Same' } } },
    ]);
  });

  it('leaves the certificate to the cloud where the class takes no certificateRefs (AWS ALB: ACM)', () => {
    const alb = plannedGateway({
      name: 'shop',
      namespace: NS,
      implementation: GATEWAY_CATALOG.aws.default,
      http: true,
      tlsComponents: [web],
      passthrough: [],
      l4: [],
      allowedRoutes: { from: 'Same' },
    });
    const object = at(renderGatewayApi(topology, { gateway: alb, routes: [], backendTlsPolicies: [] }), 0);
    expect(spec(object).gatewayClassName).toBe('aws-alb-gateway-class');
    expect(spec(object).listeners[1]).toEqual({
      name: 'https-shop.example.com',
      hostname: 'shop.example.com',
      port: 443,
      protocol: 'HTTPS',
      allowedRoutes: { namespaces: { from: 'Same' } },
    });
    expect(validateGatewayApiObject(object)).toEqual([]);
  });

  it("declares Traefik's entryPoint ports (8000, 8443), which its Service publishes as 80 and 443", () => {
    const traefik = plannedGateway({
      name: 'shop',
      namespace: NS,
      implementation: GATEWAY_CATALOG.k3s.default,
      http: true,
      tlsComponents: [web],
      passthrough: [],
      l4: [],
      allowedRoutes: { from: 'Same' },
    });
    expect(traefik.listeners.map((listener) => [listener.protocol, listener.port])).toEqual([
      ['HTTP', 8000],
      ['HTTPS', 8443],
    ]);
  });

  it('spells a wildcard host out in the listener name, which may not hold a `*`', () => {
    const wildcard = buildComponent({ name: 'tenant', host: '*.apps.example.com', tls: true });
    const object = at(
      renderGatewayApi(topology, {
        gateway: plannedGatewayFor([wildcard]),
        routes: [],
        backendTlsPolicies: [],
      }),
      0,
    );
    expect(spec(object).listeners[0]).toMatchObject({
      name: 'https-wildcard.apps.example.com',
      hostname: '*.apps.example.com',
    });
    expect(validateGatewayApiObject(object)).toEqual([]);
  });

  it('admits routes from the named namespaces only when shared with them', () => {
    const shared: GatewaySpec = { ...gateway, allowedRoutes: { from: 'Selector', namespaces: ['team-a', 'team-b'] } };
    const object = at(renderGatewayApi(topology, { gateway: shared, routes: [], backendTlsPolicies: [] }), 0);
    expect(spec(object).listeners[0].allowedRoutes).toEqual({
      namespaces: {
        from: 'Selector',
        selector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] }],
        },
      },
    });
    expect(validateGatewayApiObject(object)).toEqual([]);
  });
});

function plannedGatewayFor(tlsComponents: ReturnType<typeof buildComponent>[]): GatewaySpec {
  return plannedGateway({
    name: 'shop',
    namespace: NS,
    implementation: envoyGateway,
    http: false,
    tlsComponents,
    passthrough: [],
    l4: [],
    allowedRoutes: { from: 'Same' },
  });
}

describe('routes on an existing shared Gateway', () => {
  const shared = { name: 'edge', namespace: 'infra' };

  it('render no Gateway and point parentRefs at the shared one, across namespaces', () => {
    const objects = renderGatewayApi(topology, {
      gateway: null,
      routes: [
        {
          kind: 'HTTPRoute',
          name: 'api',
          namespace: NS,
          component: 'api',
          parents: [shared],
          hostnames: ['api.example.com'],
          rules: [{ matches: [{ type: 'PathPrefix', value: '/' }], backends: [backend('api', 80)] }],
        },
      ],
      backendTlsPolicies: [],
    });
    expect(objects.map((object) => object.kind)).toEqual(['HTTPRoute']);
    expect(spec(at(objects, 0)).parentRefs).toEqual([{ name: 'edge', namespace: 'infra' }]);
    expect(spec(at(objects, 0)).rules[0].backendRefs).toEqual([{ name: 'api', port: 80 }]);
    expect(validateGatewayApiObject(at(objects, 0))).toEqual([]);
  });

  it('grant routes living in the Gateway namespace access to the Services of the topology namespace', () => {
    const inInfra: RouteSpec[] = [
      {
        kind: 'HTTPRoute',
        name: 'shop-api',
        namespace: 'infra',
        component: 'api',
        parents: [shared],
        hostnames: ['api.example.com'],
        rules: [
          { matches: [{ type: 'PathPrefix', value: '/' }], backends: [backend('api', 80)] },
          { matches: [{ type: 'PathPrefix', value: '/web' }], backends: [backend('web', 80)] },
        ],
      },
      {
        kind: 'GRPCRoute',
        name: 'shop-orders',
        namespace: 'infra',
        component: 'orders',
        parents: [shared],
        hostnames: ['grpc.example.com'],
        backends: [backend('orders', 50051), backend('api', 80)],
      },
    ];
    const objects = renderGatewayApi(topology, { gateway: null, routes: inInfra, backendTlsPolicies: [] });
    const grants = byKind(objects, 'ReferenceGrant');
    expect(grants).toHaveLength(1);
    expect(at(grants, 0).apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
    expect(at(grants, 0).metadata).toMatchObject({ name: 'shop-from-infra', namespace: NS });
    expect(at(grants, 0).spec).toEqual({
      from: [
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' },
        { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'infra' },
      ],
      to: [
        { group: '', kind: 'Service', name: 'api' },
        { group: '', kind: 'Service', name: 'web' },
        { group: '', kind: 'Service', name: 'orders' },
      ],
    });
    expect(spec(at(objects, 0)).rules[0].backendRefs).toEqual([{ name: 'api', namespace: NS, port: 80 }]);
    for (const object of objects) {
      expect(validateGatewayApiObject(object)).toEqual([]);
    }
  });

  it('split a grant past the 16 names a ReferenceGrant may list', () => {
    const many: RouteSpec[] = Array.from({ length: 17 }, (_, index) => ({
      kind: 'TCPRoute',
      name: `svc-${index}`,
      namespace: 'infra',
      component: `svc-${index}`,
      parents: [{ ...shared, sectionName: `tcp-${index}` }],
      backends: [backend(`svc-${index}`, 9000)],
    }));
    const grants = renderReferenceGrants(topology, null, many);
    expect(grants.map((grant) => [grant.metadata.name, spec(grant).to.length])).toEqual([
      ['shop-from-infra', 16],
      ['shop-from-infra-2', 1],
    ]);
    for (const grant of grants) {
      expect(validateGatewayApiObject(grant)).toEqual([]);
    }
  });

  it('grant a Gateway the certificate Secret it names in another namespace', () => {
    const withForeignCertificate: GatewaySpec = {
      ...gateway,
      listeners: [
        {
          protocol: 'HTTPS',
          name: 'https-shop.example.com',
          port: 443,
          hostname: 'shop.example.com',
          certificateRefs: [{ name: 'wildcard-tls', namespace: 'certificates' }],
        },
      ],
    };
    const objects = renderGatewayApi(topology, { gateway: withForeignCertificate, routes: [], backendTlsPolicies: [] });
    expect(spec(at(objects, 0)).listeners[0].tls.certificateRefs).toEqual([
      { kind: 'Secret', name: 'wildcard-tls', namespace: 'certificates' },
    ]);
    expect(objects[1]).toMatchObject({
      kind: 'ReferenceGrant',
      metadata: { name: 'shop-from-production', namespace: 'certificates' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: NS }],
        to: [{ group: '', kind: 'Secret', name: 'wildcard-tls' }],
      },
    });
  });
});

describe('route details', () => {
  const objects = renderGatewayApi(topology, plan);

  it('redirects plain HTTP of a TLS host to https on the HTTP listener only', () => {
    const redirect = objects.find((object) => object.metadata.name === 'web-https-redirect') as KubeObject;
    expect(spec(redirect)).toEqual({
      parentRefs: [{ name: 'shop', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  it('routes a path match to the Service port by number', () => {
    const route = objects.find((object) => object.metadata.name === 'api') as KubeObject;
    expect(spec(route).rules).toEqual([
      { matches: [{ path: { type: 'Exact', value: '/v1/health' } }], backendRefs: [{ name: 'api', port: 80 }] },
    ]);
  });

  it('pins TCP and UDP routes to their own listener and puts every backend in the one rule v1 allows', () => {
    const route = renderRoute(topology, {
      kind: 'TCPRoute',
      name: 'broker',
      namespace: NS,
      component: 'broker',
      parents: [parent('tcp-broker-1883')],
      backends: [backend('broker', 1883), backend('broker-standby', 1883)],
    });
    expect(spec(route)).toEqual({
      parentRefs: [{ name: 'shop', sectionName: 'tcp-broker-1883' }],
      rules: [
        {
          backendRefs: [
            { name: 'broker', port: 1883 },
            { name: 'broker-standby', port: 1883 },
          ],
        },
      ],
    });
    expect(validateGatewayApiObject(route)).toEqual([]);
  });

  it('writes BackendTLSPolicy targeting the Service (and port) with the hostname and CA to verify', () => {
    const vaultPolicy = at(byKind(objects, 'BackendTLSPolicy'), 0);
    const webPolicy = at(byKind(objects, 'BackendTLSPolicy'), 1);
    expect(spec(vaultPolicy)).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'vault', sectionName: 'https' }],
      validation: {
        caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'vault-ca' }],
        hostname: 'vault.production.svc',
      },
    });
    expect(spec(webPolicy)).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'web' }],
      validation: { wellKnownCACertificates: 'System', hostname: 'web.production.svc' },
    });
  });

  it('renders the GatewayClass a class without one needs, without any topology labels', () => {
    const gatewayClass = renderGatewayClass(GATEWAY_CATALOG.aws.l4!);
    expect(gatewayClass).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'aws-nlb-gateway-class', labels: { 'app.kubernetes.io/managed-by': 'exposure-planner' } },
      spec: { controllerName: 'gateway.k8s.aws/nlb' },
    });
    expect(validateGatewayApiObject(gatewayClass)).toEqual([]);
  });
});

describe('validateGatewayApiObject', () => {
  const valid = renderGatewayApi(topology, plan);
  const gatewayObject = at(valid, 0);

  function withSpec(object: KubeObject, change: (spec: Json) => void): KubeObject {
    const copy = structuredClone(object);
    change(copy.spec as Json);
    return copy;
  }

  it.each([
    [
      'a listener protocol that is not a string',
      withSpec(gatewayObject, (s) => {
        s.listeners[0].protocol = 7;
      }),
      /protocol/,
    ],
    [
      'an HTTPS listener that terminates TLS without a certificate',
      withSpec(gatewayObject, (s) => {
        s.listeners[1].tls = { mode: 'Terminate' };
      }),
      /certificateRefs or options must be specified/,
    ],
    [
      'two listeners with one name',
      withSpec(gatewayObject, (s) => {
        s.listeners[2].name = s.listeners[1].name;
      }),
      /Listener name must be unique/,
    ],
    [
      'a hostname on a TCP listener',
      withSpec(gatewayObject, (s) => {
        s.listeners[4].hostname = 'mqtt.example.com';
      }),
      /hostname must not be specified/,
    ],
    [
      'a v1 TCPRoute with two rules',
      withSpec(at(byKind(valid, 'TCPRoute'), 0), (s) => {
        s.rules.push(s.rules[0]);
      }),
      /at most 1 item/,
    ],
    [
      'a Service backendRef without a port',
      withSpec(at(byKind(valid, 'GRPCRoute'), 0), (s) => {
        delete s.rules[0].backendRefs[0].port;
      }),
      /Must have port for Service reference/,
    ],
    [
      'two parentRefs to one Gateway without section names',
      withSpec(at(byKind(valid, 'GRPCRoute'), 0), (s) => {
        s.parentRefs = [{ name: 'shop' }, { name: 'shop' }];
      }),
      /sectionName must be specified/,
    ],
    [
      'a BackendTLSPolicy trusting both the system CAs and a ConfigMap',
      withSpec(at(byKind(valid, 'BackendTLSPolicy'), 1), (s) => {
        s.validation.caCertificateRefs = [{ group: '', kind: 'ConfigMap', name: 'ca' }];
      }),
      /not both/,
    ],
    [
      'an unknown path match type',
      withSpec(at(byKind(valid, 'HTTPRoute'), 2), (s) => {
        s.rules[0].matches[0].path.type = 'Prefix';
      }),
      /allowed values/,
    ],
  ])('refuses %s', (_, object, message) => {
    expect(validateGatewayApiObject(object).join('\n')).toMatch(message);
  });
});
