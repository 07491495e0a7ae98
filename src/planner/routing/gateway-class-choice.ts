import type { Platform, Topology } from '../types.js';
import {
  GATEWAY_CATALOG,
  GATEWAY_FACTS_READ,
  defaultGatewayImplementation,
  gatewayImplementationByClass,
  type GatewayImplementation,
} from './gateway-classes.js';

/**
 * `environment.gatewayClassName`: the class of the plan's Gateway instead of the platform's
 * default. A class the catalog knows for the platform is used with everything the catalog knows
 * of it (route kinds, data plane, price); a class the catalog knows only for other platforms is a
 * validation problem (topology/meaning.ts); any other DNS name is the user's own class, used as
 * named with the least the planner can assume, and the plan says so.
 */

/** The classes the catalog knows for the platform, each once, in catalog order. */
export function knownGatewayClasses(platform: Platform): string[] {
  const entry = GATEWAY_CATALOG[platform];
  const all = [entry.default, entry.internal, entry.l4, ...entry.alternatives];
  return [...new Set(all.filter((implementation) => implementation !== undefined).map((i) => i.className))];
}

/** The platforms whose catalog has the class, when the given platform's does not; undefined otherwise. */
export function otherPlatformsClass(platform: Platform, className: string): Platform[] | undefined {
  if (knownGatewayClasses(platform).includes(className)) {
    return undefined;
  }
  const elsewhere = (Object.keys(GATEWAY_CATALOG) as Platform[]).filter((candidate) =>
    knownGatewayClasses(candidate).includes(className),
  );
  return elsewhere.length === 0 ? undefined : elsewhere;
}

const GATEWAY_CLASS_DOC = 'https://gateway-api.sigs.k8s.io/api-types/gatewayclass/';

/**
 * A class the catalog does not know: HTTPRoute only (the one kind every conformant implementation
 * serves), certificateRefs on HTTPS listeners (the spec's core), listeners on 80 and 443, and a data
 * plane whose addresses are unknown, so the NetworkPolicy admits any address on the routed port
 * rather than blocking a proxy it cannot name. Priced as the platform's default class.
 */
function userGatewayClass(platform: Platform, className: string, isPublic: boolean): GatewayImplementation {
  const base = defaultGatewayImplementation(platform, isPublic);
  const why = {
    text: `the GatewayClass "${className}" is not in the planner's catalog: its proxies' addresses are not known`,
    source: GATEWAY_CLASS_DOC,
    asOf: GATEWAY_FACTS_READ,
  };
  return {
    ...base,
    id: `user:${className}`,
    product: `your GatewayClass "${className}"`,
    className,
    controllerName: base.controllerName,
    gatewayClass: 'provided',
    stageSource: why,
    supports: ['HTTPRoute'],
    limits: [why],
    mixesLayers: true,
    listenerCertificates: 'certificateRefs',
    listenerPorts: { http: 80, https: 443 },
    dataPlane: { runs: 'outside-cluster', sourceRanges: 'unknown', why },
    install: `nothing the plan can name: the GatewayClass "${className}" must exist and be Accepted (kubectl get gatewayclass ${className})`,
    installSource: GATEWAY_CLASS_DOC,
  };
}

export type GatewayClassChoice = { implementation: GatewayImplementation; note?: string };

/** The implementation of the plan's Gateway: the one `environment.gatewayClassName` names, else the platform's default. */
export function chosenGatewayImplementation(topology: Topology, isPublic: boolean): GatewayClassChoice {
  const { platform, gatewayClassName } = topology.environment;
  if (gatewayClassName === undefined) {
    return { implementation: defaultGatewayImplementation(platform, isPublic) };
  }
  const known = gatewayImplementationByClass(platform, gatewayClassName);
  if (known !== undefined) {
    return {
      implementation: known,
      note: `class ${gatewayClassName} as environment.gatewayClassName asks (${known.product}), instead of the ${platform} default ${defaultGatewayImplementation(platform, isPublic).className}`,
    };
  }
  return {
    implementation: userGatewayClass(platform, gatewayClassName, isPublic),
    note: `class ${gatewayClassName} as environment.gatewayClassName asks; the planner's catalog does not know it, so the plan routes HTTPRoutes only (gRPC, TCP and UDP keep their own load balancers), its NetworkPolicies admit any address on the routed ports (the proxies' addresses are unknown), and its price is taken to be the ${platform} default class's`,
  };
}
