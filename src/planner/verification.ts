import { dependentsByComponent } from './topology-lookups.js';
import { classifyPort, speaksTls } from './http.js';
import { headlessServiceName, ingressServesTls, routedComponents } from './manifest-conventions.js';
import { isAlbClass } from './routing/classes.js';
import { internalPorts, internalServiceName, publishedView } from './ports.js';
import { speaksOnlyGrpc } from './routing/grpc.js';
import { routedPath } from './routing/ingress.js';
import { L4_TLS_PORT, l4TlsPort } from './routing/l4-tls.js';
import { routingIngressName } from './routing/traefik-sources.js';
import { sourcesEnforcedAtL7 } from './routing/sources.js';
import { NODE_PORT_RANGE, isLocalPlatform } from './rules.js';
import type {
  Component,
  IngressPlan,
  LoadBalancerRecommendation,
  PortSpec,
  Recommendation,
  Topology,
  VerificationStep,
} from './types.js';

const CURL_IMAGE = 'curlimages/curl';
/** Pinned so `nc -z` and `nslookup` behave the same on every run. */
const BUSYBOX_IMAGE = 'busybox:1.36';
/**
 * Prints only the status code, so "any code" is easy to tell from "no answer" (000). `-k` where the
 * address is an IP or 127.0.0.1, which no certificate names: those checks prove reachability, not identity.
 */
function curlStatus(insecure = false): string {
  return `curl -sS${insecure ? 'k' : ''} -m 5 -o /dev/null -w '%{http_code}\\n'`;
}

/**
 * The kubectl checks a person runs after applying the plan, per component, in input order. Components
 * without a Service get none. Every command is namespaced and names the real Service, port and node port.
 *
 * A test pod in the namespace is NOT an allowed client under the plan's NetworkPolicies (default deny,
 * then only the callers from dependsOn). So a Service is proven to work through `kubectl port-forward`
 * (which enters the pod directly and is not subject to NetworkPolicy) and through its outside entry point,
 * while the test pod proves the isolation of internal components: it must get no answer. Giving the test
 * pod a caller's labels would make it an endpoint of that caller's Service for as long as it runs.
 */
export function verificationSteps(
  topology: Topology,
  recommendations: Recommendation[],
  ingress: IngressPlan | null,
): VerificationStep[] {
  const byComponent = new Map(recommendations.map((recommendation) => [recommendation.component, recommendation]));
  const steps: VerificationStep[] = [];
  const routed = routedComponents(topology, recommendations, ingress);
  const alb = ingress !== null && isAlbClass(ingress.className);
  const route: RouteContext = { alb, redirectsToHttps: alb && ingressServesTls(routed) };
  let ingressAddressChecked = false;
  for (const fullComponent of topology.components) {
    const recommendation = byComponent.get(fullComponent.name);
    if (recommendation === undefined || recommendation.serviceType === null) {
      continue;
    }
    // The entry point is checked on the published ports; the ports kept in-cluster on their own Service below.
    const component = publishedView(fullComponent);
    const site: Site = { topology, component, recommendation };
    if (recommendation.serviceType === 'ExternalName') {
      steps.push(externalNameStep(site));
      continue;
    }
    steps.push(endpointsStep(site), ...portForwardSteps(site));
    if (recommendation.entryPoint === 'none') {
      steps.push(...isolationSteps(site));
    }
    if (recommendation.serviceType === 'NodePort') {
      steps.push(...nodePortSteps(site));
    }
    if (recommendation.serviceType === 'LoadBalancer') {
      steps.push(...loadBalancerSteps({ ...site, recommendation }));
    }
    // Routed by a Gateway instead (ingress null): gatewayVerification checks its address and routes.
    if (recommendation.entryPoint === 'ingress' && ingress !== null) {
      if (!ingressAddressChecked) {
        steps.push(ingressAddressStep(site, ingress));
        ingressAddressChecked = true;
      }
      steps.push(withSourcesExpectation(ingressRouteStep(site, routedPath(component), route), component, ingress));
    }
    if (recommendation.headless) {
      steps.push(...headlessSteps(site));
    }
    const kept = internalPorts(fullComponent);
    if (kept.length > 0) {
      // Reachable from inside the cluster only: proven through port-forward, isolated from the test pod.
      const internalSite: Site = { topology, component: { ...fullComponent, ports: kept }, recommendation };
      const service = internalServiceName(fullComponent.name);
      steps.push(...portForwardSteps(internalSite, service), ...isolationSteps(internalSite, service));
    }
  }
  return steps;
}

