import { importCompose } from './compose-import.js';
import { composePorts, isLoopbackOnly, type ComposePort } from './compose-ports.js';

const PATH = 'services.web';

function read(...entries: unknown[]): ComposePort[] {
  const { ports, problems } = composePorts({ ports: entries }, PATH);
  expect(problems).toEqual([]);
  return ports;
}

function problemOf(entry: unknown): string {
  const { ports, problems } = composePorts({ ports: [entry] }, PATH);
  expect(ports).toEqual([]);
  expect(problems).toHaveLength(1);
  expect(problems[0]?.path).toBe(`${PATH}.ports[0]`);
  return problems[0]?.message ?? '';
}

/** What a port says, without the fields every published one has. */
function brief(port: ComposePort) {
  const { publishedOnHost, path, ...rest } = port;
  expect(publishedOnHost).toBe(true);
  expect(path).toBe('ports[0]');
  return rest;
}

// Every example of the Compose Specification's short syntax, 05-services.md ("ports", "Short syntax"),
// https://github.com/compose-spec/compose-spec/blob/170098ba07d9f53c383a41bfd4c5166b0a4529a6/05-services.md
describe('composePorts: the short syntax, on every example of the Compose Specification', () => {
  it.each([
    ['3000', [{ target: 3000, protocol: 'TCP' }]],
    ['3000-3005', [3000, 3001, 3002, 3003, 3004, 3005].map((target) => ({ target, protocol: 'TCP' }))],
    ['8000:8000', [{ target: 8000, published: 8000, protocol: 'TCP' }]],
    [
      '9090-9091:8080-8081',
      [
        { target: 8080, published: 9090, protocol: 'TCP' },
        { target: 8081, published: 9091, protocol: 'TCP' },
      ],
    ],
    ['49100:22', [{ target: 22, published: 49100, protocol: 'TCP' }]],
    // A host range for one container port: Compose picks one of them; the first stands for it.
    ['8000-9000:80', [{ target: 80, published: 8000, protocol: 'TCP' }]],
    ['127.0.0.1:8001:8001', [{ target: 8001, published: 8001, hostIp: '127.0.0.1', protocol: 'TCP' }]],
    [
      '127.0.0.1:5000-5010:5000-5010',
      Array.from({ length: 11 }, (_, offset) => ({
        target: 5000 + offset,
        published: 5000 + offset,
        hostIp: '127.0.0.1',
        protocol: 'TCP',
      })),
    ],
    ['::1:6000:6000', [{ target: 6000, published: 6000, hostIp: '::1', protocol: 'TCP' }]],
    ['[::1]:6001:6001', [{ target: 6001, published: 6001, hostIp: '::1', protocol: 'TCP' }]],
    ['6060:6060/udp', [{ target: 6060, published: 6060, protocol: 'UDP' }]],
  ])('%s', (text, expected) => {
    const ports = read(text);
    expect(ports.map(brief)).toEqual(expected);
  });
});

describe('composePorts: the short syntax, beyond the examples', () => {
  it.each([
    // The host port of HOST:CONTAINER is the host port, not a host address (the bug this guards).
    ['8080:80', [{ target: 80, published: 8080, protocol: 'TCP' }]],
    ['5000:80/tcp', [{ target: 80, published: 5000, protocol: 'TCP' }]],
    ['53:53/UDP', [{ target: 53, published: 53, protocol: 'UDP' }]],
    ['3868/sctp', [{ target: 3868, protocol: 'SCTP' }]],
    // An empty host port after an address: the host picks one on that address.
    ['127.0.0.1::80', [{ target: 80, hostIp: '127.0.0.1', protocol: 'TCP' }]],
    ['[::1]::80', [{ target: 80, hostIp: '::1', protocol: 'TCP' }]],
    ['0.0.0.0:8080:80', [{ target: 80, published: 8080, hostIp: '0.0.0.0', protocol: 'TCP' }]],
    ['10.0.0.5:8080:80', [{ target: 80, published: 8080, hostIp: '10.0.0.5', protocol: 'TCP' }]],
    ['2001:db8::1:8080:80', [{ target: 80, published: 8080, hostIp: '2001:db8::1', protocol: 'TCP' }]],
    ['[2001:db8::1]:8080:80/udp', [{ target: 80, published: 8080, hostIp: '2001:db8::1', protocol: 'UDP' }]],
    ['[::ffff:127.0.0.1]:80:80', [{ target: 80, published: 80, hostIp: '::ffff:127.0.0.1', protocol: 'TCP' }]],
    ['::ffff:127.0.0.1:80:80', [{ target: 80, published: 80, hostIp: '::ffff:127.0.0.1', protocol: 'TCP' }]],
  ])('%s', (text, expected) => {
    expect(read(text).map(brief)).toEqual(expected);
  });

  it('reads a number as the container port', () => {
    expect(read(80).map(brief)).toEqual([{ target: 80, protocol: 'TCP' }]);
  });
});

