import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import { GATEWAY_GROUP } from '../routing/gateway-api.js';
import { validateGatewayApiObject } from '../routing/testing/gateway-api-validation.js';
import { Service } from 'kubernetes-models/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIanaServiceName,
  isLabelValue,
  isQualifiedName,
} from '../names.js';
import { NODE_PORT_RANGE } from '../rules.js';
import { ingressPathProblems } from '../routing/ingress-path.js';
import { cidrProblem } from '../topology/index.js';
import type { KubeObject } from '../types.js';
import { schemaErrorsOf, type SchemaCheckedModel } from './schema-errors.js';

/**
 * Would the API server accept this object? Two layers, because neither is enough alone:
 *   1. the OpenAPI JSON schema, through kubernetes-models (types, enums, required fields);
 *   2. the rules the API server's Go validation adds on top and the schema cannot express
 *      (kubernetes-models checks only the JSON schema and lets through name formats, port and
 *      nodePort ranges, CIDRs, cross-field rules such as "nodePort only on NodePort/LoadBalancer").
 * A few checks are stricter than the API server where the server would accept something that can
 * only be a mistake in a generated plan; each says so where it is made.
 * Messages read `<path>: <what is wrong>`, paths in the JSON-path style of the planner's problems.
 */

export type ManifestProblem = { index: number; kind: string; name: string; errors: string[] };

// ---------------------------------------------------------------------------------------------
// Name and value formats: the same rules validation applies to the input (names.ts, topology/schema.ts),
// so a name the planner accepts and a name the manifests are checked against cannot drift apart.
// ---------------------------------------------------------------------------------------------

export { isDns1035Label, isDns1123Label, isDns1123Subdomain, isIanaServiceName, isLabelValue, isQualifiedName };

function isWildcardDns1123Subdomain(value: string): boolean {
  return value.startsWith('*.') && isDns1123Subdomain(value.slice(2));
}

/** Dotted-decimal IPv4 or IPv6 with a prefix length: what validation accepts in allowedSources. */
export function isCidr(value: string): boolean {
  return cidrProblem(value) === undefined;
}

/** A value as the message shows it: strings as they are, anything else as JSON. */
function show(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? 'undefined' : JSON.stringify(value);
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

// ---------------------------------------------------------------------------------------------
// Small readers over untyped JSON: the validator must not trust the shape it is checking.
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown): Json {
  return isObject(value) ? value : {};
}

function arrayAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringMap(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

// ---------------------------------------------------------------------------------------------
// Layer 1: the JSON schema through kubernetes-models
// ---------------------------------------------------------------------------------------------

type ModelFactory = (data: KubeObject) => SchemaCheckedModel;

/** A namespaced custom resource as the planner renders it: its apiVersion and kind, and exactly this spec. */
function customResourceSchema(apiVersion: string, kind: string, spec: z.ZodRawShape) {
  return z.object({
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata: z.object({ name: z.string().min(1), namespace: z.string().min(1) }).loose(),
    spec: z.object(spec).strict(),
  });
}

const CIDR_LIST = z.array(z.string().refine((value) => isCidr(value), 'not a CIDR')).min(1);

// A KubeObject is structurally accepted by the model constructors; the object is checked at run
// time anyway, which is the point.
/**
 * GKE's BackendConfig is a CRD with no kubernetes-models type: this small schema checks the shape
 * the planner renders (apiVersion cloud.google.com/v1, a name, spec.timeoutSec a positive integer),
 * after ingress-gce's pkg/apis/backendconfig/v1/types.go; unknown spec fields are refused.
 */
const BACKEND_CONFIG_SCHEMA = customResourceSchema('cloud.google.com/v1', 'BackendConfig', {
  timeoutSec: z.number().int().positive(),
});

/**
 * GKE's FrontendConfig (no kubernetes-models type): the shape the planner renders, an HTTP to HTTPS
 * redirect (https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#https_redirect:
 * networking.gke.io/v1beta1, spec.redirectToHttps.enabled, optional responseCodeName); unknown spec
 * fields are refused.
 */
const FRONTEND_CONFIG_SCHEMA = customResourceSchema('networking.gke.io/v1beta1', 'FrontendConfig', {
  redirectToHttps: z
    .object({
      enabled: z.boolean(),
      responseCodeName: z
        .enum(['MOVED_PERMANENTLY_DEFAULT', 'FOUND', 'SEE_OTHER', 'TEMPORARY_REDIRECT', 'PERMANENT_REDIRECT'])
        .optional(),
    })
    .strict(),
});

/**
 * Traefik's Middleware is a CRD with no kubernetes-models type either: the IPAllowList shape the
 * planner renders, after https://doc.traefik.io/traefik/middlewares/http/ipallowlist/ (traefik.io/v1alpha1,
 * spec.ipAllowList.sourceRange a non-empty list of CIDRs); unknown spec fields are refused.
 */
const TRAEFIK_MIDDLEWARE_SCHEMA = customResourceSchema('traefik.io/v1alpha1', 'Middleware', {
  ipAllowList: z.object({ sourceRange: CIDR_LIST }).strict(),
});

/**
 * Envoy Gateway's SecurityPolicy, as the planner renders it for allowedSources, after
 * https://gateway.envoyproxy.io/docs/tasks/security/restrict-ip-access/ and the API reference
 * (https://gateway.envoyproxy.io/docs/api/extension_types/#securitypolicy): targetRefs to routes
 * of the Gateway API group, authorization with defaultAction and Allow/Deny rules on clientCIDRs.
 */
const ENVOY_SECURITY_POLICY_SCHEMA = customResourceSchema('gateway.envoyproxy.io/v1alpha1', 'SecurityPolicy', {
  targetRefs: z
    .array(
      z
        .object({
          group: z.literal('gateway.networking.k8s.io'),
          kind: z.enum(['Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute']),
          name: z.string().min(1).max(253),
        })
        .strict(),
    )
    .min(1),
  authorization: z
    .object({
      defaultAction: z.enum(['Allow', 'Deny']),
      rules: z
        .array(
          z
            .object({
              action: z.enum(['Allow', 'Deny']),
              principal: z.object({ clientCIDRs: CIDR_LIST }).strict(),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
});

/**
 * The AWS Load Balancer Controller's Gateway CRDs (no kubernetes-models type), as the planner
 * renders them, after config/crd/gateway/gateway.k8s.aws_loadbalancerconfigurations.yaml and
 * gateway.k8s.aws_targetgroupconfigurations.yaml (kubernetes-sigs/aws-load-balancer-controller,
 * v2.14.0 to v3.5.0, version v1beta1): scheme internal or internet-facing; targetReference.name
 * required, targetType instance or ip. Unknown spec fields are refused.
 */
const AWS_LOAD_BALANCER_CONFIGURATION_SCHEMA = customResourceSchema(
  'gateway.k8s.aws/v1beta1',
  'LoadBalancerConfiguration',
  {
    scheme: z.enum(['internal', 'internet-facing']),
  },
);
const AWS_TARGET_GROUP_CONFIGURATION_SCHEMA = customResourceSchema(
  'gateway.k8s.aws/v1beta1',
  'TargetGroupConfiguration',
  {
    targetReference: z.object({ name: z.string().min(1) }).strict(),
    defaultConfiguration: z.object({ targetType: z.enum(['instance', 'ip']) }).strict(),
  },
);

function zodModel(schema: z.ZodType): ModelFactory {
  return (data) => ({
    validate: () => {
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      }
    },
  });
}

const MODELS: Record<string, ModelFactory> = {
  'cloud.google.com/v1/BackendConfig': zodModel(BACKEND_CONFIG_SCHEMA),
  'networking.gke.io/v1beta1/FrontendConfig': zodModel(FRONTEND_CONFIG_SCHEMA),
  'traefik.io/v1alpha1/Middleware': zodModel(TRAEFIK_MIDDLEWARE_SCHEMA),
  'gateway.envoyproxy.io/v1alpha1/SecurityPolicy': zodModel(ENVOY_SECURITY_POLICY_SCHEMA),
  'gateway.k8s.aws/v1beta1/LoadBalancerConfiguration': zodModel(AWS_LOAD_BALANCER_CONFIGURATION_SCHEMA),
  'gateway.k8s.aws/v1beta1/TargetGroupConfiguration': zodModel(AWS_TARGET_GROUP_CONFIGURATION_SCHEMA),
  'v1/Service': (data) => new Service(data),
  'networking.k8s.io/v1/Ingress': (data) => new Ingress(data),
  'networking.k8s.io/v1/NetworkPolicy': (data) => new NetworkPolicy(data),
};

function schemaErrors(obj: KubeObject): string[] {
  const factory = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (factory === undefined) {
    return [
      `${obj.apiVersion}/${obj.kind}: not a kind the planner renders (v1 Service, networking.k8s.io/v1 Ingress or NetworkPolicy)`,
    ];
  }
  return schemaErrorsOf(factory(obj));
}

// ---------------------------------------------------------------------------------------------
// Layer 2: API-server rules
// ---------------------------------------------------------------------------------------------

const ANNOTATIONS_MAX_BYTES = 256 * 1024;
const UTF8 = new TextEncoder();

function checkMetadata(obj: KubeObject, nameRule: 'dns1035-label' | 'dns1123-subdomain', errors: string[]): void {
  const metadata = objectAt(obj.metadata);
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    errors.push('metadata.name: required');
  } else if (nameRule === 'dns1035-label' && !isDns1035Label(name)) {
    errors.push(
      `metadata.name: "${name}" must be a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)`,
    );
  } else if (nameRule === 'dns1123-subdomain' && !isDns1123Subdomain(name)) {
    errors.push(`metadata.name: "${name}" must be a DNS-1123 subdomain`);
  }
  if (
    metadata.namespace !== undefined &&
    (typeof metadata.namespace !== 'string' || !isDns1123Label(metadata.namespace))
  ) {
    errors.push(`metadata.namespace: "${show(metadata.namespace)}" must be a DNS-1123 label`);
  }
  checkLabels(metadata.labels, 'metadata.labels', errors);
  const annotations = stringMap(metadata.annotations);
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // The API server checks annotation keys in lowercase.
    if (!isQualifiedName(key.toLowerCase())) {
      errors.push(`metadata.annotations: key "${key}" is not a qualified name ([prefix/]name)`);
    }
    if (typeof value !== 'string') {
      errors.push(`metadata.annotations.${key}: values must be strings`);
    } else {
      annotationBytes += UTF8.encode(key).length + UTF8.encode(value).length;
    }
  }
  if (annotationBytes > ANNOTATIONS_MAX_BYTES) {
    errors.push(`metadata.annotations: ${annotationBytes} bytes, more than the 256 KiB the API server allows`);
  }
}

function checkLabels(value: unknown, path: string, errors: string[]): void {
  if (value === undefined) {
    return;
  }
  if (!isObject(value)) {
    errors.push(`${path}: must be a map of strings`);
    return;
  }
  for (const [key, labelValue] of Object.entries(value)) {
    if (!isQualifiedName(key)) {
      errors.push(`${path}: key "${key}" is not a qualified name ([prefix/]name, name at most 63 characters)`);
    }
    if (typeof labelValue !== 'string' || !isLabelValue(labelValue)) {
      errors.push(
        `${path}.${key}: "${show(labelValue)}" is not a valid label value (at most 63 characters, alphanumeric at both ends)`,
      );
    }
  }
}

function checkLabelSelector(value: unknown, path: string, errors: string[]): void {
  const selector = objectAt(value);
  checkLabels(selector.matchLabels, `${path}.matchLabels`, errors);
  arrayAt(selector.matchExpressions).forEach((entry, index) => {
    const expression = objectAt(entry);
    const at = `${path}.matchExpressions[${index}]`;
    if (typeof expression.key !== 'string' || !isQualifiedName(expression.key)) {
      errors.push(`${at}.key: "${show(expression.key)}" is not a qualified name`);
    }
    const values = arrayAt(expression.values);
    const operator = expression.operator;
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      errors.push(`${at}.values: required for operator ${operator}`);
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      errors.push(`${at}.values: must be empty for operator ${operator}`);
    } else if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(show(operator))) {
      errors.push(`${at}.operator: "${show(operator)}" is not one of In, NotIn, Exists, DoesNotExist`);
    }
    values.forEach((v, valueIndex) => {
      if (typeof v !== 'string' || !isLabelValue(v)) {
        errors.push(`${at}.values[${valueIndex}]: "${show(v)}" is not a valid label value`);
      }
    });
  });
}

function checkTargetPort(value: unknown, path: string, errors: string[]): void {
  if (typeof value === 'number') {
    if (!isPortNumber(value)) {
      errors.push(`${path}: ${show(value)} must be between 1 and 65535`);
    }
  } else if (typeof value === 'string') {
    if (!isIanaServiceName(value)) {
      errors.push(
        `${path}: "${value}" is not a valid port name (IANA service name: at most 15 lowercase letters, digits and "-", with a letter)`,
      );
    }
  }
}

const EXTERNALLY_REACHABLE_TYPES = new Set(['NodePort', 'LoadBalancer']);

function checkService(obj: KubeObject, errors: string[]): void {
  checkMetadata(obj, 'dns1035-label', errors);
  const spec = objectAt(obj.spec);
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports = arrayAt(spec.ports);

  if (ports.length === 0 && type !== 'ExternalName' && !headless) {
    errors.push('spec.ports: required unless the Service is ExternalName or headless');
  }
  if (headless && type !== 'ClusterIP') {
    errors.push(`spec.clusterIP: "None" (headless) is only allowed when type is ClusterIP, not ${type}`);
  }

  if (type === 'ExternalName') {
    const externalName = spec.externalName;
    if (typeof externalName !== 'string' || externalName === '') {
      errors.push('spec.externalName: required when type is ExternalName');
    } else {
      const host = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
      // Stricter than the API server: an IP address passes its subdomain check, but clients get
      // a CNAME to an IP, which resolvers do not follow. Use a selector-less Service instead.
      if (!isDns1123Subdomain(host) || ipaddr.isValid(host)) {
        errors.push(`spec.externalName: "${externalName}" must be a lowercase DNS name (not an IP address)`);
      }
    }
    if (spec.clusterIP !== undefined || spec.clusterIPs !== undefined) {
      errors.push('spec.clusterIP: must not be set when type is ExternalName');
    }
    // Stricter than the API server, which accepts and ignores it: a selector on an ExternalName
    // Service suggests the author expected pods to answer.
    if (spec.selector !== undefined) {
      errors.push('spec.selector: must not be set when type is ExternalName (it is ignored)');
    }
  } else {
    if (spec.externalName !== undefined) {
      errors.push(`spec.externalName: only meaningful when type is ExternalName, not ${type}`);
    }
    checkLabels(spec.selector, 'spec.selector', errors);
    // Stricter than the API server: an empty selector selects every pod in the namespace.
    if (isObject(spec.selector) && Object.keys(spec.selector).length === 0) {
      errors.push('spec.selector: must not be empty (it would select every pod in the namespace)');
    }
  }

  if (!EXTERNALLY_REACHABLE_TYPES.has(type) && spec.externalTrafficPolicy !== undefined) {
    errors.push(`spec.externalTrafficPolicy: only allowed when type is NodePort or LoadBalancer, not ${type}`);
  }
  if (type !== 'LoadBalancer') {
    for (const field of ['loadBalancerSourceRanges', 'loadBalancerClass', 'allocateLoadBalancerNodePorts']) {
      if (spec[field] !== undefined) {
        errors.push(`spec.${field}: only allowed when type is LoadBalancer, not ${type}`);
      }
    }
  }
  arrayAt(spec.loadBalancerSourceRanges).forEach((range, index) => {
    if (typeof range !== 'string' || !isCidr(range.trim())) {
      errors.push(`spec.loadBalancerSourceRanges[${index}]: "${show(range)}" is not a CIDR (e.g. 203.0.113.0/24)`);
    }
  });

  const names = new Map<string, number>();
  const portProtocols = new Set<string>();
  const nodePortProtocols = new Set<string>();
  ports.forEach((entry, index) => {
    const port = objectAt(entry);
    const at = `spec.ports[${index}]`;
    const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
    if (typeof port.name === 'string' && port.name !== '') {
      if (!isDns1123Label(port.name)) {
        errors.push(`${at}.name: "${port.name}" must be a DNS-1123 label`);
      }
      const first = names.get(port.name);
      if (first !== undefined) {
        errors.push(`${at}.name: "${port.name}" is already used by spec.ports[${first}]`);
      } else {
        names.set(port.name, index);
      }
    } else if (ports.length > 1) {
      errors.push(`${at}.name: required when a Service has more than one port`);
    }
    if (port.port !== undefined && !isPortNumber(port.port)) {
      errors.push(`${at}.port: ${show(port.port)} must be between 1 and 65535`);
    } else if (port.port !== undefined) {
      const key = `${port.port}/${protocol}`;
      if (portProtocols.has(key)) {
        errors.push(`${at}: port ${key} is listed twice`);
      }
      portProtocols.add(key);
    }
    if (port.targetPort !== undefined) {
      checkTargetPort(port.targetPort, `${at}.targetPort`, errors);
    }
    if (
      port.appProtocol !== undefined &&
      (typeof port.appProtocol !== 'string' || !isQualifiedName(port.appProtocol))
    ) {
      errors.push(
        `${at}.appProtocol: "${show(port.appProtocol)}" must be an IANA service name or a prefixed name such as kubernetes.io/h2c`,
      );
    }
    if (port.nodePort !== undefined) {
      if (!EXTERNALLY_REACHABLE_TYPES.has(type)) {
        errors.push(`${at}.nodePort: only allowed when type is NodePort or LoadBalancer, not ${type}`);
      } else if (
        typeof port.nodePort !== 'number' ||
        !Number.isInteger(port.nodePort) ||
        port.nodePort < NODE_PORT_RANGE.min ||
        port.nodePort > NODE_PORT_RANGE.max
      ) {
        errors.push(
          `${at}.nodePort: ${show(port.nodePort)} is outside the node port range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
        );
      } else {
        const key = `${port.nodePort}/${protocol}`;
        if (nodePortProtocols.has(key)) {
          errors.push(`${at}.nodePort: ${key} is used twice in this Service`);
        }
        nodePortProtocols.add(key);
      }
    }
  });
}

function checkIngressBackend(value: unknown, path: string, errors: string[]): void {
  const backend = objectAt(value);
  if (backend.service !== undefined && backend.resource !== undefined) {
    errors.push(`${path}: only one of service or resource may be set`);
  }
  if (backend.service === undefined && backend.resource === undefined) {
    errors.push(`${path}: one of service or resource is required`);
    return;
  }
  if (backend.service === undefined) {
    return;
  }
  const service = objectAt(backend.service);
  if (typeof service.name !== 'string' || !isDns1035Label(service.name)) {
    errors.push(`${path}.service.name: "${show(service.name)}" must be a Service name (DNS-1035 label)`);
  }
  const port = objectAt(service.port);
  const hasName = port.name !== undefined && port.name !== '';
  const hasNumber = port.number !== undefined && port.number !== 0;
  if (hasName === hasNumber) {
    errors.push(`${path}.service.port: exactly one of name or number is required`);
  } else if (hasName && (typeof port.name !== 'string' || !isIanaServiceName(port.name))) {
    errors.push(`${path}.service.port.name: "${show(port.name)}" is not a valid port name`);
  } else if (hasNumber && !isPortNumber(port.number)) {
    errors.push(`${path}.service.port.number: ${show(port.number)} must be between 1 and 65535`);
  }
}

function checkIngress(obj: KubeObject, errors: string[]): void {
  checkMetadata(obj, 'dns1123-subdomain', errors);
  const spec = objectAt(obj.spec);
  const rules = arrayAt(spec.rules);
  if (rules.length === 0 && spec.defaultBackend === undefined) {
    errors.push('spec: either defaultBackend or rules must be specified');
  }
  if (
    spec.ingressClassName !== undefined &&
    (typeof spec.ingressClassName !== 'string' || !isDns1123Subdomain(spec.ingressClassName))
  ) {
    errors.push(`spec.ingressClassName: "${show(spec.ingressClassName)}" must be a DNS-1123 subdomain`);
  }
  const classAnnotation = stringMap(objectAt(obj.metadata).annotations)['kubernetes.io/ingress.class'];
  if (classAnnotation !== undefined && spec.ingressClassName !== undefined) {
    errors.push(
      'metadata.annotations.kubernetes.io/ingress.class: can not be set when spec.ingressClassName is also set',
    );
  }
  if (spec.defaultBackend !== undefined) {
    checkIngressBackend(spec.defaultBackend, 'spec.defaultBackend', errors);
  }
  // Stricter than the API server: the same host and path twice is accepted, but controllers
  // resolve the clash differently (or not at all), so a plan must not contain it.
  const routes = new Map<string, string>();
  rules.forEach((entry, ruleIndex) => {
    const rule = objectAt(entry);
    const at = `spec.rules[${ruleIndex}]`;
    const host = rule.host;
    if (host !== undefined) {
      if (
        typeof host !== 'string' ||
        !(isDns1123Subdomain(host) || isWildcardDns1123Subdomain(host)) ||
        ipaddr.isValid(host)
      ) {
        errors.push(
          `${at}.host: "${show(host)}" must be a DNS name (a leading "*." wildcard is allowed), not an IP address`,
        );
      }
    }
    if (rule.http === undefined) {
      return;
    }
    const paths = arrayAt(objectAt(rule.http).paths);
    if (paths.length === 0) {
      errors.push(`${at}.http.paths: at least one path is required`);
    }
    paths.forEach((pathEntry, pathIndex) => {
      const httpPath = objectAt(pathEntry);
      const pathAt = `${at}.http.paths[${pathIndex}]`;
      const path = httpPath.path;
      const pathType = httpPath.pathType;
      if (pathType === 'Prefix' || pathType === 'Exact') {
        if (typeof path !== 'string' || !path.startsWith('/')) {
          errors.push(
            `${pathAt}.path: "${show(path)}" must be an absolute path (start with "/") for pathType ${pathType}`,
          );
        } else {
          for (const problem of ingressPathProblems(path)) {
            errors.push(`${pathAt}.path: "${path}" ${problem}`);
          }
        }
      } else if (
        pathType === 'ImplementationSpecific' &&
        typeof path === 'string' &&
        path !== '' &&
        !path.startsWith('/')
      ) {
        errors.push(`${pathAt}.path: "${path}" must be an absolute path (start with "/") when given`);
      }
      const route = `${typeof host === 'string' ? host : '*'} ${show(pathType)} ${show(path)}`;
      const first = routes.get(route);
      if (first !== undefined) {
        errors.push(`${pathAt}: the same host, path and pathType are already routed by ${first}`);
      } else {
        routes.set(route, pathAt);
      }
      checkIngressBackend(httpPath.backend, `${pathAt}.backend`, errors);
    });
  });
  arrayAt(spec.tls).forEach((entry, tlsIndex) => {
    const tls = objectAt(entry);
    arrayAt(tls.hosts).forEach((host, hostIndex) => {
      if (typeof host !== 'string' || !(isDns1123Subdomain(host) || isWildcardDns1123Subdomain(host))) {
        errors.push(`spec.tls[${tlsIndex}].hosts[${hostIndex}]: "${show(host)}" must be a DNS name`);
      }
    });
    if (tls.secretName !== undefined && (typeof tls.secretName !== 'string' || !isDns1123Subdomain(tls.secretName))) {
      errors.push(
        `spec.tls[${tlsIndex}].secretName: "${show(tls.secretName)}" must be a Secret name (DNS-1123 subdomain)`,
      );
    }
  });
}

const POLICY_TYPES = new Set(['Ingress', 'Egress']);

function checkPolicyPeer(value: unknown, path: string, errors: string[]): void {
  const peer = objectAt(value);
  const hasSelector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock !== undefined && hasSelector) {
    errors.push(`${path}: ipBlock may not be combined with podSelector or namespaceSelector`);
  }
  if (peer.ipBlock === undefined && !hasSelector) {
    errors.push(`${path}: one of podSelector, namespaceSelector or ipBlock is required`);
  }
  if (peer.podSelector !== undefined) {
    checkLabelSelector(peer.podSelector, `${path}.podSelector`, errors);
  }
  if (peer.namespaceSelector !== undefined) {
    checkLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`, errors);
  }
  if (peer.ipBlock !== undefined) {
    const block = objectAt(peer.ipBlock);
    const cidr = block.cidr;
    if (typeof cidr !== 'string' || !isCidr(cidr)) {
      errors.push(`${path}.ipBlock.cidr: "${show(cidr)}" is not a CIDR`);
      return;
    }
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    arrayAt(block.except).forEach((except, index) => {
      const at = `${path}.ipBlock.except[${index}]`;
      if (typeof except !== 'string' || !isCidr(except)) {
        errors.push(`${at}: "${show(except)}" is not a CIDR`);
        return;
      }
      const [address, exceptPrefix] = ipaddr.parseCIDR(except);
      if (address.kind() !== network.kind() || exceptPrefix <= prefix || !address.match(network, prefix)) {
        errors.push(`${at}: "${except}" must be strictly inside ${cidr}`);
      }
    });
  }
}

function checkNetworkPolicy(obj: KubeObject, errors: string[]): void {
  checkMetadata(obj, 'dns1123-subdomain', errors);
  const spec = objectAt(obj.spec);
  checkLabelSelector(spec.podSelector, 'spec.podSelector', errors);
  const policyTypes = arrayAt(spec.policyTypes);
  if (policyTypes.length > 2) {
    errors.push('spec.policyTypes: at most two entries (Ingress, Egress)');
  }
  const seen = new Set<unknown>();
  policyTypes.forEach((policyType, index) => {
    if (!POLICY_TYPES.has(show(policyType))) {
      errors.push(`spec.policyTypes[${index}]: "${show(policyType)}" is not Ingress or Egress`);
    } else if (seen.has(policyType)) {
      errors.push(`spec.policyTypes[${index}]: "${show(policyType)}" is listed twice`);
    }
    seen.add(policyType);
  });
  // Stricter than the API server: rules for a direction the policy does not govern are ignored
  // by every network plugin, which is never what a generated plan means.
  if (policyTypes.length > 0 && spec.ingress !== undefined && !policyTypes.includes('Ingress')) {
    errors.push('spec.ingress: rules are ignored because policyTypes does not include Ingress');
  }
  for (const direction of ['ingress', 'egress'] as const) {
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    arrayAt(spec[direction]).forEach((entry, ruleIndex) => {
      const rule = objectAt(entry);
      const at = `spec.${direction}[${ruleIndex}]`;
      arrayAt(rule.ports).forEach((portEntry, portIndex) => {
        const port = objectAt(portEntry);
        const portAt = `${at}.ports[${portIndex}]`;
        if (port.port !== undefined) {
          checkTargetPort(port.port, `${portAt}.port`, errors);
        }
        if (port.endPort !== undefined) {
          if (typeof port.port !== 'number') {
            errors.push(`${portAt}.endPort: only allowed with a numeric port`);
          } else if (!isPortNumber(port.endPort) || port.endPort < port.port) {
            errors.push(`${portAt}.endPort: ${show(port.endPort)} must be between port (${port.port}) and 65535`);
          }
        }
      });
      arrayAt(rule[peersKey]).forEach((peer, peerIndex) =>
        checkPolicyPeer(peer, `${at}.${peersKey}[${peerIndex}]`, errors),
      );
    });
  }
}

const API_RULES: Record<string, (obj: KubeObject, errors: string[]) => void> = {
  'v1/Service': checkService,
  'networking.k8s.io/v1/Ingress': checkIngress,
  'networking.k8s.io/v1/NetworkPolicy': checkNetworkPolicy,
};

/** Every reason the API server (or a careful reviewer) would refuse this object; empty when valid. */
export function validateManifest(obj: KubeObject): string[] {
  if (!isObject(obj)) {
    return ['(object): a manifest must be an object'];
  }
  // Gateway API objects (environment.routing gateway-api) have their own CRD schemas and CEL rules.
  if (typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) {
    return validateGatewayApiObject(obj);
  }
  const errors = schemaErrors(obj);
  const rules = API_RULES[`${show(obj.apiVersion)}/${show(obj.kind)}`];
  if (rules !== undefined) {
    rules(obj, errors);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Cross-object rules
// ---------------------------------------------------------------------------------------------

function nameOf(obj: KubeObject): string {
  const name = objectAt(obj.metadata).name;
  return typeof name === 'string' ? name : '';
}

function namespaceOf(obj: KubeObject): string {
  const namespace = objectAt(obj.metadata).namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
}

type ServicePorts = { names: Set<string>; numbers: Set<number>; selector: Record<string, unknown> | null };

function selectorKey(namespace: string, selector: Record<string, unknown>): string {
  return JSON.stringify([namespace, Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** `a ⊆ b`: every label the policy asks for is one the Service's pods are known to carry. */
function isSubset(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.entries(a).every(([key, value]) => b[key] === value);
}

/**
 * Validates each object and the set as a whole: no two objects of one kind share a name in a
 * namespace; every Ingress backend names a Service in the set and one of its ports; every
 * NetworkPolicy with ingress rules selects pods some Service selects (or is a namespace-wide `{}`
 * policy; a deny or an Egress-only policy may select pods without a Service, such as workers'). The last
 * two are what kube-score's ingress-targets-service and kube-linter's dangling-networkpolicy check.
 * Returns one entry per object that has problems, in input order.
 */
export function validateManifests(objs: KubeObject[]): ManifestProblem[] {
  const errorsByIndex = objs.map((obj) => validateManifest(obj));
  /** The problems found so far in object `index`: there is one list per object, so it is always there. */
  const errorsAt = (index: number): string[] => {
    const errors = errorsByIndex[index];
    if (errors === undefined) {
      throw new Error(`no object ${index} among ${objs.length}`);
    }
    return errors;
  };

  const firstByKey = new Map<string, number>();
  const services = new Map<string, ServicePorts>();
  objs.forEach((obj, index) => {
    if (!isObject(obj)) {
      return;
    }
    const key = `${show(obj.kind)}/${namespaceOf(obj)}/${nameOf(obj)}`;
    const first = firstByKey.get(key);
    if (first !== undefined) {
      errorsAt(index).push(
        `metadata.name: a ${show(obj.kind)} named "${nameOf(obj)}" already exists in namespace ${namespaceOf(obj)} (object ${first})`,
      );
    } else {
      firstByKey.set(key, index);
    }
    if (obj.kind === 'Service') {
      const spec = objectAt(obj.spec);
      const ports = arrayAt(spec.ports).map(objectAt);
      services.set(`${namespaceOf(obj)}/${nameOf(obj)}`, {
        names: new Set(ports.map((port) => port.name).filter((name): name is string => typeof name === 'string')),
        numbers: new Set(ports.map((port) => port.port).filter((port): port is number => typeof port === 'number')),
        selector: isObject(spec.selector) && spec.type !== 'ExternalName' ? spec.selector : null,
      });
    }
  });

  // Exact selectors first (the usual case: a policy selects what its Service selects), then a scan.
  const exactSelectors = new Set<string>();
  const selectorsByNamespace = new Map<string, Record<string, unknown>[]>();
  for (const [key, service] of services) {
    if (service.selector !== null) {
      const namespace = key.slice(0, key.indexOf('/'));
      exactSelectors.add(selectorKey(namespace, service.selector));
      const list = selectorsByNamespace.get(namespace);
      if (list === undefined) {
        selectorsByNamespace.set(namespace, [service.selector]);
      } else {
        list.push(service.selector);
      }
    }
  }

  objs.forEach((obj, index) => {
    if (!isObject(obj)) {
      return;
    }
    const namespace = namespaceOf(obj);
    const spec = objectAt(obj.spec);
    if (obj.kind === 'Ingress') {
      const backends: [string, unknown][] = [];
      if (spec.defaultBackend !== undefined) {
        backends.push(['spec.defaultBackend', spec.defaultBackend]);
      }
      arrayAt(spec.rules).forEach((rule, ruleIndex) =>
        arrayAt(objectAt(objectAt(rule).http).paths).forEach((path, pathIndex) =>
          backends.push([`spec.rules[${ruleIndex}].http.paths[${pathIndex}].backend`, objectAt(path).backend]),
        ),
      );
      for (const [at, backend] of backends) {
        const service = objectAt(objectAt(backend).service);
        if (typeof service.name !== 'string') {
          continue;
        }
        const target = services.get(`${namespace}/${service.name}`);
        if (target === undefined) {
          errorsAt(index).push(
            `${at}.service.name: no Service "${service.name}" in namespace ${namespace} among these manifests`,
          );
          continue;
        }
        const port = objectAt(service.port);
        if (typeof port.name === 'string' && port.name !== '' && !target.names.has(port.name)) {
          errorsAt(index).push(`${at}.service.port.name: Service "${service.name}" has no port named "${port.name}"`);
        }
        if (typeof port.number === 'number' && !target.numbers.has(port.number)) {
          errorsAt(index).push(`${at}.service.port.number: Service "${service.name}" has no port ${port.number}`);
        }
      }
    }
    if (obj.kind === 'NetworkPolicy') {
      const podSelector = objectAt(spec.podSelector);
      const matchLabels = stringMap(podSelector.matchLabels);
      const namespaceWide = Object.keys(matchLabels).length === 0 && arrayAt(podSelector.matchExpressions).length === 0;
      const candidates = selectorsByNamespace.get(namespace) ?? [];
      const matches =
        namespaceWide ||
        exactSelectors.has(selectorKey(namespace, matchLabels)) ||
        candidates.some((selector) => isSubset(matchLabels, selector));
      // Services stand in for pods here, and pods without ports (workers) have none: a policy that
      // admits nothing into its pods (a default deny, or an Egress-only policy) is how a plan governs
      // them, so only a policy with ingress rules must select pods some Service selects.
      const admitsInto = arrayAt(spec.ingress).length > 0;
      if (!matches && admitsInto) {
        errorsAt(index).push('spec.podSelector: selects no pods that any Service in these manifests selects');
      }
    }
  });

  return objs.flatMap((obj, index) =>
    errorsAt(index).length === 0
      ? []
      : [
          {
            index,
            kind: isObject(obj) ? show(obj.kind) : '',
            name: isObject(obj) ? nameOf(obj) : '',
            errors: errorsAt(index),
          },
        ],
  );
}
