import { problemsOf, topologyOf, withComponents, withPorts } from '../testing/topology-inputs.js';
import { at } from '../testing/items.js';

const HTTP = { name: 'http', port: 80 };
const METRICS = { name: 'metrics', port: 9090 };

describe('per-port exposure in the input', () => {
  it('refuses an unknown value, at its JSON path', () => {
    const problems = problemsOf(withPorts(HTTP, { ...METRICS, exposure: 'private' }));
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'components[0].ports[1].exposure',
        message: 'unknown port exposure "private"; expected one of inherit, internal',
      }),
    ]);
  });

  it('refuses a component that is not internal and keeps every port in-cluster', () => {
    const input = withComponents({
      name: 'web',
      role: 'frontend',
      exposure: 'public',
      ports: [
        { ...HTTP, exposure: 'internal' },
        { ...METRICS, exposure: 'internal' },
      ],
    });
    expect(problemsOf(input)).toEqual([
      { path: 'components[0].ports', message: expect.stringContaining('nothing of this public component') as string },
    ]);
  });

  it('accepts every port internal on an internal component, where it changes nothing', () => {
    const topology = topologyOf(withPorts({ ...HTTP, exposure: 'internal' }));
    expect(at(at(topology.components, 0).ports, 0).exposure).toBe('internal');
  });

  it('refuses a component named after the Service that keeps another one’s in-cluster ports', () => {
    const input = withComponents(
      { name: 'web-internal', role: 'api', ports: [{ port: 80 }] },
      { name: 'web', role: 'frontend', exposure: 'public', ports: [HTTP, METRICS] },
    );
    expect(problemsOf(input)).toEqual([
      {
        path: 'components[0].name',
        message: expect.stringContaining('in-cluster ports of "web" (components[1])') as string,
      },
    ]);
  });

  it('accepts that name when the ports are all published', () => {
    const input = withComponents(
      { name: 'web-internal', role: 'api', ports: [{ port: 80 }] },
      { name: 'web', role: 'frontend', exposure: 'public', ports: [HTTP, { ...METRICS, exposure: 'inherit' }] },
    );
    expect(topologyOf(input).components).toHaveLength(2);
  });

  it('refuses a name too long to take the -internal suffix', () => {
    const name = `w${'e'.repeat(54)}`;
    const input = withComponents({ name, role: 'frontend', exposure: 'public', ports: [HTTP, METRICS] });
    expect(problemsOf(input)).toEqual([
      { path: 'components[0].name', message: expect.stringContaining('at most 54 characters') as string },
    ]);
    expect(
      topologyOf(withComponents({ name: name.slice(1), role: 'frontend', exposure: 'public', ports: [HTTP, METRICS] }))
        .components,
    ).toHaveLength(1);
  });
});