type Site<R extends Recommendation = Recommendation> = { topology: Topology; component: Component; recommendation: R };

function externalNameStep({ topology, component }: Site): VerificationStep {
  const externalName = component.externalName ?? '<external name>';
  return {
    component: component.name,
    command: `kubectl run ${podName(component.name, 'dns')} --rm -i --restart=Never --image=${BUSYBOX_IMAGE} -n ${topology.namespace} -- nslookup ${serviceHost(component.name, topology.namespace)}`,
    expect: `A canonical name (CNAME) pointing at ${externalName}, followed by at least one address. NXDOMAIN for the Service name means the Service is missing; a CNAME without an address means ${externalName} itself does not resolve from inside the cluster.`,
  };
}

function endpointsStep({ topology, component }: Site): VerificationStep {
  const udp = component.ports.filter((port) => port.protocol !== 'TCP');
  const udpNote =
    udp.length === 0
      ? ''
      : ` This is the only check for ${udp.map(describePort).join(', ')}: port-forward and nc -z test TCP only.`;
  return {
    component: component.name,
    command: `kubectl get endpointslices -n ${topology.namespace} -l kubernetes.io/service-name=${component.name}`,
    expect: `At least one EndpointSlice whose ENDPOINTS column lists pod addresses, ${readyPods(component)}. "<unset>" or no slice means no ready pod carries the labels ${describeLabels(component.labels)}.${udpNote}`,
  };
}

/**
 * `service`: the Service to forward through, the component's own unless told (its `-internal` one).
 * A load balancer that terminates TLS moved its port to 443 on the component's own Service (routing/l4-tls.ts).
 */
function portForwardSteps({ topology, component, recommendation }: Site, service = component.name): VerificationStep[] {
  const tlsPort =
    recommendation.serviceType === 'LoadBalancer' && service === component.name
      ? l4TlsPort(topology.environment.platform, component)
      : undefined;
  return tcpPorts(component).map((port) => {
    const servicePort = port === tlsPort ? L4_TLS_PORT : port.port;
    const local = localPort(servicePort);
    const forward = `kubectl port-forward -n ${topology.namespace} svc/${service} ${local}:${servicePort} >/dev/null & sleep 2;`;
    const target = `targetPort ${port.targetPort}`;
    if (isHttp(component, port)) {
      const tls = speaksTls(port);
      return {
        component: component.name,
        command: `${forward} ${curlStatus(tls)} ${tls ? 'https' : 'http'}://127.0.0.1:${local}/; kill $!`,
        expect: `An HTTP status code such as 200, 301 or 404: any code proves a container answers on ${target}${tls ? ' (-k because the certificate does not name 127.0.0.1)' : ''}. 000 or "connection refused" means nothing listens there. Port-forward enters one pod directly, so NetworkPolicies do not affect this check.`,
      };
    }
    return {
      component: component.name,
      command: `${forward} nc -zv -w 5 127.0.0.1 ${local}; kill $!`,
      expect: `nc reports the port open (succeeded): a container listens on ${target}. "Connection refused" means it does not. Port-forward enters one pod directly, so NetworkPolicies do not affect this check.`,
    };
  });
}

function isolationSteps({ topology, component }: Site, service = component.name): VerificationStep[] {
  const callers = dependentsByComponent(topology).get(component.name) ?? [];
  const allowed =
    callers.length === 0
      ? 'no other pod may connect'
      : `only the pods of ${callers.map((c) => c.name).join(', ')} may connect`;
  const minikube =
    topology.environment.platform === 'minikube'
      ? ' (minikube enforces them only with a network plugin such as Calico: minikube start --cni=calico)'
      : '';
  return tcpPorts(component).map((port) => {
    const host = serviceHost(service, topology.namespace);
    const name = podName(component.name, String(port.port));
    const command = isHttp(component, port)
      ? `kubectl run ${name} --rm -i --restart=Never --image=${CURL_IMAGE} -n ${topology.namespace} -- curl -sS${speaksTls(port) ? 'k' : ''} -m 5 ${speaksTls(port) ? 'https' : 'http'}://${host}:${port.port}/`
      : `kubectl run ${name} --rm -i --restart=Never --image=${BUSYBOX_IMAGE} -n ${topology.namespace} -- nc -zv -w 5 ${host} ${port.port}`;
    return {
      component: component.name,
      command,
      mustFail: true,
      expect: `No answer within 5 seconds (a timeout; some network plugins refuse instead): under the plan's NetworkPolicies ${allowed} on ${describePort(port)}, and this test pod is none of them. An answer means the NetworkPolicies are missing or not enforced by the network plugin${minikube}.`,
    };
  });
}

