import { formatMonthly, loadBalancerMonthly, roundCents, type LoadBalancerUse } from '../cost.js';
import { speaksTls } from '../http.js';
import {
  ingressBackendPort,
  ingressIsPublic,
  ingressServesTls,
  METALLB_ADDRESS_POOL_ANNOTATION,
  routedComponents,
  tlsSecretName,
} from '../manifest-conventions.js';
import { HOURS_PER_MONTH, type PricingTable } from '../pricing.js';
import type {
  Alternative,
  Component,
  GatewayRouting,
  IngressPlan,
  KubeObject,
  Recommendation,
  Topology,
  VerificationStep,
} from '../types.js';
import {
  awsGatewayInfrastructure,
  awsLoadBalancerConfigurationName,
  isAwsGatewayClass,
  renderAwsLoadBalancerConfiguration,
  renderAwsTargetGroupConfigurations,
} from './aws-gateway.js';
import { CONDITIONS_TRUE, CONDITION_TRUE } from '../verification-patterns.js';
import { chosenGatewayImplementation } from './gateway-class-choice.js';
import { l4RouteAlternative } from './l4-routes.js';
import {
  gatewayRouteKind,
  gatewayRouteRequest,
  gatewaySourcesNote,
  renderGatewaySourcePolicies,
  sourceFilterRefs,
} from './gateway-sources.js';
import { INGRESS_CONTROLLER_PORTS, ingressForwardingRules, ingressLoadBalancerLayer } from './classes.js';
import {
  HTTP_LISTENER,
  httpsListenerName,
  plannedGateway,
  renderGatewayApi,
  renderGatewayClass,
  renderReferenceGrants,
  routeKindsUsed,
  type BackendTlsPolicySpec,
  type GatewayApiPlan,
  type GatewayInfrastructure,
  type GatewaySpec,
  type ParentRef,
  type RouteSpec,
} from './gateway-api.js';
import {
  GATEWAY_CATALOG,
  dataPlanePeers,
  defaultGatewayImplementation,
  gatewayCharge,
  kindChannel,
  type GatewayImplementation,
  type NetworkPolicyPeer,
} from './gateway-classes.js';

/**
 * `environment.routing: gateway-api`: the components the recommender put behind the shared L7
 * entry point get a Gateway (or attach to the existing one `environment.gateway` names) and one
 * HTTPRoute each instead of the shared Ingress. Which components go through L7 stays the
 * recommender's decision, made once for both routing APIs; this file only says how they are routed.
 */
export type GatewayWiring = {
  /** What the plan reports as `plan.gateway`. */
  routing: GatewayRouting;
  implementation: GatewayImplementation;
  /** The Gateway API objects to apply, in apply order (GatewayClass first where the plan creates it). */
  objects: KubeObject[];
  /** Who the routed backends' NetworkPolicies admit; null where no Kubernetes NetworkPolicy can (Cilium). */
  peers: NetworkPolicyPeer[] | null;
  /** The Gateway's data plane as a load balancer the cost formula prices; null for a shared Gateway (already paid). */
  charge: Pick<LoadBalancerUse, 'layer' | 'ports' | 'forwardingRules'> | null;
  /** Sentences for the routed components' rationale. */
  notes: string[];
  /** Sentences for one routed component's rationale, by name: how its allowedSources hold on this Gateway's class. */
  componentNotes: ReadonlyMap<string, string[]>;
};

/** The routing API a topology uses: the one it names, else the platform's documented default. */
export function routingApi(topology: Topology): 'ingress' | 'gateway-api' {
  return topology.environment.routing ?? GATEWAY_CATALOG[topology.environment.platform].routing;
}

type Listener = { name: string; port: number };

/**
 * The parents of a route: on the plan's own Gateway, the listener by name. An existing Gateway's
 * listener names are its owner's, not the plan's to know. Attached to the whole Gateway, a TLS
 * host's route and its redirect route tie on hostname and path on every listener, and a tie goes
 * to the oldest route, then the first by "{namespace}/{name}" (HTTPRouteRule.matches,
 * https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/httproute_types.go): the
 * application would answer plain HTTP and the redirect never. Where the class takes a parentRef
 * `port` (Extended, HTTPRouteParentRefPort), each route attaches to the listeners of its port.
 */
