import * as v1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import * as v1alpha2 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2';
import * as v1alpha3 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha3';
import * as v1beta1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1';
import type { KubeObject } from '../../types.js';
import { schemaErrorsOf, type SchemaCheckedModel } from '../../testing/schema-errors.js';

/**
 * Test-only: would an API server with the Gateway API CRDs accept this object? Two layers, as for
 * the core kinds (kube-validation.ts):
 *   1. the CRDs' OpenAPI schema through @kubernetes-models/gateway-api (a devDependency);
 *   2. the CRDs' CEL rules (x-kubernetes-validations) our objects could break, which a JSON
 *      schema validator does not run; each rule below quotes the CRD message it stands for
 *      (kubernetes-sigs/gateway-api v1.6.1, config/crd/standard).
 * @kubernetes-models/gateway-api 2.0.0 is generated from Gateway API v1.5 and has no v1 TCPRoute
 * or UDPRoute (GA in v1.6.0). Their v1 schema is the v1alpha2 one with `rules` capped at one item
 * (read by diffing the two versions in the v1.6.1 CRDs), so a v1 object is checked against the
 * v1alpha2 model plus that cap.
 */

type Json = Record<string, unknown>;

const GROUP = 'gateway.networking.k8s.io';

const MODELS: Record<string, (data: Json) => SchemaCheckedModel> = {
  [`${GROUP}/v1/Gateway`]: (data) => new v1.Gateway(data as unknown as v1.IGateway),
  [`${GROUP}/v1/GatewayClass`]: (data) => new v1.GatewayClass(data as unknown as v1.IGatewayClass),
  [`${GROUP}/v1/HTTPRoute`]: (data) => new v1.HTTPRoute(data as unknown as v1.IHTTPRoute),
  [`${GROUP}/v1/GRPCRoute`]: (data) => new v1.GRPCRoute(data as unknown as v1.IGRPCRoute),
  [`${GROUP}/v1/TLSRoute`]: (data) => new v1.TLSRoute(data as unknown as v1.ITLSRoute),
  [`${GROUP}/v1/BackendTLSPolicy`]: (data) => new v1.BackendTLSPolicy(data as unknown as v1.IBackendTLSPolicy),
  [`${GROUP}/v1/TCPRoute`]: (data) =>
    new v1alpha2.TCPRoute({ ...data, apiVersion: `${GROUP}/v1alpha2` } as unknown as v1alpha2.ITCPRoute),
  [`${GROUP}/v1/UDPRoute`]: (data) =>
    new v1alpha2.UDPRoute({ ...data, apiVersion: `${GROUP}/v1alpha2` } as unknown as v1alpha2.IUDPRoute),
  [`${GROUP}/v1alpha2/TCPRoute`]: (data) => new v1alpha2.TCPRoute(data as unknown as v1alpha2.ITCPRoute),
  [`${GROUP}/v1alpha2/UDPRoute`]: (data) => new v1alpha2.UDPRoute(data as unknown as v1alpha2.IUDPRoute),
  [`${GROUP}/v1alpha2/TLSRoute`]: (data) => new v1alpha2.TLSRoute(data as unknown as v1alpha2.ITLSRoute),
  [`${GROUP}/v1alpha3/BackendTLSPolicy`]: (data) =>
    new v1alpha3.BackendTLSPolicy(data as unknown as v1alpha3.IBackendTLSPolicy),
  [`${GROUP}/v1beta1/ReferenceGrant`]: (data) => new v1beta1.ReferenceGrant(data),
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function schemaErrors(obj: KubeObject, key: string): string[] {
  const model = MODELS[key];
  if (model === undefined) {
    return [`${key}: no Gateway API model for this apiVersion and kind`];
  }
  return schemaErrorsOf(model(obj));
}

function checkGateway(spec: Json, errors: string[]): void {
  const listeners = list(spec.listeners);
  const names = listeners.map((listener) => listener.name);
  if (new Set(names).size !== names.length) {
    errors.push('spec.listeners: Listener name must be unique within the Gateway');
  }
  const combos = listeners.map((l) => JSON.stringify([l.port, l.protocol, l.hostname ?? '']));
  if (new Set(combos).size !== combos.length) {
    errors.push('spec.listeners: Combination of port, protocol and hostname must be unique for each listener');
  }
  listeners.forEach((listener, index) => {
    const at = `spec.listeners[${index}]`;
    const tls = isObject(listener.tls) ? listener.tls : undefined;
    const protocol = listener.protocol;
    if (tls !== undefined && (protocol === 'HTTP' || protocol === 'TCP' || protocol === 'UDP')) {
      errors.push(`${at}: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']`);
    }
    if (protocol === 'HTTPS' && tls !== undefined && tls.mode !== undefined && tls.mode !== 'Terminate') {
      errors.push(`${at}: tls mode must be Terminate for protocol HTTPS`);
    }
    if (protocol === 'TLS' && (tls === undefined || tls.mode === undefined)) {
      errors.push(`${at}: tls mode must be set for protocol TLS`);
    }
    if ((protocol === 'TCP' || protocol === 'UDP') && listener.hostname !== undefined) {
      errors.push(`${at}: hostname must not be specified for protocols ['TCP', 'UDP']`);
    }
    const terminates = tls !== undefined && (tls.mode === undefined || tls.mode === 'Terminate');
    if (terminates && list(tls.certificateRefs).length === 0 && !isObject(tls.options)) {
      errors.push(`${at}.tls: certificateRefs or options must be specified when mode is Terminate`);
    }
  });
}

function checkRoute(kind: string, apiVersion: string, spec: Json, errors: string[]): void {
  const parents = list(spec.parentRefs);
  const byParent = new Map<string, unknown[]>();
  for (const parent of parents) {
    const key = JSON.stringify([parent.group ?? GROUP, parent.kind ?? 'Gateway', parent.namespace ?? '', parent.name]);
    byParent.set(key, [...(byParent.get(key) ?? []), parent.sectionName ?? '']);
  }
  for (const sections of byParent.values()) {
    if (sections.length > 1 && (sections.includes('') || new Set(sections).size !== sections.length)) {
      errors.push(
        'spec.parentRefs: sectionName must be specified and unique when parentRefs includes 2 or more references to the same parent',
      );
    }
  }
  const rules = list(spec.rules);
  if ((kind === 'TCPRoute' || kind === 'UDPRoute') && apiVersion === `${GROUP}/v1` && rules.length > 1) {
    errors.push('spec.rules: must have at most 1 item (v1)');
  }
  rules.forEach((rule, index) => {
    list(rule.backendRefs).forEach((ref, refIndex) => {
      const service = (ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service';
      if (service && ref.port === undefined) {
        errors.push(`spec.rules[${index}].backendRefs[${refIndex}]: Must have port for Service reference`);
      }
    });
  });
}

function checkBackendTlsPolicy(spec: Json, errors: string[]): void {
  const validation = isObject(spec.validation) ? spec.validation : {};
  const refs = list(validation.caCertificateRefs).length > 0;
  const wellKnown = typeof validation.wellKnownCACertificates === 'string' && validation.wellKnownCACertificates !== '';
  if (refs === wellKnown) {
    errors.push('spec.validation: must specify either CACertificateRefs or WellKnownCACertificates, not both');
  }
}

/** Every reason the API server would refuse this Gateway API object; empty when it would accept it. */
export function validateGatewayApiObject(obj: KubeObject): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const errors = schemaErrors(obj, key);
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (obj.kind === 'Gateway') {
    checkGateway(spec, errors);
  } else if (obj.kind === 'BackendTLSPolicy') {
    checkBackendTlsPolicy(spec, errors);
  } else if (obj.kind.endsWith('Route')) {
    checkRoute(obj.kind, obj.apiVersion, spec, errors);
  }
  return errors;
}
