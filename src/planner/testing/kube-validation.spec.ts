import {
  isCidr,
  isDns1035Label,
  isDns1123Subdomain,
  isIanaServiceName,
  isLabelValue,
  isQualifiedName,
  validateManifest,
  validateManifests,
} from './kube-validation.js';
import type { KubeObject } from '../types.js';
import { at } from './items.js';

type Json = Record<string, unknown>;

function service(spec: Json = {}, metadata: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'production', labels: { app: 'api' }, ...metadata },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'api' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      ...spec,
    },
  };
}

function ingress(spec: Json = {}, metadata: Json = {}): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'production', ...metadata },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }],
          },
        },
      ],
      tls: [{ hosts: ['shop.example.com'], secretName: 'api-tls' }],
      ...spec,
    },
  };
}

function networkPolicy(spec: Json = {}, metadata: Json = {}): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-api', namespace: 'production', ...metadata },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'web' } } },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
      ...spec,
    },
  };
}

const port = (fields: Json): Json => ({ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', ...fields });

describe(validateManifest.name, () => {
  it.each([
    ['a ClusterIP Service', service()],
    ['a NodePort Service with a pinned port', service({ type: 'NodePort', ports: [port({ nodePort: 30080 })] })],
    [
      'a LoadBalancer Service with source ranges and Local traffic policy',
      service({
        type: 'LoadBalancer',
        loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
        externalTrafficPolicy: 'Local',
        ports: [port({ nodePort: 32767 })],
      }),
    ],
    [
      'a headless Service without ports',
      service({ clusterIP: 'None', ports: undefined, publishNotReadyAddresses: true }),
    ],
    [
      'an ExternalName Service without ports',
      service({ type: 'ExternalName', externalName: 'db.corp.example.com.', selector: undefined, ports: undefined }),
    ],
    [
      'a Service with a named target port and appProtocol',
      service({ ports: [port({ targetPort: 'web', appProtocol: 'kubernetes.io/h2c' })] }),
    ],
    [
      'two ports on TCP and UDP with the same number',
      service({ ports: [port({ name: 'dns-tcp', port: 53 }), port({ name: 'dns-udp', port: 53, protocol: 'UDP' })] }),
    ],
    ['an Ingress', ingress()],
    [
      'an Ingress with a wildcard host and a backend port number',
      ingress({
        rules: [
          {
            host: '*.example.com',
            http: {
              paths: [{ path: '/a', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } }],
            },
          },
        ],
      }),
    ],
    [
      'a GKE Ingress using the class annotation only',
      ingress({ ingressClassName: undefined }, { annotations: { 'kubernetes.io/ingress.class': 'gce' } }),
    ],
    ['a NetworkPolicy', networkPolicy()],
    ['a default-deny NetworkPolicy', networkPolicy({ podSelector: {}, ingress: undefined })],
    [
      'a NetworkPolicy admitting a namespace',
      networkPolicy({
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
        ],
      }),
    ],
  ])('accepts %s', (_, obj) => {
    expect(validateManifest(obj)).toEqual([]);
  });

  // Each row breaks exactly one rule of a valid object; the validator must name the path.
  it.each<[string, KubeObject, string]>([
    // JSON schema (kubernetes-models)
    ['a port that is not a number', service({ ports: [port({ port: 'abc' })] }), 'spec.ports[0].port: must be integer'],
    ['an unknown Service type', service({ type: 'Bogus' }), 'spec.type: must be equal to one of the allowed values'],
    [
      'a port entry without port',
      service({ ports: [{ name: 'http' }] }),
      'spec.ports[0]: must have required property port',
    ],
    [
      'an Ingress path without pathType',
      ingress({
        rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
      }),
      'pathType',
    ],
    ['an unknown kind', { ...service(), kind: 'Deployment' }, 'not a kind the planner renders'],
    ['a wrong apiVersion', { ...service(), apiVersion: 'v2' }, 'not a kind the planner renders'],
    // metadata
    [
      'a Service name that is not a DNS-1035 label',
      service({}, { name: '9lives' }),
      'metadata.name: "9lives" must be a DNS-1035 label',
    ],
    ['a Service name longer than 63', service({}, { name: `a${'b'.repeat(63)}` }), 'metadata.name'],
    ['a Service name with an underscore', service({}, { name: 'Bad_Name' }), 'metadata.name'],
    ['a missing name', service({}, { name: undefined }), 'metadata.name: required'],
    [
      'an Ingress name that is not a DNS-1123 subdomain',
      ingress({}, { name: 'Shop!' }),
      'metadata.name: "Shop!" must be a DNS-1123 subdomain',
    ],
    ['a NetworkPolicy name that is not a DNS-1123 subdomain', networkPolicy({}, { name: '-allow' }), 'metadata.name'],
    ['a namespace that is not a DNS-1123 label', service({}, { namespace: 'prod.eu' }), 'metadata.namespace'],
    ['a label key with two slashes', service({}, { labels: { 'a/b/c': 'x' } }), 'metadata.labels: key "a/b/c"'],
    ['a label value too long', service({}, { labels: { app: 'x'.repeat(64) } }), 'metadata.labels.app'],
    ['a label value ending in a dash', service({}, { labels: { app: 'api-' } }), 'metadata.labels.app'],
    [
      'an annotation value that is not a string',
      service({}, { annotations: { 'example.com/n': 1 } }),
      'metadata.annotations.example.com/n: values must be strings',
    ],
    [
      'an annotation key that is not a qualified name',
      service({}, { annotations: { 'bad key': 'x' } }),
      'metadata.annotations: key "bad key"',
    ],
    // Service ports
    ['a Service with no ports', service({ ports: [] }), 'spec.ports: required'],
    [
      'two ports without names',
      service({ ports: [port({ name: undefined }), port({ name: undefined, port: 81 })] }),
      'spec.ports[0].name: required when a Service has more than one port',
    ],
    [
      'two ports with the same name',
      service({ ports: [port({}), port({ port: 81 })] }),
      'spec.ports[1].name: "http" is already used by spec.ports[0]',
    ],
    ['a port name that is not a DNS label', service({ ports: [port({ name: 'HTTP' })] }), 'spec.ports[0].name'],
    ['port 0', service({ ports: [port({ port: 0 })] }), 'spec.ports[0].port: 0 must be between 1 and 65535'],
    ['port 70000', service({ ports: [port({ port: 70000 })] }), 'spec.ports[0].port: 70000'],
    [
      'the same port and protocol twice',
      service({ ports: [port({ name: 'a' }), port({ name: 'b' })] }),
      'port 80/TCP is listed twice',
    ],
    ['targetPort 0', service({ ports: [port({ targetPort: 0 })] }), 'spec.ports[0].targetPort: 0'],
    ['targetPort 65536', service({ ports: [port({ targetPort: 65536 })] }), 'spec.ports[0].targetPort: 65536'],
    [
      'a targetPort name over 15 characters',
      service({ ports: [port({ targetPort: 'much-too-long-name' })] }),
      'spec.ports[0].targetPort',
    ],
    [
      'a targetPort name with no letter',
      service({ ports: [port({ targetPort: '8080' })] }),
      'spec.ports[0].targetPort',
    ],
    ['a targetPort name with "--"', service({ ports: [port({ targetPort: 'a--b' })] }), 'spec.ports[0].targetPort'],
    [
      'an appProtocol with a space',
      service({ ports: [port({ appProtocol: 'my proto' })] }),
      'spec.ports[0].appProtocol',
    ],
    // nodePort
    [
      'nodePort 80',
      service({ type: 'NodePort', ports: [port({ nodePort: 80 })] }),
      'spec.ports[0].nodePort: 80 is outside the node port range 30000-32767',
    ],
    [
      'nodePort 32768',
      service({ type: 'LoadBalancer', ports: [port({ nodePort: 32768 })] }),
      'spec.ports[0].nodePort: 32768',
    ],
    [
      'a nodePort on a ClusterIP Service',
      service({ ports: [port({ nodePort: 30080 })] }),
      'spec.ports[0].nodePort: only allowed when type is NodePort or LoadBalancer',
    ],
    [
      'the same nodePort twice',
      service({
        type: 'NodePort',
        ports: [port({ name: 'a', nodePort: 30080 }), port({ name: 'b', port: 81, nodePort: 30080 })],
      }),
      'spec.ports[1].nodePort: 30080/TCP is used twice',
    ],
    // type-dependent fields
    [
      'loadBalancerSourceRanges on a NodePort Service',
      service({ type: 'NodePort', loadBalancerSourceRanges: ['10.0.0.0/8'] }),
      'spec.loadBalancerSourceRanges: only allowed when type is LoadBalancer',
    ],
    [
      'a source range that is not a CIDR',
      service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.1'] }),
      'spec.loadBalancerSourceRanges[0]: "10.0.0.1" is not a CIDR',
    ],
    [
      'a source range with a bad prefix',
      service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/33'] }),
      'spec.loadBalancerSourceRanges[0]',
    ],
    [
      'a source range with a leading zero',
      service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['010.0.0.0/8'] }),
      'spec.loadBalancerSourceRanges[0]',
    ],
    [
      'externalTrafficPolicy on a ClusterIP Service',
      service({ externalTrafficPolicy: 'Local' }),
      'spec.externalTrafficPolicy: only allowed when type is NodePort or LoadBalancer',
    ],
    [
      'loadBalancerClass on a NodePort Service',
      service({ type: 'NodePort', loadBalancerClass: 'service.k8s.aws/nlb' }),
      'spec.loadBalancerClass',
    ],
    [
      'clusterIP None on a NodePort Service',
      service({ type: 'NodePort', clusterIP: 'None' }),
      'spec.clusterIP: "None" (headless) is only allowed when type is ClusterIP',
    ],
    [
      'clusterIP None on a LoadBalancer Service',
      service({ type: 'LoadBalancer', clusterIP: 'None' }),
      'spec.clusterIP',
    ],
    // ExternalName
    [
      'ExternalName without externalName',
      service({ type: 'ExternalName', selector: undefined }),
      'spec.externalName: required when type is ExternalName',
    ],
    [
      'ExternalName pointing at an IP',
      service({ type: 'ExternalName', externalName: '10.0.0.5', selector: undefined }),
      'spec.externalName: "10.0.0.5" must be a lowercase DNS name',
    ],
    [
      'ExternalName with an uppercase name',
      service({ type: 'ExternalName', externalName: 'DB.corp.example.com', selector: undefined }),
      'spec.externalName',
    ],
    [
      'ExternalName with a selector',
      service({ type: 'ExternalName', externalName: 'db.example.com' }),
      'spec.selector: must not be set when type is ExternalName',
    ],
    [
      'ExternalName with a clusterIP',
      service({ type: 'ExternalName', externalName: 'db.example.com', selector: undefined, clusterIP: 'None' }),
      'spec.clusterIP: must not be set when type is ExternalName',
    ],
    [
      'externalName on a ClusterIP Service',
      service({ externalName: 'db.example.com' }),
      'spec.externalName: only meaningful when type is ExternalName',
    ],
    // selectors
    ['a selector value that is not a label value', service({ selector: { app: 'not valid!' } }), 'spec.selector.app'],
    [
      'a selector key that is not a qualified name',
      service({ selector: { 'my app': 'api' } }),
      'spec.selector: key "my app"',
    ],
    ['an empty selector', service({ selector: {} }), 'spec.selector: must not be empty'],
    // Ingress
    [
      'an Ingress with neither rules nor defaultBackend',
      ingress({ rules: undefined, tls: undefined }),
      'spec: either defaultBackend or rules must be specified',
    ],
    [
      'an Ingress host that is an IP',
      ingress({
        rules: [
          {
            host: '10.0.0.1',
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }],
            },
          },
        ],
      }),
      'spec.rules[0].host',
    ],
    [
      'an Ingress host in uppercase',
      ingress({
        rules: [
          {
            host: 'Shop.example.com',
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }],
            },
          },
        ],
      }),
      'spec.rules[0].host',
    ],
    [
      'a relative Prefix path',
      ingress({
        rules: [
          {
            http: {
              paths: [{ path: 'api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }],
            },
          },
        ],
      }),
      'spec.rules[0].http.paths[0].path: "api" must be an absolute path',
    ],
    [
      'a path with "//"',
      ingress({
        rules: [
          {
            http: {
              paths: [
                { path: '/a//b', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
              ],
            },
          },
        ],
      }),
      'spec.rules[0].http.paths[0].path',
    ],
    [
      'a backend with both port name and number',
      ingress({
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'api', port: { name: 'http', number: 80 } } },
                },
              ],
            },
          },
        ],
      }),
      'service.port: exactly one of name or number is required',
    ],
    [
      'a backend with no port',
      ingress({
        rules: [
          { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: {} } } }] } },
        ],
      }),
      'service.port: exactly one of name or number is required',
    ],
    [
      'a backend port number 0x10000',
      ingress({
        rules: [
          {
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 65536 } } } },
              ],
            },
          },
        ],
      }),
      'service.port.number: 65536',
    ],
    [
      'a backend port name over 15 characters',
      ingress({
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'api', port: { name: 'a-very-long-port-name' } } },
                },
              ],
            },
          },
        ],
      }),
      'service.port.name',
    ],
    [
      'a backend Service name that is not a DNS-1035 label',
      ingress({
        rules: [
          {
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: '1api', port: { number: 80 } } } }],
            },
          },
        ],
      }),
      'service.name: "1api"',
    ],
    [
      'a backend with neither service nor resource',
      ingress({ rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: {} }] } }] }),
      'backend: one of service or resource is required',
    ],
    [
      'an http rule with no paths',
      ingress({ rules: [{ host: 'a.example.com', http: { paths: [] } }] }),
      'spec.rules[0].http.paths: at least one path is required',
    ],
    [
      'the same host and path twice',
      ingress({
        rules: [
          {
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              ],
            },
          },
        ],
      }),
      'spec.rules[0].http.paths[1]: the same host, path and pathType are already routed',
    ],
    [
      'both the class annotation and ingressClassName',
      ingress({}, { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }),
      'can not be set when spec.ingressClassName is also set',
    ],
    ['an ingressClassName with uppercase', ingress({ ingressClassName: 'Nginx' }), 'spec.ingressClassName'],
    [
      'a TLS host that is not a DNS name',
      ingress({ tls: [{ hosts: ['shop example'], secretName: 'x' }] }),
      'spec.tls[0].hosts[0]',
    ],
    [
      'a TLS secret name with uppercase',
      ingress({ tls: [{ hosts: ['shop.example.com'], secretName: 'Api-TLS' }] }),
      'spec.tls[0].secretName',
    ],
    // NetworkPolicy
    ['an unknown policy type', networkPolicy({ policyTypes: ['Inbound'] }), 'spec.policyTypes'],
    [
      'a policy type twice',
      networkPolicy({ policyTypes: ['Ingress', 'Ingress'] }),
      'spec.policyTypes[1]: "Ingress" is listed twice',
    ],
    [
      'ingress rules under policyTypes [Egress]',
      networkPolicy({ policyTypes: ['Egress'] }),
      'spec.ingress: rules are ignored',
    ],
    [
      'a peer with an ipBlock and a podSelector',
      networkPolicy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }),
      'spec.ingress[0].from[0]: ipBlock may not be combined',
    ],
    [
      'an empty peer',
      networkPolicy({ ingress: [{ from: [{}] }] }),
      'spec.ingress[0].from[0]: one of podSelector, namespaceSelector or ipBlock is required',
    ],
    [
      'an ipBlock that is not a CIDR',
      networkPolicy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }] }] }),
      'spec.ingress[0].from[0].ipBlock.cidr',
    ],
    [
      'an except outside its CIDR',
      networkPolicy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] }),
      'ipBlock.except[0]: "192.168.0.0/16" must be strictly inside 10.0.0.0/8',
    ],
    [
      'an except equal to its CIDR',
      networkPolicy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] }),
      'ipBlock.except[0]',
    ],
    [
      'a policy port 0',
      networkPolicy({ ingress: [{ ports: [{ port: 0, protocol: 'TCP' }] }] }),
      'spec.ingress[0].ports[0].port: 0',
    ],
    [
      'a policy port name that is not IANA',
      networkPolicy({ ingress: [{ ports: [{ port: 'Web_Port', protocol: 'TCP' }] }] }),
      'spec.ingress[0].ports[0].port',
    ],
    [
      'an endPort below its port',
      networkPolicy({ ingress: [{ ports: [{ port: 8080, endPort: 80 }] }] }),
      'spec.ingress[0].ports[0].endPort',
    ],
    [
      'an endPort with a named port',
      networkPolicy({ ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }),
      'endPort: only allowed with a numeric port',
    ],
    [
      'a podSelector label value that is not valid',
      networkPolicy({ podSelector: { matchLabels: { app: '-api' } } }),
      'spec.podSelector.matchLabels.app',
    ],
    [
      'an In expression without values',
      networkPolicy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }),
      'matchExpressions[0].values: required for operator In',
    ],
    [
      'an Exists expression with values',
      networkPolicy({ podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } }),
      'matchExpressions[0].values: must be empty',
    ],
  ])('rejects %s', (_, obj, expected) => {
    const errors = validateManifest(obj);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(expected);
  });

  it('reports every problem of an object, not just the first', () => {
    const errors = validateManifest(
      service({ type: 'NodePort', ports: [port({ port: 0, nodePort: 80 })] }, { name: 'Bad' }),
    );
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });
});