function routeParents(
  gateway: { name: string; namespace: string },
  listener: Listener,
  shared: boolean,
  implementation: GatewayImplementation,
): ParentRef[] {
  if (!shared) {
    return [{ ...gateway, sectionName: listener.name }];
  }
  return [implementation.parentRefPort === undefined ? { ...gateway } : { ...gateway, port: listener.port }];
}

/**
 * Whether the plan can render a redirect to HTTPS for a TLS host: always on its own Gateway; on an
 * existing one only by port (routeParents). Otherwise the route attaches to every listener of the
 * owner's Gateway, and whether plain HTTP serves the application is the owner's listeners' to say
 * (EXP037).
 */
export function rendersHttpsRedirect(shared: boolean, implementation: GatewayImplementation): boolean {
  return !shared || implementation.parentRefPort !== undefined;
}

function routesFor(
  topology: Topology,
  component: Component,
  gateway: { name: string; namespace: string },
  shared: boolean,
  implementation: GatewayImplementation,
): RouteSpec[] {
  // allowedSources as a filter on the route, where the implementation takes one (gateway-sources.ts).
  const extensionRefs = sourceFilterRefs(implementation, component);
  const port = ingressBackendPort(component);
  const backend = { name: component.name, namespace: topology.namespace, port: port.port };
  const matches = [{ type: 'PathPrefix' as const, value: component.path ?? '/' }];
  const hostnames = component.host === undefined ? [] : [component.host];
  const base = { namespace: topology.namespace, component: component.name };
  const http = { name: HTTP_LISTENER, port: implementation.listenerPorts.http };
  const https = (host: string): Listener => ({
    name: httpsListenerName(host),
    port: implementation.listenerPorts.https,
  });
  if (gatewayRouteKind(component) === 'GRPCRoute') {
    // gRPC: one GRPCRoute for every method, on the host's HTTPS listener when it has one; no
    // redirect route, since a gRPC client follows none.
    const tlsHost = component.tls === true && component.host !== undefined;
    return [
      {
        ...base,
        kind: 'GRPCRoute',
        name: component.name,
        parents: routeParents(gateway, tlsHost ? https(component.host ?? '') : http, shared, implementation),
        hostnames,
        backends: [backend],
      },
    ];
  }
  if (component.tls === true && component.host !== undefined) {
    const app: RouteSpec = {
      ...base,
      kind: 'HTTPRoute',
      name: component.name,
      parents: routeParents(gateway, https(component.host), shared, implementation),
      hostnames,
      rules: [{ matches, backends: [backend], ...extensionRefs }],
    };
    if (!rendersHttpsRedirect(shared, implementation)) {
      // No redirect route: on every listener it would lose the tie to the application's route.
      return [app];
    }
    return [
      app,
      {
        ...base,
        kind: 'HTTPRoute',
        name: `${component.name}-redirect`,
        parents: routeParents(gateway, http, shared, implementation),
        hostnames,
        rules: [{ matches, redirectToHttps: true }],
      },
    ];
  }
  return [
    {
      ...base,
      kind: 'HTTPRoute',
      name: component.name,
      parents: routeParents(gateway, http, shared, implementation),
      hostnames,
      rules: [{ matches, backends: [backend], ...extensionRefs }],
    },
  ];
}

function backendTlsPolicy(topology: Topology, component: Component): BackendTlsPolicySpec | null {
  const port = ingressBackendPort(component);
  if (!speaksTls(port)) {
    return null;
  }
  return {
    namespace: topology.namespace,
    component: component.name,
    service: component.name,
    ...(port.name === undefined ? {} : { portName: port.name }),
    hostname: `${component.name}.${topology.namespace}.svc`,
    // Not wellKnownCACertificates: System: the name checked is the Service's cluster-internal one,
    // and public CAs issue no certificate for an internal name, so the system bundle can never
    // validate it. A CA the user provides, as a ConfigMap with key ca.crt (BackendTLSPolicyValidation,
    // https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/backendtlspolicy_types.go).
    ca: { configMaps: [backendCaConfigMap(component)] },
  };
}

/** The ConfigMap (key ca.crt) the user creates with the CA that signed an HTTPS backend's certificate. */
export function backendCaConfigMap(component: Pick<Component, 'name'>): string {
  return `${component.name}-backend-ca`;
}

