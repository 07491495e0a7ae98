import fc from 'fast-check';
import { generateTopology } from '../../../test/support/generate-topology.js';
import { validTopologyInput } from '../testing/arbitraries.js';
import {
  type Json,
  baseInput,
  problemsOf,
  topologyOf,
  withComponent,
  withComponents,
  withEnvironment,
  withPorts,
} from '../testing/topology-inputs.js';
import { MAX_COMPONENTS, MAX_PROBLEMS_LISTED, validateTopology } from './index.js';
import { at } from '../testing/items.js';

const repeat = (character: string, count: number): string => character.repeat(count);
const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

describe(validateTopology.name, () => {
  describe('reports each problem at its path with a message a user can act on', () => {
    type Case = [description: string, input: Json, path: string, fragment: string];

    const topologyCases: Case[] = [
      ['name with uppercase', { ...baseInput(), name: 'Shop' }, 'name', 'uppercase'],
      ['name with "_"', { ...baseInput(), name: 'my_shop' }, 'name', '"_"'],
      ['name starting with "-"', { ...baseInput(), name: '-shop' }, 'name', 'start and end with a letter or digit'],
      ['name of 64 characters', { ...baseInput(), name: repeat('a', 64) }, 'name', 'at most 63'],
      [
        'name missing',
        { environment: { platform: 'aws' }, components: [{ name: 'a', role: 'api' }] },
        'name',
        'required',
      ],
      ['name not a string', { ...baseInput(), name: 42 }, 'name', 'must be a string, got 42'],
      ['namespace with "."', { ...baseInput(), namespace: 'team.shop' }, 'namespace', '"."'],
      ['namespace ending with "-"', { ...baseInput(), namespace: 'shop-' }, 'namespace', 'start and end'],
      ['unknown top-level field', { ...baseInput(), colour: 'blue' }, 'colour', 'unknown field "colour"'],
      ['top-level typo', { ...baseInput(), namespce: 'x' }, 'namespce', 'did you mean "namespace"'],
      ['environment missing', { name: 'shop', components: [{ name: 'a', role: 'api' }] }, 'environment', 'required'],
      ['components missing', { name: 'shop', environment: { platform: 'aws' } }, 'components', 'required'],
      ['no components', withComponents(), 'components', 'at least one component'],
      ['components not a list', { ...baseInput(), components: { web: {} } }, 'components', 'must be a list'],
      [
        'a component that is not an object',
        withComponents('web' as unknown as Json),
        'components[0]',
        'a component must be an object',
      ],
      ['pricing not an object', { ...baseInput(), pricing: 'cheap' }, 'pricing', 'must be an object'],
      ['pricing typo', { ...baseInput(), pricing: { sorce: 'x' } }, 'pricing.sorce', 'did you mean "source"'],
      [
        'pricing for an unknown provider',
        { ...baseInput(), pricing: { providers: { aws2: {} } } },
        'pricing.providers.aws2',
        'did you mean "aws"',
      ],
    ];

    const environmentCases: Case[] = [
      [
        'unknown platform',
        withEnvironment({ platform: 'aws2' }),
        'environment.platform',
        'unknown platform "aws2"; expected one of aws, gcp, azure',
      ],
      [
        'platform missing',
        { ...baseInput(), environment: {} },
        'environment.platform',
        'platform is required: one of aws',
      ],
      ['platform not a string', withEnvironment({ platform: 3 }), 'environment.platform', 'must be one of aws'],
      [
        'unknown stage',
        withEnvironment({ stage: 'prod' }),
        'environment.stage',
        'unknown stage "prod"; expected one of production, staging, development',
      ],
      [
        'unknown loadBalancerProvider',
        withEnvironment({ platform: 'bare-metal', loadBalancerProvider: 'f5' }),
        'environment.loadBalancerProvider',
        'expected one of metallb, kube-vip, servicelb, none',
      ],
      ['region in uppercase', withEnvironment({ region: 'US-EAST-1' }), 'environment.region', 'uppercase'],
      [
        'region with "_"',
        withEnvironment({ region: 'us_east_1' }),
        'environment.region',
        'only contain lowercase letters, digits and "-"',
      ],
      ['region of 65 characters', withEnvironment({ region: repeat('a', 65) }), 'environment.region', 'at most 64'],
      ['empty region', withEnvironment({ region: '' }), 'environment.region', 'empty'],
      [
        'ingressController not a DNS subdomain',
        withEnvironment({ ingressController: 'Nginx' }),
        'environment.ingressController',
        'uppercase',
      ],
      [
        'addressPool not a DNS subdomain',
        withEnvironment({ platform: 'bare-metal', loadBalancerProvider: 'metallb', addressPool: 'pool_1' }),
        'environment.addressPool',
        '"_"',
      ],
      [
        'addressPool without a provider that has pools',
        withEnvironment({ platform: 'bare-metal', addressPool: 'public' }),
        'environment.addressPool',
        'only used by MetalLB or kube-vip',
      ],
      [
        'addressPool with k3s ServiceLB',
        withEnvironment({ platform: 'k3s', addressPool: 'public' }),
        'environment.addressPool',
        'servicelb',
      ],
      [
        'environment typo',
        withEnvironment({ ingresController: 'nginx' }),
        'environment.ingresController',
        'did you mean "ingressController"',
      ],
    ];

    const componentCases: Case[] = [
      [
        'name starting with a digit',
        withComponent({ name: '9lives' }),
        'components[0].name',
        'must start with a letter',
      ],
      ['name in uppercase', withComponent({ name: 'Web' }), 'components[0].name', 'uppercase'],
      ['name with "_"', withComponent({ name: 'web_api' }), 'components[0].name', '"_"'],
      ['name of 64 characters', withComponent({ name: repeat('w', 64) }), 'components[0].name', 'at most 63'],
      ['name missing', withComponents({ role: 'api' }), 'components[0].name', 'required'],
      [
        'duplicate name',
        withComponents({ name: 'web', role: 'frontend' }, { name: 'api', role: 'api' }, { name: 'web', role: 'api' }),
        'components[2].name',
        'already used by components[0]',
      ],
      [
        'StatefulSet name of 55 characters',
        withComponent({ workload: 'StatefulSet', name: repeat('s', 55) }),
        'components[0].name',
        '"<name>-headless"',
      ],
      [
        'a component named after a StatefulSet\u2019s headless Service, listed after it',
        withComponents(
          { name: 'db', role: 'database', workload: 'StatefulSet', ports: [{ port: 5432 }] },
          { name: 'db-headless', role: 'api', ports: [{ port: 80 }] },
        ),
        'components[1].name',
        'component name "db-headless" is the name of the headless Service of StatefulSet "db" (components[0])',
      ],
      [
        'a component named after a StatefulSet\u2019s headless Service, listed before it',
        withComponents(
          { name: 'db-headless', role: 'worker' },
          { name: 'db', role: 'database', workload: 'StatefulSet', ports: [{ port: 5432 }] },
        ),
        'components[0].name',
        'rename one of them',
      ],
      ['role missing', withComponents({ name: 'web' }), 'components[0].role', 'role is required: one of frontend, api'],
      ['unknown role', withComponent({ role: 'db' }), 'components[0].role', 'unknown role "db"'],
      [
        'unknown workload',
        withComponent({ workload: 'Deployments' }),
        'components[0].workload',
        'did you mean "Deployment"',
      ],
      [
        'unknown exposure',
        withComponent({ exposure: 'external' }),
        'components[0].exposure',
        'unknown exposure "external"; expected one of public, private, node, internal',
      ],
      [
        'negative replicas',
        withComponent({ replicas: -1 }),
        'components[0].replicas',
        'replicas -1 is outside 0-10000',
      ],
      [
        'too many replicas',
        withComponent({ replicas: 10_001 }),
        'components[0].replicas',
        'replicas 10001 is outside 0-10000',
      ],
      ['fractional replicas', withComponent({ replicas: 1.5 }), 'components[0].replicas', 'whole number, got 1.5'],
      [
        'replicas as a string',
        withComponent({ replicas: '3' }),
        'components[0].replicas',
        'must be a number, got "3" (a string)',
      ],
      [
        '101 ports',
        withComponent({ ports: range(101).map((i) => ({ name: `p${i}`, port: i + 1 })) }),
        'components[0].ports',
        'at most 100 ports',
      ],
      [
        'unknown component field',
        withComponent({ dependOn: ['api'] }),
        'components[0].dependOn',
        'did you mean "dependsOn"',
      ],
      [
        'tls not a boolean',
        withComponent({ host: 'shop.example.com', tls: 'yes' }),
        'components[0].tls',
        'must be true or false, got "yes"',
      ],
      [
        'preserveClientIp not a boolean',
        withComponent({ preserveClientIp: 1 }),
        'components[0].preserveClientIp',
        'must be true or false',
      ],
    ];

    const portCases: Case[] = [
      ['port 0', withPorts({ port: 0 }), 'components[0].ports[0].port', 'port 0 is outside 1-65535'],
      ['port 65536', withPorts({ port: 65_536 }), 'components[0].ports[0].port', 'port 65536 is outside 1-65535'],
      ['fractional port', withPorts({ port: 80.5 }), 'components[0].ports[0].port', 'whole number'],
      ['port as a string', withPorts({ port: '80' }), 'components[0].ports[0].port', 'must be a number, got "80"'],
      ['port missing', withPorts({ name: 'http' }), 'components[0].ports[0].port', 'port is required'],
      [
        'a port that is not an object',
        withPorts(80 as unknown as Json),
        'components[0].ports[0]',
        'a port must be an object',
      ],
      [
        'nodePort 80',
        withPorts({ port: 80, nodePort: 80 }),
        'components[0].ports[0].nodePort',
        'nodePort 80 is outside 30000-32767',
      ],
      [
        'nodePort 32768',
        withPorts({ port: 80, nodePort: 32_768 }),
        'components[0].ports[0].nodePort',
        'outside 30000-32767',
      ],
      [
        'fractional nodePort',
        withPorts({ port: 80, nodePort: 30_000.5 }),
        'components[0].ports[0].nodePort',
        'whole number',
      ],
      [
        'targetPort 0',
        withPorts({ port: 80, targetPort: 0 }),
        'components[0].ports[0].targetPort',
        'targetPort 0 is outside 1-65535',
      ],
      [
        'fractional targetPort',
        withPorts({ port: 80, targetPort: 8080.5 }),
        'components[0].ports[0].targetPort',
        'whole number',
      ],
      [
        'targetPort number in quotes',
        withPorts({ port: 80, targetPort: '8080' }),
        'components[0].ports[0].targetPort',
        'write 8080 without quotes',
      ],
      [
        'targetPort name in uppercase',
        withPorts({ port: 80, targetPort: 'HTTP' }),
        'components[0].ports[0].targetPort',
        'uppercase',
      ],
      [
        'targetPort name with "--"',
        withPorts({ port: 80, targetPort: 'web--api' }),
        'components[0].ports[0].targetPort',
        '"--"',
      ],
      [
        'targetPort name of 16 characters',
        withPorts({ port: 80, targetPort: repeat('h', 16) }),
        'components[0].ports[0].targetPort',
        'at most 15',
      ],
      [
        'targetPort name starting with "-"',
        withPorts({ port: 80, targetPort: '-http' }),
        'components[0].ports[0].targetPort',
        'start and end',
      ],
      [
        'targetPort of another type',
        withPorts({ port: 80, targetPort: true }),
        'components[0].ports[0].targetPort',
        'a port number (1-65535) or the name of a container port',
      ],
      [
        'protocol in lowercase',
        withPorts({ port: 80, protocol: 'tcp' }),
        'components[0].ports[0].protocol',
        'unknown protocol "tcp"; expected one of TCP, UDP, SCTP (did you mean "TCP"?)',
      ],
      ['port name in uppercase', withPorts({ name: 'HTTP', port: 80 }), 'components[0].ports[0].name', 'uppercase'],
      [
        'port name of 16 characters',
        withPorts({ name: repeat('p', 16), port: 80 }),
        'components[0].ports[0].name',
        'at most 15',
      ],
      [
        'port name of digits only',
        withPorts({ name: '8080', port: 80 }),
        'components[0].ports[0].name',
        'at least one letter',
      ],
      ['port name with "--"', withPorts({ name: 'a--b', port: 80 }), 'components[0].ports[0].name', '"--"'],
      [
        'several ports, one unnamed',
        withPorts({ name: 'http', port: 80 }, { port: 443 }),
        'components[0].ports[1].name',
        'port 443 needs a name',
      ],
      [
        'duplicate port names',
        withPorts({ name: 'http', port: 80 }, { name: 'http', port: 8080 }),
        'components[0].ports[1].name',
        'port name "http" is already used by ports[0]',
      ],
      [
        'duplicate port and protocol',
        withPorts({ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }),
        'components[0].ports[1].port',
        'port 80/TCP is already declared by ports[0]',
      ],
      [
        'empty appProtocol',
        withPorts({ port: 80, appProtocol: '' }),
        'components[0].ports[0].appProtocol',
        'must not be empty',
      ],
      [
        'appProtocol of 64 characters',
        withPorts({ port: 80, appProtocol: repeat('h', 64) }),
        'components[0].ports[0].appProtocol',
        'at most 63',
      ],
      [
        'appProtocol with a space',
        withPorts({ port: 80, appProtocol: 'my proto' }),
        'components[0].ports[0].appProtocol',
        'a space',
      ],
      [
        'unknown port field',
        withPorts({ port: 80, containerPort: 8080 }),
        'components[0].ports[0].containerPort',
        'unknown field "containerPort"',
      ],
      [
        'port field typo',
        withPorts({ port: 80, nodeport: 30_080 }),
        'components[0].ports[0].nodeport',
        'did you mean "nodePort"',
      ],
      [
        'nodePort pinned twice across components',
        withComponents(
          { name: 'web', role: 'frontend', ports: [{ port: 80, nodePort: 30_080 }] },
          { name: 'api', role: 'api', ports: [{ port: 8080, nodePort: 30_080 }] },
        ),
        'components[1].ports[0].nodePort',
        'nodePort 30080 is already pinned by component "web" (components[0]), ports[0]',
      ],
      [
        'nodePort pinned twice across components on different protocols',
        withComponents(
          { name: 'web', role: 'frontend', ports: [{ port: 53, nodePort: 30_053, protocol: 'TCP' }] },
          { name: 'dns', role: 'other', ports: [{ port: 53, nodePort: 30_053, protocol: 'UDP' }] },
        ),
        'components[1].ports[0].nodePort',
        'unique in the whole cluster, whatever the protocol',
      ],
      [
        'nodePort pinned twice in one component for different ports',
        withPorts({ name: 'a', port: 80, nodePort: 30_080 }, { name: 'b', port: 81, nodePort: 30_080 }),
        'components[0].ports[1].nodePort',
        'already pinned by ports[0] of this component',
      ],
    ];

    const dependencyAndSourceCases: Case[] = [
      [
        'dependsOn an unknown component',
        withComponent({ dependsOn: ['api'] }),
        'components[0].dependsOn[0]',
        '"api" is not a component of this topology',
      ],
      [
        'dependsOn itself',
        withComponent({ dependsOn: ['web'] }),
        'components[0].dependsOn[0]',
        'cannot depend on itself',
      ],
      [
        'dependsOn the same component twice',
        withComponents({ name: 'web', role: 'frontend', dependsOn: ['api', 'api'] }, { name: 'api', role: 'api' }),
        'components[0].dependsOn[1]',
        'listed twice',
      ],
      [
        'dependsOn entry not a string',
        withComponent({ dependsOn: [42] }),
        'components[0].dependsOn[0]',
        'a dependsOn entry must be a string',
      ],
      [
        'dependsOn a name Object.prototype has',
        withComponent({ dependsOn: ['constructor'] }),
        'components[0].dependsOn[0]',
        '"constructor" is not a component',
      ],
      [
        'IPv4 prefix over 32',
        withComponent({ allowedSources: ['10.0.0.0/33'] }),
        'components[0].allowedSources[0]',
        'more than 32',
      ],
      [
        'IPv6 prefix over 128',
        withComponent({ allowedSources: ['2001:db8::/129'] }),
        'components[0].allowedSources[0]',
        'more than 128',
      ],
      [
        'address without a prefix',
        withComponent({ allowedSources: ['203.0.113.7'] }),
        'components[0].allowedSources[0]',
        'write "203.0.113.7/32"',
      ],
      [
        'octet over 255',
        withComponent({ allowedSources: ['300.1.1.1/8'] }),
        'components[0].allowedSources[0]',
        'not a dotted-decimal IPv4 address',
      ],
      [
        'short IPv4 form ipaddr.js would read',
        withComponent({ allowedSources: ['10/8'] }),
        'components[0].allowedSources[0]',
        'dotted-decimal',
      ],
      [
        'octet with a leading zero',
        withComponent({ allowedSources: ['010.0.0.0/8'] }),
        'components[0].allowedSources[0]',
        'no leading zeros',
      ],
      [
        'prefix with a leading zero',
        withComponent({ allowedSources: ['10.0.0.0/08'] }),
        'components[0].allowedSources[0]',
        'without leading zeros',
      ],
      ['IPv6 zone', withComponent({ allowedSources: ['fe80::1%eth0/64'] }), 'components[0].allowedSources[0]', 'zone'],
      [
        'not an address',
        withComponent({ allowedSources: ['office/24'] }),
        'components[0].allowedSources[0]',
        'is not a CIDR',
      ],
      [
        '101 allowedSources',
        withComponent({ allowedSources: range(101).map((i) => `10.0.${i}.0/24`) }),
        'components[0].allowedSources',
        'at most 100',
      ],
    ];

    const externalAndRoutingCases: Case[] = [
      [
        'externalName in uppercase',
        withComponent({ externalName: 'Legacy.Example.com' }),
        'components[0].externalName',
        'uppercase',
      ],
      [
        'externalName that is an IP address',
        withComponent({ externalName: '10.0.0.1' }),
        'components[0].externalName',
        'IP address',
      ],
      [
        'externalName with an empty part',
        withComponent({ externalName: 'db..corp.example.com' }),
        'components[0].externalName',
        '".."',
      ],
      [
        'externalName of 254 characters',
        withComponent({ externalName: `${repeat('a', 60)}.`.repeat(4) + repeat('b', 10) }),
        'components[0].externalName',
        'at most 253',
      ],
      [
        'externalName with a part over 63',
        withComponent({ externalName: `${repeat('a', 64)}.example.com` }),
        'components[0].externalName',
        'each part of a DNS name is at most 63',
      ],
      [
        'externalName with exposure public',
        withComponent({ externalName: 'legacy.example.com', exposure: 'public' }),
        'components[0].exposure',
        'externalName is for a dependency outside the cluster',
      ],
      [
        'host in uppercase',
        withComponent({ exposure: 'public', host: 'Shop.example.com' }),
        'components[0].host',
        'uppercase',
      ],
      [
        'host with a wildcard inside',
        withComponent({ host: 'shop.*.example.com' }),
        'components[0].host',
        'only allowed as the whole first part',
      ],
      [
        'host that is an IP address',
        withComponent({ host: '192.168.1.1' }),
        'components[0].host',
        'IP address, not a DNS name',
      ],
      [
        'host with a trailing dot',
        withComponent({ host: 'shop.example.com.' }),
        'components[0].host',
        'must not start or end with "."',
      ],
      [
        'path without "/"',
        withComponent({ host: 'shop.example.com', path: 'api' }),
        'components[0].path',
        'must start with "/"',
      ],
      [
        'path with a space',
        withComponent({ host: 'shop.example.com', path: '/my api' }),
        'components[0].path',
        'may hold only letters, digits and - . _ ~ / % : @ + , =',
      ],
      ...[
        '/$(touch${IFS}/tmp/x)',
        "/a'b",
        '/a`id`',
        '/a;id',
        '/a|b',
        '/a&b',
        '/[1-5]',
        '/{a,b}',
        '/a*',
        '/a\u202eb',
      ].map(
        (path) =>
          [
            `path with shell or curl syntax: ${path}`,
            withComponent({ host: 'shop.example.com', path }),
            'components[0].path',
            'a shell or curl would read the others',
          ] satisfies Case,
      ),
      [
        'tls without host',
        withComponent({ exposure: 'public', tls: true }),
        'components[0].tls',
        'a TLS certificate is issued for a host name',
      ],
      [
        'two public components on the same host',
        withComponents(
          { name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com' },
          { name: 'api', role: 'api', exposure: 'public', host: 'shop.example.com', path: '/' },
        ),
        'components[1].host',
        'host "shop.example.com" with path "/" is already routed to component "web" (components[0])',
      ],
      [
        'two public components on the same path of any host',
        withComponents(
          { name: 'web', role: 'frontend', exposure: 'public', path: '/app' },
          { name: 'api', role: 'api', exposure: 'public', path: '/app' },
        ),
        'components[1].path',
        'on any host is already routed',
      ],
    ];

    const labelCases: Case[] = [
      [
        'label key with a space',
        withComponent({ labels: { 'my app': 'web' } }),
        'components[0].labels["my app"]',
        'a space',
      ],
      [
        'label key starting with "-"',
        withComponent({ labels: { '-app': 'web' } }),
        'components[0].labels["-app"]',
        'start and end',
      ],
      [
        'label key with two "/"',
        withComponent({ labels: { 'a/b/c': 'web' } }),
        'components[0].labels["a/b/c"]',
        'more than one "/"',
      ],
      [
        'label key with an empty name',
        withComponent({ labels: { 'example.com/': 'web' } }),
        'components[0].labels["example.com/"]',
        'empty',
      ],
      [
        'label key with an uppercase prefix',
        withComponent({ labels: { 'Example.com/app': 'web' } }),
        'components[0].labels["Example.com/app"]',
        'prefix "Example.com" is not a DNS subdomain',
      ],
      [
        'label key with a name of 64 characters',
        withComponent({ labels: { [repeat('k', 64)]: 'web' } }),
        `components[0].labels.${repeat('k', 64)}`,
        'name part is 64 characters',
      ],
      [
        'label key "__proto__"',
        withComponent({ labels: JSON.parse('{"app": "web", "__proto__": "x"}') as Json }),
        'components[0].labels.__proto__',
        'label key "__proto__" is not valid',
      ],
      ['label value with a space', withComponent({ labels: { app: 'my web' } }), 'components[0].labels.app', 'a space'],
      [
        'label value of 64 characters',
        withComponent({ labels: { app: repeat('v', 64) } }),
        'components[0].labels.app',
        'at most 63',
      ],
      [
        'label value ending with "."',
        withComponent({ labels: { app: 'web.' } }),
        'components[0].labels.app',
        'start and end',
      ],
      [
        'label value not a string',
        withComponent({ labels: { replicas: 3 } }),
        'components[0].labels.replicas',
        'must be a string',
      ],
      [
        '65 labels',
        withComponent({ labels: Object.fromEntries(range(65).map((i) => [`k${i}`, 'v'])) }),
        'components[0].labels',
        'at most 64 labels are allowed, got 65',
      ],
      ['empty labels', withComponent({ labels: {} }), 'components[0].labels', 'select every pod in the namespace'],
      [
        'the same labels on two components',
        withComponents(
          { name: 'web', role: 'frontend', labels: { app: 'shop' } },
          { name: 'api', role: 'api', labels: { app: 'shop' } },
        ),
        'components[1].labels',
        'same pod selector as component "web" (components[0])',
      ],
      [
        'labels among another component’s: its selector takes in their pods',
        withComponents(
          { name: 'admin', role: 'api', labels: { app: 'shop', component: 'admin' } },
          { name: 'web', role: 'frontend', labels: { app: 'shop' } },
        ),
        'components[1].labels',
        'these labels (the pod selector) are all among those of component "admin" (components[0]), so they select its pods too',
      ],
      [
        'labels that include all of an earlier component’s default',
        withComponents(
          { name: 'shop', role: 'frontend' },
          { name: 'admin', role: 'api', labels: { app: 'shop', tier: 'x' } },
        ),
        'components[1].labels',
        'every label of component "shop" (components[0]) is among these, so its pod selector selects this component\'s pods too',
      ],
      [
        'labels equal to another component’s default',
        withComponents({ name: 'web', role: 'frontend' }, { name: 'api', role: 'api', labels: { app: 'web' } }),
        'components[1].labels',
        'same pod selector as component "web"',
      ],
    ];

    it.each([
      ...topologyCases,
      ...environmentCases,
      ...componentCases,
      ...portCases,
      ...dependencyAndSourceCases,
      ...externalAndRoutingCases,
      ...labelCases,
    ])('%s', (_description, input, path, fragment) => {
      const problems = problemsOf(input);
      const atPath = problems.filter((problem) => problem.path === path);
      expect(atPath.map((problem) => problem.message).join('\n')).toContain(fragment);
    });
  });

  describe('accepts what Kubernetes accepts', () => {
    it.each<[string, Json]>([
      [
        'labels that share a key and value but do not nest',
        withComponents(
          { name: 'web', role: 'frontend', labels: { app: 'shop', tier: 'web' } },
          { name: 'api', role: 'api', labels: { app: 'shop', tier: 'api' } },
          { name: 'mail', role: 'other', externalName: 'mail.example.com', labels: { app: 'shop' } },
        ),
      ],
      ['a StatefulSet name of 54 characters', withComponent({ workload: 'StatefulSet', name: repeat('s', 54) })],
      ['a Deployment name of 63 characters', withComponent({ name: repeat('d', 63) })],
      ['a wildcard host', withComponent({ exposure: 'public', host: '*.shop.example.com', tls: true })],
      [
        'IPv4 and IPv6 sources',
        withComponent({ exposure: 'public', allowedSources: ['0.0.0.0/0', '2001:db8::/32', '10.1.2.3/32'] }),
      ],
      [
        'the same port on TCP and UDP through one nodePort',
        withPorts(
          { name: 'dns-udp', port: 53, protocol: 'UDP', nodePort: 30_053 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', nodePort: 30_053 },
        ),
      ],
      ['a named targetPort', withPorts({ port: 80, targetPort: 'http' })],
      ['a prefixed appProtocol', withPorts({ port: 80, appProtocol: 'kubernetes.io/h2c' })],
      [
        'prefixed label keys and an empty value',
        withComponent({ labels: { 'app.kubernetes.io/name': 'web', tier: '' } }),
      ],
      ['an external dependency without exposure', withComponent({ externalName: 'legacy-db.corp.example.com' })],
      [
        'an external dependency with empty labels',
        withComponent({ externalName: 'legacy-db.corp.example.com', labels: {} }),
      ],
      ['zero replicas', withComponent({ replicas: 0 })],
      [
        'a component named <name>-headless next to a StatefulSet <name> without ports (it gets no headless Service)',
        withComponents(
          { name: 'db', role: 'worker', workload: 'StatefulSet' },
          { name: 'db-headless', role: 'api', ports: [{ port: 80 }] },
        ),
      ],
      [
        'a component named <name>-headless next to a Deployment <name>',
        withComponents({ name: 'db', role: 'api', ports: [{ port: 80 }] }, { name: 'db-headless', role: 'api' }),
      ],
      [
        'a component named like an Object.prototype member',
        withComponents(
          { name: 'constructor', role: 'api' },
          { name: 'web', role: 'frontend', dependsOn: ['constructor'] },
        ),
      ],
      [
        'one host split by paths',
        withComponents(
          { name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com' },
          { name: 'api', role: 'api', exposure: 'public', host: 'shop.example.com', path: '/api' },
        ),
      ],
      [
        'the same host on a component that is not public',
        withComponents(
          { name: 'web', role: 'frontend', exposure: 'public', host: 'shop.example.com' },
          { name: 'admin', role: 'api', exposure: 'private', host: 'shop.example.com' },
        ),
      ],
      [
        'a depends-on cycle (allowed: it only drives NetworkPolicies)',
        withComponents({ name: 'a', role: 'api', dependsOn: ['b'] }, { name: 'b', role: 'api', dependsOn: ['a'] }),
      ],
      ['100 named ports', withComponent({ ports: range(100).map((i) => ({ name: `p${i}`, port: i + 1 })) })],
      [
        'metallb with an address pool',
        withEnvironment({ platform: 'bare-metal', loadBalancerProvider: 'metallb', addressPool: 'public-pool' }),
      ],
      [
        'a pricing override',
        {
          ...baseInput(),
          pricing: { source: 'our rates', asOf: '2026-10-01', providers: { aws: { loadBalancerHourly: 0.02 } } },
        },
      ],
    ])('%s', (_description, input) => {
      expect(validateTopology(input)).toMatchObject({ ok: true });
    });
  });

  describe('lists every problem at once, in a stable order', () => {
    const broken = {
      name: 'Shop',
      environment: { platform: 'aws2', stage: 'prod' },
      components: [
        { name: 'web', role: 'frontend', ports: [{ port: 80, nodePort: 80 }], dependsOn: ['api', 'db'] },
        { name: 'web', role: 'frontend', ports: [{ port: 70_000 }], exposure: 'public', tls: true },
      ],
      colour: 'blue',
    };

    it('reports shape and meaning problems together, in document order', () => {
      expect(problemsOf(broken).map((problem) => problem.path)).toEqual([
        'name',
        'environment.platform',
        'environment.stage',
        'components[0].ports[0].nodePort',
        'components[0].dependsOn[0]',
        'components[0].dependsOn[1]',
        'components[1].name',
        'components[1].ports[0].port',
        'components[1].tls',
        'colour',
      ]);
    });

    it('gives the same list for the same input, whatever its key order', () => {
      const reordered = JSON.parse(
        JSON.stringify({
          colour: broken.colour,
          components: broken.components,
          environment: broken.environment,
          name: broken.name,
        }),
      ) as unknown;
      expect(problemsOf(reordered)).toEqual(problemsOf(broken));
    });

    it('stops listing after the limit and says so, quickly, for a huge broken input', () => {
      const junk = {
        name: 'junk',
        environment: { platform: 'aws' },
        components: range(MAX_COMPONENTS).map(() => ({
          name: 'Bad',
          ports: range(100).map(() => ({ port: 'x', bogus: 1 })),
        })),
      };
      const problems = problemsOf(junk);
      expect(problems).toHaveLength(MAX_PROBLEMS_LISTED + 1);
      expect(problems.at(-1)).toEqual({ path: '', message: expect.stringContaining('not listed') as unknown });
      expect(at(problems, 0).path).toBe('components[0].name');
    });

    it('summarises a flood of unknown fields instead of listing each', () => {
      const fields = Object.fromEntries(range(500).map((i) => [`extra${i}`, i]));
      const problems = problemsOf({ ...baseInput(), ...fields });
      expect(problems.filter((problem) => problem.message.startsWith('unknown field'))).toHaveLength(20);
      expect(problems).toContainEqual({ path: '', message: '480 more unknown fields are not listed' });
    });
  });

  describe('never throws: anything that is not a topology gives problems', () => {
    let deeplyNested: unknown = 'bottom';
    for (let depth = 0; depth < 10_000; depth++) {
      deeplyNested = [deeplyNested];
    }
    it.each<[string, unknown, string]>([
      ['null', null, 'the topology must be an object, got null'],
      ['a number', 42, 'got 42'],
      ['a string', 'x', 'got "x"'],
      ['a list', [], 'got a list'],
      ['a boolean', true, 'got true'],
      ['nothing', undefined, 'the topology is required'],
      ['deeply nested lists', deeplyNested, 'got a list'],
    ])('%s', (_description, input, fragment) => {
      const problems = problemsOf(input);
      expect(problems).toEqual([{ path: '', message: expect.stringContaining(fragment) as unknown }]);
    });

    it('deeply nested junk in every field', () => {
      const problems = problemsOf({
        name: deeplyNested,
        environment: deeplyNested,
        components: [
          deeplyNested,
          { name: 'a', role: 'api', ports: deeplyNested, labels: deeplyNested, dependsOn: [deeplyNested] },
        ],
      });
      expect(problems.map((problem) => problem.path)).toEqual([
        'name',
        'environment',
        'components[0]',
        'components[1].ports[0]',
        'components[1].dependsOn[0]',
        'components[1].labels',
      ]);
    });

    it('reports "__proto__" keys without polluting any prototype', () => {
      const input = JSON.parse(
        '{"__proto__": {"polluted": true}, "name": "shop", "environment": {"platform": "aws", "__proto__": {"polluted": true}},' +
          ' "components": [{"name": "web", "role": "api", "__proto__": {"polluted": true}, "labels": {"__proto__": "x"}}]}',
      ) as unknown;
      const paths = problemsOf(input).map((problem) => problem.path);
      expect(paths).toEqual([
        'environment.__proto__',
        'components[0].labels.__proto__',
        'components[0].__proto__',
        '__proto__',
      ]);
      expect(({} as Json).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('turns a getter that throws, or a revoked proxy, into a problem', () => {
      const exploding = withComponents({
        name: 'web',
        role: 'api',
        get ports(): never {
          throw new Error('boom');
        },
      });
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(problemsOf(exploding)).toEqual([{ path: '', message: 'the topology could not be read: boom' }]);
      expect(at(problemsOf(proxy), 0).message).toContain('could not be read');
    });

    it('property: random values never throw, and a refusal always says why', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything({
              withNullPrototype: true,
              withBoxedValues: true,
              withSparseArray: true,
              withBigInt: true,
              withMap: true,
            }),
            fc.jsonValue(),
            // Random values where a topology's fields go, so that the deeper checks run too.
            fc.record({
              name: fc.jsonValue(),
              environment: fc.jsonValue(),
              components: fc.array(fc.jsonValue(), { maxLength: 5 }),
            }),
            fc.record({
              name: fc.constant('shop'),
              environment: fc.constant({ platform: 'aws' }),
              components: fc.array(
                fc.dictionary(
                  fc.constantFrom(
                    'name',
                    'role',
                    'ports',
                    'dependsOn',
                    'labels',
                    'host',
                    'path',
                    'tls',
                    'externalName',
                    'exposure',
                    'workload',
                  ),
                  fc.jsonValue(),
                ),
                { maxLength: 5 },
              ),
            }),
          ),
          (input) => {
            const result = validateTopology(input);
            if (!result.ok) {
              expect(result.problems.length).toBeGreaterThan(0);
              for (const problem of result.problems) {
                expect(typeof problem.path).toBe('string');
                expect(problem.message.length).toBeGreaterThan(0);
              }
            }
          },
        ),
        { numRuns: 400 },
      );
    });
  });

  describe('properties of valid topologies', () => {
    it('accepts every generated valid topology, and the same input gives the same JSON', () => {
      fc.assert(
        fc.property(validTopologyInput, (input) => {
          const first = topologyOf(input);
          expect(JSON.stringify(topologyOf(structuredClone(input)))).toBe(JSON.stringify(first));
          expect(first.components.map((component) => component.name)).toEqual(
            (input.components as Json[]).map((component) => component.name),
          );
        }),
        { numRuns: 150 },
      );
    });

    it('is idempotent: a normalized topology validates to itself, k3s with "none" included', () => {
      const k3sWithoutIngress = { ...baseInput(), environment: { platform: 'k3s', ingressController: 'none' } };
      fc.assert(
        fc.property(fc.oneof(validTopologyInput, fc.constant(k3sWithoutIngress)), (input) => {
          const once = topologyOf(input);
          expect(JSON.stringify(topologyOf(once))).toBe(JSON.stringify(once));
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('limits', () => {
    // How fast is measured by `npm run bench:planner`, not asserted here.
    it(`accepts ${MAX_COMPONENTS} components`, () => {
      const outcome = validateTopology(generateTopology(MAX_COMPONENTS));
      expect(outcome.ok && outcome.topology.components).toHaveLength(MAX_COMPONENTS);
    });

    it(`refuses ${MAX_COMPONENTS + 1} components with one problem, without reading them`, () => {
      expect(problemsOf(generateTopology(MAX_COMPONENTS + 1))).toEqual([
        { path: 'components', message: 'at most 2,000 components are allowed, got 2,001' },
      ]);
    });
  });
});