describe(validateManifests.name, () => {
  const web = service({ selector: { app: 'web' } }, { name: 'web', labels: { app: 'web' } });
  const api = service();
  const defaultDeny = networkPolicy({ podSelector: {}, ingress: undefined }, { name: 'default-deny-ingress' });

  it('accepts a consistent set', () => {
    expect(validateManifests([web, api, ingress(), defaultDeny, networkPolicy()])).toEqual([]);
  });

  it('reports per-object problems with the object index, kind and name', () => {
    expect(validateManifests([api, service({ ports: [port({ port: 0 })] }, { name: 'broken' })])).toEqual([
      { index: 1, kind: 'Service', name: 'broken', errors: ['spec.ports[0].port: 0 must be between 1 and 65535'] },
    ]);
  });

  it('refuses two objects of one kind with one name in one namespace, on the later one', () => {
    const problems = validateManifests([api, web, service()]);
    expect(problems).toHaveLength(1);
    expect(at(problems, 0).index).toBe(2);
    expect(at(problems, 0).errors[0]).toContain('a Service named "api" already exists in namespace production');
  });

  it('allows one name for objects of different kinds or namespaces', () => {
    const policyNamedApi = networkPolicy({}, { name: 'api' });
    const apiElsewhere = service({}, { namespace: 'staging' });
    expect(validateManifests([api, policyNamedApi, apiElsewhere])).toEqual([]);
  });

  it.each<[string, Json, string]>([
    ['an unknown Service', { name: 'nope', port: { number: 80 } }, 'no Service "nope" in namespace production'],
    ['an unknown port name', { name: 'api', port: { name: 'grpc' } }, 'Service "api" has no port named "grpc"'],
    ['an unknown port number', { name: 'api', port: { number: 81 } }, 'Service "api" has no port 81'],
  ])('refuses an Ingress backend naming %s', (_, backendService, expected) => {
    const broken = ingress({
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: backendService } }] } }],
      tls: undefined,
    });
    const problems = validateManifests([api, broken]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ index: 1, kind: 'Ingress', name: 'shop' });
    expect(at(problems, 0).errors.join('\n')).toContain(expected);
  });

  it('refuses a NetworkPolicy that selects pods no Service selects', () => {
    const stray = networkPolicy({ podSelector: { matchLabels: { app: 'ghost' } } }, { name: 'allow-ghost' });
    const problems = validateManifests([api, stray]);
    expect(at(problems, 0).errors).toContain(
      'spec.podSelector: selects no pods that any Service in these manifests selects',
    );
  });

  it('accepts a deny or an Egress-only NetworkPolicy for pods no Service selects (a worker without ports)', () => {
    const workerDeny = networkPolicy(
      { podSelector: { matchLabels: { app: 'mailer' } }, ingress: undefined },
      { name: 'default-deny-ingress-mailer' },
    );
    const workerEgress = networkPolicy(
      {
        podSelector: { matchLabels: { app: 'mailer' } },
        policyTypes: ['Egress'],
        ingress: undefined,
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      },
      { name: 'egress-mailer' },
    );
    expect(validateManifests([api, workerDeny, workerEgress])).toEqual([]);
    // Ingress rules for those pods are still refused: in a generated plan they are a selector mistake.
    const workerAllow = networkPolicy({ podSelector: { matchLabels: { app: 'mailer' } } }, { name: 'allow-mailer' });
    expect(at(validateManifests([api, workerAllow]), 0).errors.join()).toContain('selects no pods');
  });

  it('accepts a NetworkPolicy selecting a subset of a Service selector, and the namespace-wide {}', () => {
    const wide = service({ selector: { app: 'api', tier: 'backend' } });
    expect(validateManifests([wide, networkPolicy(), defaultDeny])).toEqual([]);
  });

  it('does not count an ExternalName Service as selecting pods', () => {
    const external = service({
      type: 'ExternalName',
      externalName: 'api.example.com',
      selector: undefined,
      ports: undefined,
    });
    expect(at(validateManifests([external, networkPolicy()]), 0).errors.join()).toContain('selects no pods');
  });

  it('matches Services and policies within one namespace only', () => {
    const elsewhere = networkPolicy({}, { namespace: 'staging' });
    expect(at(validateManifests([api, elsewhere]), 0).errors.join()).toContain('selects no pods');
  });
});

