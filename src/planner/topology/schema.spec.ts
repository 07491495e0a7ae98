import { planOf, type Json } from '../testing/topology-inputs.js';
import { validateTopology } from './index.js';
import { MAX_COMPONENTS, topologyJsonSchema, type TopologyInput } from './schema.js';

describe(topologyJsonSchema.name, () => {
  it('describes the input: strict objects, defaults optional, the enums and limits', () => {
    const schema = topologyJsonSchema() as Json & { properties: Record<string, Json>; required: string[] };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'environment', 'components']);
    const components = schema.properties.components as {
      maxItems: number;
      minItems: number;
      items: Json & { properties: Record<string, Json>; required: string[] };
    };
    expect(components).toMatchObject({ minItems: 1, maxItems: MAX_COMPONENTS });
    expect(components.items.required).toEqual(['name', 'role']);
    expect(components.items.additionalProperties).toBe(false);
    expect(components.items.properties.workload).toMatchObject({
      default: 'Deployment',
      enum: ['Deployment', 'StatefulSet', 'DaemonSet'],
    });
    expect(JSON.stringify(schema)).toContain('"minimum":30000');
  });

  it('describes preserveClientIp as the plan renders it: Local, but client IP preservation on the AWS NLB', () => {
    const schema = topologyJsonSchema() as {
      properties: { components: { items: { properties: Record<string, Json> } } };
    };
    const description = String(
      (schema.properties.components.items.properties.preserveClientIp as { description?: string }).description,
    );
    const rendered = (platform: string) => {
      const planned = planOf({
        name: 'shop',
        environment: { platform },
        components: [
          { name: 'game', role: 'other', exposure: 'public', preserveClientIp: true, ports: [{ port: 7777 }] },
        ],
      });
      return JSON.stringify(planned.manifests.find((object) => object.metadata.name === 'game'));
    };
    expect(description).toContain('externalTrafficPolicy: Local');
    expect(rendered('gcp')).toContain('"externalTrafficPolicy":"Local"');
    expect(description).toContain('AWS NLB');
    expect(description).toContain('preserve_client_ip.enabled=true');
    expect(rendered('aws')).not.toContain('externalTrafficPolicy');
    expect(rendered('aws')).toContain('preserve_client_ip.enabled=true');
  });

  it('is computed once, and a caller editing its copy does not change the next one', () => {
    const first = topologyJsonSchema();
    first.title = 'edited';
    expect(topologyJsonSchema().title).toBeUndefined();
    expect(topologyJsonSchema()).toEqual(topologyJsonSchema());
  });

  it('types the input as a client writes it (defaults optional)', () => {
    const minimal: TopologyInput = {
      name: 'shop',
      environment: { platform: 'aws' },
      components: [{ name: 'web', role: 'api' }],
    };
    expect(validateTopology(minimal).ok).toBe(true);
  });
});
