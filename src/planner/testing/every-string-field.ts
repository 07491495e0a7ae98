/**
 * A valid topology INPUT that sets every field of the input that holds text, and the places where
 * text sits in it, so a test can put hostile text in each one of them in turn (unit tests of the
 * validation, and the e2e fuzz of every transport).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where text sits: a string value, or the key of an object (a label key is the user's text too). */
export type TextPlace = { segments: (string | number)[]; kind: 'value' | 'key' };

export function topologyWithEveryStringField(name = 'edge'): { [key: string]: JsonValue } {
  return {
    name,
    namespace: 'edge-prod',
    environment: {
      platform: 'bare-metal',
      region: 'eu-west-1',
      ingressController: 'nginx',
      loadBalancerProvider: 'metallb',
      addressPool: 'public-pool',
      stage: 'production',
    },
    components: [
      {
        name: 'web',
        role: 'frontend',
        workload: 'Deployment',
        ports: [{ name: 'http', port: 80, targetPort: 'http-alt', protocol: 'TCP', appProtocol: 'http' }],
        exposure: 'public',
        allowedSources: ['203.0.113.0/24'],
        dependsOn: ['mail'],
        host: 'edge.example.com',
        path: '/shop',
        tls: true,
        labels: { 'app.kubernetes.io/name': 'web' },
      },
      { name: 'mail', role: 'other', externalName: 'smtp.example.com' },
    ],
    pricing: {
      source: 'our negotiated prices',
      asOf: '2026-01-31',
      providers: {
        'bare-metal': {
          product: 'MetalLB address',
          loadBalancerModel: 'per-load-balancer',
          capacityUnitName: 'LCU',
          publicIpsAssumption: 'one per Service',
          l7Product: 'nginx',
          l7CapacityUnitName: 'LCU',
          source: 'the hosting contract',
          asOf: '2026-01-31',
        },
      },
    },
  };
}

/** Every string value and every object key of `value`, with its path. */
export function textPlaces(value: JsonValue, segments: (string | number)[] = []): TextPlace[] {
  if (typeof value === 'string') {
    return [{ segments, kind: 'value' }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => textPlaces(item, [...segments, index]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => [
      { segments: [...segments, key], kind: 'key' as const },
      ...textPlaces(child, [...segments, key]),
    ]);
  }
  return [];
}

/** A copy of `value` with the text at `place` changed by `change` (for a key: the key renamed, in place). */
export function changeTextAt(value: JsonValue, place: TextPlace, change: (text: string) => string): JsonValue {
  const [head, ...rest] = place.segments;
  if (head === undefined) {
    return typeof value === 'string' ? change(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      index === head ? changeTextAt(item, { ...place, segments: rest }, change) : item,
    );
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (key !== head) {
        return [key, child];
      }
      if (rest.length === 0 && place.kind === 'key') {
        return [change(key), child];
      }
      return [key, changeTextAt(child, { ...place, segments: rest }, change)];
    }),
  );
}