function nodePortSteps({ topology, component, recommendation }: Site): VerificationStep[] {
  const local = recommendation.entryPoint === 'node-port' && component.preserveClientIp;
  const from =
    component.allowedSources.length > 0
      ? `from a host in ${component.allowedSources.join(', ')}`
      : 'from a host outside the cluster';
  const nodeIp =
    topology.environment.platform === 'minikube'
      ? '<node-ip> is the output of `minikube ip`'
      : '<node-ip> is an INTERNAL-IP or EXTERNAL-IP from `kubectl get nodes -o wide`';
  return component.ports.flatMap((port) => {
    const filter = port.name === undefined ? `@.port==${port.port}` : `@.name=="${port.name}"`;
    const lookup: VerificationStep = {
      component: component.name,
      command: `kubectl get svc ${component.name} -n ${topology.namespace} -o jsonpath='{.spec.ports[?(${filter})].nodePort}'`,
      expect: `${
        port.nodePort === undefined
          ? `A port between ${NODE_PORT_RANGE.min} and ${NODE_PORT_RANGE.max} that Kubernetes assigned to ${describePort(port)}`
          : `${port.nodePort}, the node port pinned for ${describePort(port)}`
      }${
        port.protocol === 'TCP'
          ? port.nodePort === undefined
            ? '; use it as <node-port> below.'
            : '.'
          : `. ${port.protocol} has no handshake for nc -z to test: check it with the application's own client ${from}.`
      }`,
    };
    if (port.protocol !== 'TCP') {
      return [lookup];
    }
    const nodePort = port.nodePort === undefined ? '<node-port>' : String(port.nodePort);
    const command = isHttp(component, port)
      ? `${curlStatus(speaksTls(port))} ${speaksTls(port) ? 'https' : 'http'}://<node-ip>:${nodePort}/`
      : `nc -zv -w 5 <node-ip> ${nodePort}`;
    const answer = isHttp(component, port)
      ? 'An HTTP status code (any code proves the path works)'
      : 'nc reports the port open';
    const reach: VerificationStep = {
      component: component.name,
      command,
      expect: `${answer}, run ${from}; ${nodeIp}${local ? ' of a node that runs a pod of ' + component.name + ' (externalTrafficPolicy Local: other nodes drop the connection)' : ''}. A timeout means a firewall or security group blocks ${nodePort}/TCP.`,
    };
    return [lookup, reach];
  });
}