/**
 * A shared Gateway in another namespace serves the plan's TLS hosts with certificates its owner
 * references in a listener; the `<component>-tls` Secrets live in the topology's namespace, and a
 * certificateRef across namespaces needs a ReferenceGrant there (GEP-709,
 * https://gateway-api.sigs.k8s.io/api-types/referencegrant/). The plan cannot write the owner's
 * listeners, but it can grant the reference, to Gateways of that namespace and those Secrets only.
 * None where the class takes no certificateRefs (AWS finds ACM certificates by host).
 */
function sharedGatewayCertificateGrants(
  topology: Topology,
  gatewayRef: { name: string; namespace: string },
  implementation: GatewayImplementation,
  routed: Component[],
): KubeObject[] {
  if (gatewayRef.namespace === topology.namespace || implementation.listenerCertificates !== 'certificateRefs') {
    return [];
  }
  const asListeners = routedGateway(gatewayRef, implementation, routed, { http: false });
  // plannedGateway points certificateRefs at the Gateway's own namespace; the Secrets are the topology's.
  const listeners = asListeners.listeners.map((listener) =>
    listener.protocol === 'HTTPS'
      ? {
          ...listener,
          certificateRefs: listener.certificateRefs.map((ref) => ({ ...ref, namespace: topology.namespace })),
        }
      : listener,
  );
  return renderReferenceGrants(topology, { ...asListeners, listeners }, []);
}

/** The Gateway at gatewayRef for the routed components: an HTTPS listener per TLS host, HTTP when asked. */
function routedGateway(
  gatewayRef: { name: string; namespace: string },
  implementation: GatewayImplementation,
  routed: Component[],
  { http }: { http: boolean },
): GatewaySpec {
  return plannedGateway({
    name: gatewayRef.name,
    namespace: gatewayRef.namespace,
    implementation,
    http,
    tlsComponents: routed.filter((component) => component.tls === true),
    passthrough: [],
    l4: [],
    allowedRoutes: { from: 'Same' },
  });
}

/** The monthly price of one Gateway of the class, by the same formula as every load balancer of the plan. */
export function gatewayMonthly(
  topology: Topology,
  implementation: GatewayImplementation,
  listenerPorts: number,
  pricing: PricingTable,
): number {
  const charge = gatewayCharge(implementation, listenerPorts, HOURS_PER_MONTH);
  if (charge.kind === 'metered') {
    return charge.monthly;
  }
  const { layer, ports, forwardingRules } = charge.use;
  return loadBalancerMonthly(topology.environment.platform, 'internet-facing', layer, pricing, ports, forwardingRules);
}

/**
 * What the plan's own Gateway carries in spec.infrastructure:
 *   - on the AWS classes, the LoadBalancerConfiguration that sets its scheme (aws-gateway.ts);
 *   - behind MetalLB with environment.addressPool, the pool annotation the plan writes on its own
 *     LoadBalancer Services (manifests.ts): GatewayInfrastructure.annotations are for the
 *     resources the implementation creates for the Gateway
 *     (https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/gateway_types.go), and an
 *     in-cluster data plane puts them on its LoadBalancer Service (Envoy Gateway:
 *     infrastructureAnnotations in internal/gatewayapi/translator.go). Not for a data plane shared
 *     by every Gateway (Traefik's own Service), whose Service the Gateway does not create.
 */
function gatewayInfrastructure(
  topology: Topology,
  implementation: GatewayImplementation,
  gatewayName: string,
): GatewayInfrastructure | undefined {
  if (isAwsGatewayClass(implementation)) {
    return awsGatewayInfrastructure(gatewayName);
  }
  const { loadBalancerProvider, addressPool } = topology.environment;
  if (
    loadBalancerProvider === 'metallb' &&
    addressPool !== undefined &&
    implementation.price.model === 'data-plane-service' &&
    implementation.dataPlane.runs !== 'controller-pods'
  ) {
    return { annotations: { [METALLB_ADDRESS_POOL_ANNOTATION]: addressPool } };
  }
  return undefined;
}