describe('composePorts: short-syntax entries that are not a Compose port, each a problem saying why', () => {
  it.each([
    ['', 'the container port "" is not a port'],
    ['http', 'the container port "http" is not a port'],
    ['0', 'the container port "0" is not a port (1-65535)'],
    ['65536', 'the container port "65536" is not a port (1-65535)'],
    ['8080:', 'the container port "" is not a port'],
    ['8080:0', 'the container port "0" is not a port'],
    ['80-79', 'the container port "80-79" is not a port'],
    ['80-81-82', 'the container port "80-81-82" is not a port'],
    [' 80', 'the container port " 80" is not a port'],
    ['80/tcp/udp', 'it has more than one "/"'],
    ['80/http', 'the protocol "http" is not tcp, udp or sctp'],
    ['80/', 'the protocol "" is not tcp, udp or sctp'],
    ['70000:80', 'the host port "70000" is not a port'],
    ['x:80', 'the host port "x" is not a port'],
    ['127.0.0.1:80', 'the host port "127.0.0.1" is not a port'],
    [':80', 'the host port before ":" is empty; write "80"'],
    ['8080-8081:80-82', 'the host range 8080-8081 and the container range 80-82 differ in length'],
    ['8080:80-81', 'the host range 8080 and the container range 80-81 differ in length'],
    ['localhost:8080:80', 'the host address "localhost" is not an IPv4 or IPv6 address'],
    ['1.2.3:8080:80', 'the host address "1.2.3" is not an IPv4 or IPv6 address'],
    ['256.0.0.1:8080:80', 'the host address "256.0.0.1" is not an IPv4 or IPv6 address'],
    ['::80', 'the host address "" is not an IPv4 or IPv6 address'],
    ['80:80:80:80', 'the host address "80:80" is not an IPv4 or IPv6 address'],
    // Bare, the last two fields are the ports: this is address 2001:db8: and host port 1.
    [
      '2001:db8::1:80',
      'the host address "2001:db8:" is not an IPv4 or IPv6 address (write an IPv6 address in brackets',
    ],
    ['[::1:8080:80', 'the host address "[::1" is not an IPv4 or IPv6 address'],
    ['[127.0.0.1]:8080:80', 'the host address "[127.0.0.1]" is in brackets, which only an IPv6 address takes'],
    ['[fe80::1%eth0]:8080:80', 'the host address "[fe80::1%eth0]" is not an IPv4 or IPv6 address'],
  ])('%j', (text, reason) => {
    const message = problemOf(text);
    expect(message).toContain(
      `${JSON.stringify(text)} is not a Compose port ([HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`,
    );
    expect(message).toContain(reason);
  });

  it('lists every wrong entry of a service, each at its path', () => {
    const { problems } = composePorts({ ports: ['8080:80', 'x:80', '::1:6000:6000', '1.2.3:80:80'] }, PATH);
    expect(problems.map((problem) => problem.path)).toEqual([`${PATH}.ports[1]`, `${PATH}.ports[3]`]);
  });
});

describe('composePorts: the long syntax', () => {
  it('reads target, published, host_ip, protocol, name and app_protocol', () => {
    const [port] = read({
      target: 80,
      published: '8080',
      host_ip: '127.0.0.1',
      protocol: 'udp',
      name: 'web',
      app_protocol: 'http',
    });
    expect(port).toEqual({
      target: 80,
      published: 8080,
      publishedOnHost: true,
      hostIp: '127.0.0.1',
      protocol: 'UDP',
      name: 'web',
      appProtocol: 'http',
      path: 'ports[0]',
    });
  });

  it('reads a published range as its first port, and a host_ip in brackets without them', () => {
    expect(read({ target: 443, published: '8083-9000', host_ip: '[::1]' }).map(brief)).toEqual([
      { target: 443, published: 8083, hostIp: '::1', protocol: 'TCP' },
    ]);
  });

  it.each([
    [{ target: 0 }, 'target 0 is not a port (1-65535)'],
    [{ target: 80, published: 'x' }, 'published "x" is not a port (1-65535) or range (8000-8010)'],
    [{ target: 80, published: '9000-8000' }, 'published "9000-8000" is not a port (1-65535) or range (8000-8010)'],
    [{ target: 80, protocol: 'http' }, 'protocol "http" is not tcp, udp or sctp'],
    [{ target: 80, host_ip: 'localhost' }, 'host_ip: the host address "localhost" is not an IPv4 or IPv6 address'],
    [
      { target: 80, host_ip: '[127.0.0.1]' },
      'host_ip: the host address "[127.0.0.1]" is in brackets, which only an IPv6 address takes',
    ],
  ])('refuses %j', (entry, message) => {
    expect(problemOf(entry)).toBe(message);
  });
});