function loadBalancerSteps({
  topology,
  component,
  recommendation,
}: Site<LoadBalancerRecommendation>): VerificationStep[] {
  const address: VerificationStep = {
    component: component.name,
    command: `kubectl get svc ${component.name} -n ${topology.namespace} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
    expect: `A non-empty value such as {"ip":"203.0.113.10"} or {"hostname":"..."} (AWS gives a DNS name). Empty after a few minutes means EXTERNAL-IP is still <pending>: \`kubectl describe svc ${component.name} -n ${topology.namespace}\` shows why in its events.`,
  };
  const local = isLocalPlatform(topology.environment.platform);
  const from = local
    ? // A pool on kind or minikube hands out addresses of the cluster's Docker or VM network.
      'from the machine that runs the cluster (the pool addresses are on its Docker or VM network)'
    : recommendation.scheme === 'internal' || component.exposure !== 'public'
      ? `from a host inside the private network${sourcesClause(component)}`
      : component.allowedSources.length > 0
        ? `from a host in ${component.allowedSources.join(', ')}; from any other address it must time out`
        : 'from any host on the internet';
  const tlsPort = l4TlsPort(topology.environment.platform, component);
  const reach = tcpPorts(component).map((port): VerificationStep => {
    const http = isHttp(component, port);
    if (port === tlsPort && component.host !== undefined) {
      // The load balancer terminates TLS on 443 (routing/l4-tls.ts): ask for the host by name.
      return {
        component: component.name,
        command: `${curlStatus()} --connect-to ${component.host}:${L4_TLS_PORT}:<lb-address>:${L4_TLS_PORT} https://${component.host}${component.path ?? '/'}`,
        expect: `The status ${component.name} returns, with no certificate error, run ${from} (--connect-to keeps ${component.host} as the TLS name); <lb-address> is the ip or hostname from the previous check. "SSL certificate problem" means the certificate ${component.certificate ?? ''} does not cover ${component.host} or is not issued yet.`,
      };
    }
    return {
      component: component.name,
      command: http
        ? `${curlStatus(speaksTls(port))} ${speaksTls(port) ? 'https' : 'http'}://<lb-address>:${port.port}/`
        : `nc -zv -w 5 <lb-address> ${port.port}`,
      expect: `${http ? 'An HTTP status code (any code proves the path works)' : 'nc reports the port open'}, run ${from}; <lb-address> is the ip or hostname from the previous check.`,
    };
  });
  return [address, ...reach];
}