/** The wiring, or null when the topology routes through an Ingress or nothing goes through L7. */
export function planGateway(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
): GatewayWiring | null {
  if (routingApi(topology) !== 'gateway-api') {
    return null;
  }
  const routed = routedComponents(topology, recommendations, ingress);
  if (routed.length === 0) {
    return null;
  }
  const { platform } = topology.environment;
  const choice = chosenGatewayImplementation(topology, ingressIsPublic(routed));
  const { implementation } = choice;
  const existing = topology.environment.gateway;
  const shared = existing !== undefined;
  const gatewayRef = existing ?? { name: topology.name, namespace: topology.namespace };
  const planned = shared ? null : routedGateway(gatewayRef, implementation, routed, { http: true });
  const infrastructure = gatewayInfrastructure(topology, implementation, gatewayRef.name);
  const gateway = planned === null || infrastructure === undefined ? planned : { ...planned, infrastructure };
  const isPublic = ingressIsPublic(routed);
  // The AWS classes: the scheme on the plan's own Gateway, ip targets for the routed Services on any (aws-gateway.ts).
  const awsObjects = isAwsGatewayClass(implementation)
    ? [
        ...(gateway === null
          ? []
          : [renderAwsLoadBalancerConfiguration(topology, gateway.name, isPublic ? 'internet-facing' : 'internal')]),
        ...renderAwsTargetGroupConfigurations(topology, routed),
      ]
    : [];
  const policies = implementation.supports.includes('BackendTLSPolicy')
    ? routed.map((component) => backendTlsPolicy(topology, component)).filter((spec) => spec !== null)
    : [];
  const apiPlan: GatewayApiPlan = {
    gateway,
    routes: routed.flatMap((component) => routesFor(topology, component, gatewayRef, shared, implementation)),
    backendTlsPolicies: policies,
  };
  const bundle = implementation.gatewayApiBundle;
  const certificateGrants = shared ? sharedGatewayCertificateGrants(topology, gatewayRef, implementation, routed) : [];
  const objects = [
    ...(gateway !== null && implementation.gatewayClass === 'create' ? [renderGatewayClass(implementation)] : []),
    ...awsObjects,
    ...renderGatewayApi(topology, apiPlan, bundle),
    ...certificateGrants,
    ...renderGatewaySourcePolicies(topology, implementation, routed),
  ];
  const dataPlane = dataPlanePeers(implementation, gatewayRef, platform);
  const listenerPorts = gateway === null ? 0 : new Set(gateway.listeners.map((listener) => listener.port)).size;
  const charge = gateway === null ? null : gatewayCharge(implementation, listenerPorts, HOURS_PER_MONTH);
  const kinds = routeKindsUsed(apiPlan).map((kind) => ({ kind, ...kindChannel(kind, bundle) }));
  const routeWord = kinds.some((entry) => entry.kind === 'GRPCRoute')
    ? 'an HTTPRoute (a GRPCRoute for gRPC)'
    : 'an HTTPRoute';
  const notes = [
    shared
      ? `routed by ${routeWord} attached to the existing Gateway ${gatewayRef.namespace}/${gatewayRef.name} (environment.gateway), assumed to be of class ${implementation.className} for its NetworkPolicy peers; its listeners and certificates are its owner's, and it must admit routes from namespace ${topology.namespace}`
      : `routed by ${routeWord} on the Gateway ${gatewayRef.name} (class ${implementation.className}, ${implementation.product}, ${implementation.stage === 'ga' ? 'GA' : 'preview'}) instead of an Ingress: environment.routing is gateway-api${GATEWAY_CATALOG[platform].routing === 'gateway-api' ? ` (the ${platform} default: ${GATEWAY_CATALOG[platform].routingReason})` : ''}`,
    ...(choice.note === undefined ? [] : [`the Gateway takes the ${choice.note}`]),
    ...(awsObjects.length === 0
      ? []
      : [
          `${gateway === null ? '' : `the LoadBalancerConfiguration ${awsLoadBalancerConfigurationName(gateway.name)} (spec.infrastructure.parametersRef) makes the load balancer ${isPublic ? 'internet-facing' : 'internal'}, where the controller's default is internal; `}a TargetGroupConfiguration per routed Service (${routed.map((component) => component.name).join(', ')}) sets targetType ip, since the controller's default, instance, refuses a ClusterIP Service`,
        ]),
    ...(gateway?.infrastructure?.annotations === undefined
      ? []
      : [
          `the Gateway's spec.infrastructure.annotations carry ${Object.entries(gateway.infrastructure.annotations)
            .map(([key, value]) => `${key}: ${value}`)
            .join(', ')} to the LoadBalancer Service ${implementation.className} creates for it`,
        ]),
    ...(shared && routed.some((component) => component.tls === true && component.host !== undefined)
      ? [
          rendersHttpsRedirect(shared, implementation)
            ? `on the existing Gateway each route attaches by listener port (parentRef port, which ${implementation.className} supports): a TLS host's route to port ${implementation.listenerPorts.https}, its redirect to HTTPS to port ${implementation.listenerPorts.http}`
            : `tls: true is NOT held by the plan on the existing Gateway: ${implementation.className} takes no parentRef port and the owner's listener names are unknown, so a TLS host's route attaches to every listener and the plan renders no redirect to HTTPS (it would never win); the host answers plain HTTP wherever the owner's Gateway has an HTTP listener for it (EXP037)`,
        ]
      : []),
    ...(certificateGrants.length === 0
      ? []
      : [
          `the ReferenceGrant ${certificateGrants.map((grant) => grant.metadata.name).join(', ')} lets Gateways of namespace ${gatewayRef.namespace} read the TLS Secrets (${routed
            .filter((component) => component.tls === true && component.host !== undefined)
            .map(tlsSecretName)
            .join(
              ', ',
            )}) in ${topology.namespace}, for the HTTPS listeners the owner of ${gatewayRef.namespace}/${gatewayRef.name} adds for their hosts: without it a certificateRef across namespaces is refused (ResolvedRefs False, RefNotPermitted)`,
        ]),
    ...kinds.map(
      (entry) =>
        `${entry.kind} is written as ${entry.apiVersion}, ${entry.channel} channel, which ${implementation.className} serves`,
    ),
    ...(dataPlane.peers === null ? [`its NetworkPolicy cannot admit the gateway: ${dataPlane.remediation}`] : []),
    ...policies.map(
      (policy) =>
        `the BackendTLSPolicy for ${policy.service} checks its certificate for ${policy.hostname} against the CA in ConfigMap ${backendCaConfigMap({ name: policy.component })} (key ca.crt), which you create in namespace ${policy.namespace} before the route works (until then the policy reports ResolvedRefs False, InvalidCACertificateRef): public CAs issue no certificate for a cluster-internal name, so ${policy.service} needs one for ${policy.hostname} from your own CA (cert-manager can issue it)`,
    ),
    ...(policies.length === 0 && routed.some((component) => speaksTls(ingressBackendPort(component)))
      ? [
          `${implementation.className} has no BackendTLSPolicy, so it cannot be told to speak TLS to an HTTPS backend; serve plain HTTP on the routed port or pick a class that supports it (${GATEWAY_CATALOG[platform].alternatives.map((alternative) => alternative.className).join(', ')})`,
        ]
      : []),
  ];
  return {
    routing: {
      name: gatewayRef.name,
      namespace: gatewayRef.namespace,
      shared,
      className: implementation.className,
      ...(shared ? {} : { install: `${implementation.install} (${implementation.installSource})` }),
      components: routed.map((component) => component.name),
      routeKinds: kinds,
    },
    implementation,
    objects,
    peers: dataPlane.peers,
    charge: charge === null || charge.kind === 'metered' ? null : charge.use,
    notes,
    componentNotes: new Map(
      routed.map((component) => [component.name, gatewaySourcesNote(topology, implementation, component)]),
    ),
  };
}

