import {
  DATA_STORE_ROLES,
  NODE_PORT_RANGE,
  getsHeadlessService,
  isDataStore,
  isLocalPlatform,
  nodePortStaticBand,
  isAtLeastAsSevere,
  severityOrder,
} from './rules.js';
import { PLATFORMS, ROLES, SEVERITIES } from './types.js';

describe(isDataStore.name, () => {
  it('holds for database, cache and queue, and no other role', () => {
    expect(ROLES.filter(isDataStore)).toEqual([...DATA_STORE_ROLES]);
    expect(DATA_STORE_ROLES).toEqual(['database', 'cache', 'queue']);
  });
});

describe(getsHeadlessService.name, () => {
  const port = { port: 5432 };
  it.each<[string, { workload: unknown; externalName?: unknown; ports: unknown[] }, boolean]>([
    ['a StatefulSet with ports', { workload: 'StatefulSet', ports: [port] }, true],
    ['a StatefulSet without ports (no Service at all)', { workload: 'StatefulSet', ports: [] }, false],
    [
      'an external StatefulSet (an ExternalName)',
      { workload: 'StatefulSet', externalName: 'db.example.com', ports: [port] },
      false,
    ],
    ['a Deployment', { workload: 'Deployment', ports: [port] }, false],
    ['a DaemonSet', { workload: 'DaemonSet', ports: [port] }, false],
    ['a workload that is not a string (raw input)', { workload: 42, ports: [port] }, false],
  ])('%s → %s', (_, component, expected) => {
    expect(getsHeadlessService(component)).toBe(expected);
  });
});

describe(isLocalPlatform.name, () => {
  it('holds for kind and minikube only', () => {
    expect(PLATFORMS.filter(isLocalPlatform)).toEqual(['kind', 'minikube']);
  });
});

describe(severityOrder.name, () => {
  it('puts the most severe first', () => {
    const shuffled = ['info', 'critical', 'low', 'high', 'medium'] as const;
    expect([...shuffled].sort((a, b) => severityOrder(a) - severityOrder(b))).toEqual([...SEVERITIES]);
    expect(severityOrder('critical')).toBe(0);
  });
});

describe(isAtLeastAsSevere.name, () => {
  it('holds for the threshold itself and everything worse, not for anything milder', () => {
    expect(SEVERITIES.filter((s) => isAtLeastAsSevere(s, 'medium'))).toEqual(['critical', 'high', 'medium']);
    expect(SEVERITIES.filter((s) => isAtLeastAsSevere(s, 'critical'))).toEqual(['critical']);
    expect(SEVERITIES.filter((s) => isAtLeastAsSevere(s, 'info'))).toEqual([...SEVERITIES]);
  });
});

describe('NODE_PORT_RANGE', () => {
  it('is the API server default, 30000-32767', () => {
    expect(NODE_PORT_RANGE).toEqual({ min: 30000, max: 32767 });
  });
});

describe(nodePortStaticBand.name, () => {
  it.each([
    [
      { min: 30000, max: 32767 },
      { min: 30000, max: 30085 },
    ],
    [
      { min: 30000, max: 30099 },
      { min: 30000, max: 30015 },
    ], // small ranges still reserve 16
    [
      { min: 20000, max: 32767 },
      { min: 20000, max: 20127 },
    ], // large ranges reserve at most 128
  ])('%o → %o', (range, band) => {
    expect(nodePortStaticBand(range)).toEqual(band);
  });

  it('defaults to the API server default range', () => {
    expect(nodePortStaticBand()).toEqual({ min: 30000, max: 30085 });
  });
});