function ingressAddressStep({ topology, component }: Site, ingress: IngressPlan | null): VerificationStep {
  const className = ingress?.className ?? topology.environment.ingressController ?? 'the';
  const missing =
    ingress !== null && !ingress.controllerPresent
      ? ` It stays empty until the ${className} controller is installed (the plan assumes one that is not there yet).`
      : ` Empty after a few minutes means no ${className} controller picked the Ingress up: check \`kubectl get ingressclass\`.`;
  return {
    component: component.name,
    command: `kubectl get ingress ${ingress === null ? topology.name : routingIngressName(topology, ingress.className, component)} -n ${topology.namespace} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
    expect: `A non-empty value such as {"ip":"203.0.113.10"} or {"hostname":"..."}: the address every routed component shares.${missing}`,
  };
}

/** What the route checks must know about the Ingress as rendered (see renderIngress in routing/ingress.ts). */
type RouteContext = {
  /** The AWS ALB takes its certificates from ACM, never from the tls Secret. */
  alb: boolean;
  /** The ALB's ssl-redirect: once any routed component wants TLS, every HTTP request gets a 301. */
  redirectsToHttps: boolean;
};

/**
 * A gRPC route answers any POST with content-type application/grpc over HTTP/2 with status 200 and
 * the result in a grpc-status trailer (12, UNIMPLEMENTED, for a method the server lacks): that
 * proves the L7 entry point reaches the server over HTTP/2 without knowing its services.
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 */
function grpcRouteStep(component: Component): VerificationStep {
  const host = component.host;
  const health = '/grpc.health.v1.Health/Check';
  const request = `curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' -X POST -H 'content-type: application/grpc' -H 'te: trailers'`;
  const command =
    host !== undefined && component.tls === true
      ? `${request} --http2 --connect-to ${host}:443:<ingress-address>:443 https://${host}${health}`
      : `${request} --http2-prior-knowledge${host === undefined ? '' : ` -H 'Host: ${host}'`} http://<ingress-address>${health}`;
  return {
    component: component.name,
    command,
    expect: `200: gRPC answers every call over HTTP/2 with 200 and puts the result in the grpc-status trailer (12 when the server has no health service); 404 means no rule matched, 502 or 503 that the entry point cannot speak HTTP/2 to the pods. <ingress-address> is the ip or hostname from the entry point's address check.`,
  };
}

function ingressRouteStep(site: Site, path: string, route: RouteContext): VerificationStep {
  const { component } = site;
  if (speaksOnlyGrpc(component)) {
    return grpcRouteStep(component);
  }
  const host = component.host;
  const noMatch = `the controller's default 404 means no rule matched ${host ?? ''}${path}`;
  if (host !== undefined && component.tls === true) {
    const certificate = route.alb
      ? `AWS Certificate Manager has no issued certificate for ${host} (the ALB finds it by host and ignores the tls Secret)`
      : `the certificate Secret for ${host} is missing or not issued yet`;
    return {
      component: component.name,
      command: `${curlStatus()} --connect-to ${host}:443:<ingress-address>:443 https://${host}${path}`,
      expect: `The status ${component.name} returns for ${path}, with no certificate error (--connect-to keeps ${host} as the TLS name). "SSL certificate problem" means ${certificate}; ${noMatch}.`,
    };
  }
  const command =
    host === undefined
      ? `${curlStatus()} http://<ingress-address>${path}`
      : `${curlStatus()} -H 'Host: ${host}' http://<ingress-address>${path}`;
  if (route.redirectsToHttps) {
    return {
      component: component.name,
      command,
      expect: `301: the ALB redirects every HTTP request to HTTPS (ssl-redirect, set because another routed component wants TLS), so ${component.name} is served over HTTPS too and needs an ACM certificate for ${host ?? 'the name clients use'}; any other code means the redirect is missing. <ingress-address> is the ip or hostname from the Ingress address check.`,
    };
  }
  return {
    component: component.name,
    command,
    expect: `The status ${component.name} returns for ${path}; ${noMatch}. <ingress-address> is the ip or hostname from the Ingress address check.`,
  };
}

/** Where the Ingress restricts the route to allowedSources (routing/sources.ts), what a client outside them gets. */
function withSourcesExpectation(
  step: VerificationStep,
  component: Component,
  ingress: IngressPlan | null,
): VerificationStep {
  if (ingress === null || !sourcesEnforcedAtL7(ingress.className, component)) {
    return step;
  }
  const refusal = isAlbClass(ingress.className) ? "404 (the ALB's default action)" : '403 Forbidden';
  return {
    ...step,
    expect: `${step.expect} Run it from a host in ${component.allowedSources.join(', ')}; from any other address the answer must be ${refusal}.`,
  };
}

function headlessSteps({ topology, component }: Site): VerificationStep[] {
  const headless = headlessServiceName(component.name);
  const steps: VerificationStep[] = [
    {
      component: component.name,
      command: `kubectl run ${podName(component.name, 'headless')} --rm -i --restart=Never --image=${BUSYBOX_IMAGE} -n ${topology.namespace} -- nslookup ${serviceHost(headless, topology.namespace)}`,
      expect: `One address per ready pod (${readyPods(component)}), not a single cluster IP. No address means no pod is ready or the selector ${describeLabels(component.labels)} matches nothing.`,
    },
  ];
  if (component.workload === 'StatefulSet') {
    steps.push({
      component: component.name,
      command: `kubectl run ${podName(component.name, 'pod-0')} --rm -i --restart=Never --image=${BUSYBOX_IMAGE} -n ${topology.namespace} -- nslookup ${component.name}-0.${serviceHost(headless, topology.namespace)}`,
      expect: `The address of pod ${component.name}-0 (a StatefulSet named ${component.name}). NXDOMAIN means the StatefulSet's serviceName is not ${headless}, so its pods get no stable names.`,
    });
  }
  return steps;
}

function tcpPorts(component: Component): PortSpec[] {
  return component.ports.filter((port) => port.protocol === 'TCP');
}

function isHttp(component: Component, port: PortSpec): boolean {
  return classifyPort(port, component.role).http;
}

function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** Test pods are named tmp-<component>-<what>; kubectl also uses the name as the `run` label value, at most 63 characters. */
export function podName(component: string, suffix: string): string {
  const tail = `-${suffix}`;
  const head = `tmp-${component}`.slice(0, 63 - tail.length).replace(/-+$/, '');
  return `${head}${tail}`;
}

/** Unprivileged users cannot listen below 1024 on their own machine. */
function localPort(port: number): number {
  return port >= 1024 ? port : port + 10000;
}

function readyPods(component: Component): string {
  if (component.workload === 'DaemonSet') {
    return 'one per node that runs a ready pod';
  }
  return component.replicas === 1
    ? 'one when its single replica is ready'
    : `${component.replicas} when all ${component.replicas} replicas are ready`;
}

function describePort(port: PortSpec): string {
  return `${port.port}/${port.protocol}${port.name === undefined ? '' : ` (${port.name})`}`;
}

function describeLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

function sourcesClause(component: Component): string {
  return component.allowedSources.length > 0 ? ` (${component.allowedSources.join(', ')})` : '';
}