/** The price of the Ingress road for the routed components, as the cost formula prices it. */
function ingressRoadMonthly(topology: Topology, className: string, routed: Component[], pricing: PricingTable): number {
  const { platform } = topology.environment;
  return loadBalancerMonthly(
    platform,
    'internet-facing',
    ingressLoadBalancerLayer(platform, className),
    pricing,
    INGRESS_CONTROLLER_PORTS,
    ingressForwardingRules(className, ingressServesTls(routed)),
  );
}

/**
 * The routing API not taken, as an alternative of every routed component, priced: the Ingress
 * for a gateway-api plan, the platform's Gateway for an ingress one.
 */
export function otherRoutingAlternative(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  pricing: PricingTable,
): Alternative | null {
  const routed = routedComponents(topology, recommendations, ingress);
  if (ingress === null || routed.length === 0) {
    return null;
  }
  if (routingApi(topology) === 'gateway-api') {
    const monthlyCost = ingressRoadMonthly(topology, ingress.className, routed, pricing);
    return {
      serviceType: 'ClusterIP',
      entryPoint: 'ingress',
      reason: `an Ingress of class ${ingress.className} instead of Gateway API (environment.routing "ingress"): the same components behind one ${ingress.className} load balancer; ${formatMonthly(monthlyCost)}`,
      monthlyCost,
    };
  }
  const implementation = defaultGatewayImplementation(topology.environment.platform, ingressIsPublic(routed));
  const listenerPorts = 1 + (routed.some((component) => component.tls === true) ? 1 : 0);
  const monthlyCost = gatewayMonthly(topology, implementation, listenerPorts, pricing);
  return {
    serviceType: 'ClusterIP',
    entryPoint: 'ingress',
    reason: `Gateway API instead of an Ingress (environment.routing "gateway-api"): a Gateway of class ${implementation.className} (${implementation.product}) with an HTTPRoute per component; ${formatMonthly(monthlyCost)}`,
    monthlyCost,
  };
}