describe('name and value formats', () => {
  it.each<[(value: string) => boolean, string, boolean]>([
    [isDns1035Label, 'api', true],
    [isDns1035Label, 'a'.repeat(63), true],
    [isDns1035Label, 'a'.repeat(64), false],
    [isDns1035Label, '1api', false],
    [isDns1035Label, 'api-', false],
    [isDns1123Subdomain, 'shop.example.com', true],
    [isDns1123Subdomain, 'shop..example.com', false],
    [isQualifiedName, 'app.kubernetes.io/name', true],
    [isQualifiedName, '/name', false],
    [isQualifiedName, 'Example.COM/name', false],
    [isLabelValue, '', true],
    [isLabelValue, 'v1.2_3', true],
    [isLabelValue, '_x', false],
    [isIanaServiceName, 'http', true],
    [isIanaServiceName, 'h2c', true],
    [isIanaServiceName, '123', false],
    [isIanaServiceName, 'sixteen-chars-xx', false],
    [isCidr, '203.0.113.0/24', true],
    [isCidr, '::/0', true],
    [isCidr, '2001:db8::/129', false],
    [isCidr, '203.0.113.0', false],
    [isCidr, '1.2.3/24', false],
  ])('%o: %s → %s', (check, value, expected) => {
    expect(check(value), `${check.name}(${JSON.stringify(value)})`).toBe(expected);
  });
});