describe('loopback-only ports: read by the address, not its spelling', () => {
  it.each([
    ['127.0.0.1:8080:80', true],
    ['::1:6000:6000', true],
    ['[::1]:6001:6001', true],
    ['[0:0:0:0:0:0:0:1]:80:80', true],
    ['[::ffff:127.0.0.1]:80:80', true],
    ['8080:80', false],
    ['0.0.0.0:8080:80', false],
    ['[::]:8080:80', false],
  ])('a port published as %s is loopback only: %s', (text, loopback) => {
    expect(read(text).map(isLoopbackOnly)).toEqual([loopback]);
  });

  it.each([
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['[::1]', true],
    ['127.0.0.53', true],
    ['0.0.0.0', false],
    ['192.168.1.10', false],
  ])('a port with host_ip %s is loopback only: %s', (hostIp, loopback) => {
    expect(read({ target: 80, published: '8080', host_ip: hostIp }).map(isLoopbackOnly)).toEqual([loopback]);
  });
});

describe('the host ports and addresses, through the import', () => {
  const imported = (service: unknown) => {
    const result = importCompose({ services: { web: service } }, { platform: 'aws', name: 'shop' });
    if (!result.ok) {
      throw new Error(`expected an import, got ${JSON.stringify(result.problems)}`);
    }
    return result;
  };

  it('notes the host port of "8080:80" and of "6060:6060/udp" where it differs from the container port', () => {
    const result = imported({ image: 'example/web', ports: ['8080:80', '6061:6060/udp'] });
    expect(result.notes).toContainEqual({
      path: 'services.web.ports[0]',
      message: expect.stringContaining('Compose publishes it on host port 8080'),
    });
    expect(result.notes).toContainEqual({
      path: 'services.web.ports[1]',
      message: expect.stringContaining('Compose publishes it on host port 6061'),
    });
    const exposure = result.notes.find((note) => note.path === 'services.web' && note.message.startsWith('public'));
    expect(exposure?.message).toMatch(/\b8080\b/);
  });

  it('imports "::1:6000:6000" and "[::1]:6001:6001" as ports the host alone reaches', () => {
    const result = imported({ image: 'example/web', ports: ['8080:80', '::1:6000:6000', '[::1]:6001:6001'] });
    const [web] = result.topology.components;
    expect(web?.exposure).toBe('public');
    expect(web?.ports).toEqual([
      expect.objectContaining({ port: 80 }),
      expect.objectContaining({ port: 6000, exposure: 'internal' }),
      expect.objectContaining({ port: 6001, exposure: 'internal' }),
    ]);
    expect(web?.ports?.[0]).not.toHaveProperty('exposure');
  });

  it.each([
    { target: 80, published: '8080', host_ip: '0:0:0:0:0:0:0:1' },
    { target: 80, published: '8080', host_ip: '::ffff:127.0.0.1' },
    { target: 80, published: '8080', host_ip: '[::1]' },
    '[::ffff:127.0.0.1]:8080:80',
  ])('keeps a service bound to loopback only (%j) internal', (port) => {
    const [web] = imported({ image: 'example/web', ports: [port] }).topology.components;
    expect(web?.exposure).toBe('internal');
  });

  it('refuses a host address that is not one, with its path', () => {
    const result = importCompose(
      { services: { web: { image: 'example/web', ports: ['8080:80', { target: 81, host_ip: 'localhost' }] } } },
      { platform: 'aws', name: 'shop' },
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual({
      path: 'services.web.ports[1]',
      message: 'host_ip: the host address "localhost" is not an IPv4 or IPv6 address',
    });
  });
});