/** What to check once the Gateway API objects are applied: the Gateway programmed, each route accepted and resolved. */
export function gatewayVerification(topology: Topology, wiring: GatewayWiring): VerificationStep[] {
  const { name, namespace } = wiring.routing;
  const steps: VerificationStep[] = [
    {
      component: topology.name,
      command: `kubectl get gateway ${name} -n ${namespace} -o jsonpath='{.status.conditions[?(@.type=="Programmed")].status}'`,
      expect: 'True: the implementation has set up the data plane; `kubectl get gateway` then shows its address',
      expectOutput: CONDITION_TRUE,
    },
  ];
  for (const object of wiring.objects) {
    if (object.kind !== 'HTTPRoute' && object.kind !== 'GRPCRoute') {
      continue;
    }
    const route = object.metadata.name;
    steps.push({
      component: object.metadata.labels?.['app.kubernetes.io/name'] ?? route,
      command: `kubectl get ${object.kind.toLowerCase()} ${route} -n ${topology.namespace} -o jsonpath='{.status.parents[*].conditions[?(@.type=="Accepted")].status} {.status.parents[*].conditions[?(@.type=="ResolvedRefs")].status}'`,
      expect: 'True True: the Gateway accepted the route and its backend Service and port exist',
      expectOutput: CONDITIONS_TRUE,
    });
    steps.push(...gatewayRouteRequest(topology, route, wiring.routing.shared));
  }
  return steps;
}

/**
 * The recommendations as the plan shows them: each routed component says how it is routed (the
 * Gateway's notes) and lists the routing API not taken among its alternatives, priced.
 */
export function withRoutingApi(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
  gateway: GatewayWiring | null,
  pricing: PricingTable,
): Recommendation[] {
  const other = otherRoutingAlternative(topology, recommendations, ingress, pricing);
  const routed = new Set(routedComponents(topology, recommendations, ingress).map((component) => component.name));
  const components = new Map(topology.components.map((component) => [component.name, component]));
  const viaGateway = routingApi(topology) === 'gateway-api';
  return recommendations.map((recommendation) => {
    if (other !== null && routed.has(recommendation.component)) {
      return {
        ...recommendation,
        rationale:
          gateway === null
            ? recommendation.rationale
            : [
                ...recommendation.rationale,
                ...(gateway.componentNotes.get(recommendation.component) ?? []),
                ...gateway.notes,
              ],
        alternatives: [...recommendation.alternatives, other],
      };
    }
    // Public TCP/UDP components of a Gateway API plan: the TCPRoute/UDPRoute road, listed and priced (l4-routes.ts).
    const component = components.get(recommendation.component);
    const l4 =
      viaGateway && component !== undefined
        ? l4RouteAlternative(
            topology,
            component,
            recommendation,
            (implementation, ports, table) => gatewayMonthly(topology, implementation, ports, table),
            pricing,
          )
        : null;
    return l4 === null
      ? recommendation
      : {
          ...recommendation,
          alternatives: [...recommendation.alternatives, { ...l4, monthlyCost: roundCents(l4.monthlyCost) }],
        };
  });
}
