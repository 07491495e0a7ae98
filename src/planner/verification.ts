import { dependentsByComponent } from './topology-lookups.js';
import { classifyPort, speaksTls } from './http.js';
import {
  KIND_LISTEN_ADDRESS,
  kindClusterConfig,
  kindPortMapping,
  nodePortKey,
  plannedNodePorts,
} from './kind-node-ports.js';
import { headlessServiceName, ingressIsPublic, ingressServesTls, routedComponents } from './manifest-conventions.js';
import { internalGkeIngress, isAlbClass } from './routing/classes.js';
import { closesGkeInternalHttp, redirectsGkeIngress } from './routing/gke-https-redirect.js';
import { internalPorts, internalServiceName, publishedView } from './ports.js';
import { speaksH2c, speaksOnlyGrpc } from './routing/grpc.js';
import { routedPath } from './routing/ingress-path.js';
import { L4_TLS_PORT, l4TlsPort } from './routing/l4-tls.js';
import { doLoadBalancerTypeStep } from './routing/l4-listeners.js';
import { grpcRouteStep } from './grpc-probe.js';
import {
  ADDRESS_OUTPUT,
  ANY_STATUS,
  ENDPOINTS_OUTPUT,
  NO_ANSWER_OUTPUT,
  NSLOOKUP_ADDRESS,
  REDIRECT_STATUS,
  ROUTE_STATUS,
  VERIFICATION_PROBE_LABELS,
  ereLiteral,
} from './verification-patterns.js';
import { routingIngressName, traefikHttpsOnly } from './routing/traefik-ingresses.js';
import { sourceHosts, sourcesEnforcedAtL7 } from './routing/sources.js';
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

/**
 * Test pods pass the `restricted` Pod Security level, which namespaces that enforce it demand
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted): a numeric
 * non-root user, no privilege escalation, every capability dropped, the runtime's seccomp profile.
 * Pinned so `nc -z` and `nslookup` behave the same on every run; busybox runs as root unless told,
 * so as nobody.
 */
const BUSYBOX_IMAGE = { image: 'busybox:1.36', uid: 65_534 };
type TestImage = typeof BUSYBOX_IMAGE;
/** How long a step waits for a port-forward or `minikube service` to print where it listens, one second at a time. */
const WAIT_SECONDS = 10;
/** `1 2 … WAIT_SECONDS`, the seconds withBackground counts: written once, not for every port of every component. */
const WAIT_COUNT = Array.from({ length: WAIT_SECONDS }, (_, index) => index + 1).join(' ');
/**
 * Prints only the status code, so "any code" is easy to tell from "no answer" (000). `-k` where the
 * address is an IP or 127.0.0.1, which no certificate names: those checks prove reachability, not identity.
 */
function curlStatus(insecure = false): string {
  return `curl -sS${insecure ? 'k' : ''} -m 5 -o /dev/null -w '%{http_code}\\n'`;
}

/**
 * `kubectl run` of a throwaway pod (`--rm`, never restarted) that passes the restricted level. The
 * container is named after the pod, so a strategic merge of the overrides adds its securityContext
 * to the generated container instead of replacing the container list.
 */
function testPod(name: string, image: TestImage, namespace: string): string {
  return `kubectl run ${name} --rm -i --restart=Never --image=${image.image} -n ${namespace} --labels=${PROBE_LABEL_ARGUMENT} --override-type=strategic --overrides='${podOverrides(name, image)}'`;
}

/**
 * The labels every test pod carries (they replace kubectl's `run=<name>`): with egress restricted
 * in a namespace the topology owns, the plan's egress.verification-probes policy admits pods with
 * them to DNS and to the namespace's pods (network-policies.ts), or the namespace-wide
 * default-deny-egress would keep them from resolving a name or reaching the Service they probe.
 */
const PROBE_LABEL_ARGUMENT = Object.entries(VERIFICATION_PROBE_LABELS)
  .map(([key, value]) => `${key}=${value}`)
  .join(',');

/**
 * The test pod's overrides as JSON: the image's half is serialized once per image, the pod's name
 * spliced in (as JSON.stringify would write it), since a plan runs a test pod for many ports.
 */
function podOverrides(name: string, { uid }: TestImage): string {
  let halves = overridesByUid.get(uid);
  if (halves === undefined) {
    const overrides = {
      apiVersion: 'v1',
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: uid, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          { name: NAME_SLOT, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
        ],
      },
    };
    halves = JSON.stringify(overrides).split(JSON.stringify(NAME_SLOT)) as [string, string];
    overridesByUid.set(uid, halves);
  }
  return `${halves[0]}${JSON.stringify(name)}${halves[1]}`;
}

const NAME_SLOT = '\u0000name';
const overridesByUid = new Map<number, [string, string]>();

/**
 * Starts `background` (which writes what it found to "$f"), waits up to WAIT_SECONDS for `read` to
 * print a value into `variable` (less if the command ends first), then runs `check` and stops the
 * background command. The step ends
 * with `kill $!`, so verify.sh judges it by `check` (keepCheckStatus in verification-script.ts).
 * No value: it stops the background command itself, says `missing` and exits 1. (`${p:?…}` in the
 * check exited the shell before the final kill, and left a slow port-forward running.)
 */
function withBackground(background: string, variable: string, read: string, missing: string, check: string): string {
  // Reads once more after the command has ended (minikube on Linux prints and exits), then stops waiting.
  const wait = `for i in ${WAIT_COUNT}; do kill -0 $! 2>/dev/null || i=ended; ${variable}=$(${read}); [ -n "$${variable}" ] || [ "$i" = ended ] && break; sleep 1; done`;
  const none = `[ -n "$${variable}" ] || { kill $! 2>/dev/null; echo '${missing}' >&2; exit 1; }`;
  return `f=$(mktemp); ${background} >"$f" & ${wait}; rm -f "$f"; ${none}; ${check}; kill $!`;
}

/**
 * A port-forward to a local port kubectl picks free (`:<port>`: no fixed port that something on the
 * machine may hold), read from its "Forwarding from 127.0.0.1:<local> -> …" line. `check` gets the
 * shell word of that local port.
 */
function portForward(
  namespace: string,
  service: string,
  servicePort: number,
  check: (localPort: string) => string,
): string {
  return withBackground(
    `kubectl port-forward -n ${namespace} svc/${service} :${servicePort}`,
    'p',
    `sed -n 's/^Forwarding from 127\\.0\\.0\\.1:\\([0-9][0-9]*\\) .*/\\1/p' "$f"`,
    'port-forward did not start',
    check('"$p"'),
  );
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
  const route: RouteContext = {
    alb,
    redirectsToHttps: (alb && ingressServesTls(routed)) || redirectsGkeIngress(ingress, routed),
    httpsOnly: closesGkeInternalHttp(ingress, routed),
    traefikHttpsOnly: ingress === null ? new Set() : traefikHttpsOnly(ingress.className, routed),
    insideVpc: ingress !== null && internalGkeIngress(ingress.className, ingressIsPublic(routed)),
  };
  let ingressAddressChecked = false;
  // The same pins the NodePort Services carry (kind-node-ports.ts): one source for both.
  const nodePortPins = plannedNodePorts(topology, recommendations);
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
      steps.push(...nodePortSteps(site, nodePortPins));
    }
    if (recommendation.serviceType === 'LoadBalancer') {
      steps.push(...loadBalancerSteps({ ...site, recommendation }));
    }
    // Routed by a Gateway instead (ingress null): gatewayVerification checks its address and routes.
    if (recommendation.entryPoint === 'ingress' && ingress !== null) {
      if (!ingressAddressChecked) {
        steps.push(ingressAddressStep(site, ingress, routed));
        ingressAddressChecked = true;
      }
      steps.push(...routeSteps(site, routedPath(component), route, ingress));
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
    command: `${testPod(podName(component.name, 'dns'), BUSYBOX_IMAGE, topology.namespace)} -- nslookup ${serviceHost(component.name, topology.namespace)}`,
    expect: `A canonical name (CNAME) pointing at ${externalName}, followed by at least one address. NXDOMAIN for the Service name means the Service is missing; a CNAME without an address means ${externalName} itself does not resolve from inside the cluster.`,
    // busybox prints `<service name>\tcanonical name = <external name>`; the address after it is the reader's to see.
    ...(component.externalName === undefined
      ? {}
      : { expectOutput: `canonical name = ${ereLiteral(component.externalName.replace(/\.$/, ''))}\\.?$` }),
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
    expectOutput: ENDPOINTS_OUTPUT,
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
    const target = `targetPort ${port.targetPort}`;
    const local = `kubectl picks a free local port for svc/${service} port ${servicePort} and the step reads it from its output`;
    // The same port-forward for every port; only the client run through it, and what it proves, differ.
    const probe = isHttp(component, port) ? httpProbe(port, target) : tcpProbe(target);
    return {
      component: component.name,
      command: portForward(topology.namespace, service, servicePort, probe.command),
      expect: `${probe.expect}; ${local}. ${probe.refused}; "port-forward did not start" that no ready pod backs the Service. Port-forward enters one pod directly, so NetworkPolicies do not affect this check.`,
      ...(probe.expectOutput === undefined ? {} : { expectOutput: probe.expectOutput }),
    };
  });
}

/** What to run through a port-forward, what its success looks like, and what its refusal means. */
type PortProbe = { command: (localPort: string) => string; expect: string; refused: string; expectOutput?: string };

/**
 * A port that speaks cleartext HTTP/2 only (appProtocol h2c, routing/grpc.ts speaksH2c) closes an
 * HTTP/1.1 request: curl must start with HTTP/2 (--http2-prior-knowledge) for the server to answer.
 * gRPC ports are not HTTP to classifyPort: nc probes them.
 */
function httpProbe(port: PortSpec, target: string): PortProbe {
  const tls = speaksTls(port);
  const h2c = !tls && speaksH2c(port);
  return {
    command: (localPort) =>
      `${curlStatus(tls)}${h2c ? ' --http2-prior-knowledge' : ''} ${tls ? 'https' : 'http'}://127.0.0.1:${localPort}/`,
    expect: `An HTTP status code such as 200, 301 or 404: any code proves a container answers on ${target}${tls ? ' (-k because the certificate does not name 127.0.0.1)' : ''}${h2c ? ' (over cleartext HTTP/2, which the port speaks only)' : ''}`,
    refused: '000 or "connection refused" means nothing listens there',
    expectOutput: ANY_STATUS,
  };
}

function tcpProbe(target: string): PortProbe {
  return {
    command: (localPort) => `nc -zv -w 5 127.0.0.1 ${localPort}`,
    expect: `nc reports the port open (succeeded): a container listens on ${target}`,
    refused: '"Connection refused" means it does not',
  };
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
    const name = podName(component.name, String(port.port));
    // The Service's cluster IP, read with kubectl: the probe needs no DNS (so no cluster domain to
    // guess, no name that fails to resolve and reads as silence) and tests the port at L4, where a
    // NetworkPolicy acts, whatever protocol the server speaks. "error:" makes verify.sh say the probe never ran.
    const clusterIp = `ip=$(kubectl get svc ${service} -n ${topology.namespace} -o jsonpath='{.spec.clusterIP}'); case "$ip" in ''|None) echo 'error: svc/${service} has no cluster IP' >&2; exit 1 ;; esac`;
    return {
      component: component.name,
      // -vv: busybox nc prints a refusal only at two -v, a timeout at one (networking/nc_bloaty.c).
      command: `${clusterIp}; ${testPod(name, BUSYBOX_IMAGE, topology.namespace)} -- nc -z -vv -w 5 "$ip" ${port.port}`,
      mustFail: true,
      expect: `No answer within 5 seconds: nc reports a timeout ("Connection timed out"; some network plugins refuse instead, "Connection refused", which counts only once the endpoints check passed): under the plan's NetworkPolicies ${allowed} on ${describePort(port)}, and this test pod is none of them. An answer ("open") means the NetworkPolicies are missing or not enforced by the network plugin${minikube}. Any other failure (no cluster IP, an image that cannot be pulled, a pod not admitted) means the probe never ran and proves nothing.`,
      expectOutput: NO_ANSWER_OUTPUT,
    };
  });
}

/**
 * Per platform, the way in that works as written: on kind the node port is published on the machine
 * only through the cluster config's extraPortMappings (kind-node-ports.ts pins the port and names the
 * mapping, which listens on 127.0.0.1 only), so the check curls 127.0.0.1; on minikube
 * `minikube service --url` prints a URL that works with every driver (with the Docker driver on macOS and Windows the node IP is not reachable,
 * and minikube keeps a tunnel open while the command runs); elsewhere a node address and the port.
 */
function nodePortSteps(
  { topology, component, recommendation }: Site,
  pins: ReadonlyMap<string, number>,
): VerificationStep[] {
  const platform = topology.environment.platform;
  const local = recommendation.entryPoint === 'node-port' && component.preserveClientIp;
  // With allowedSources only a host in them gets through the firewall (or the plan's policies): the step runs there.
  const runFrom = sourceHosts(component);
  const from = runFrom === undefined ? 'from a host outside the cluster' : `from ${runFrom}`;
  const nodeIp = '<node-ip> is an INTERNAL-IP or EXTERNAL-IP from `kubectl get nodes -o wide`';
  return component.ports.flatMap((port, index) => {
    const filter = port.name === undefined ? `@.port==${port.port}` : `@.name=="${port.name}"`;
    const pinned = pins.get(nodePortKey(component.name, port)) ?? port.nodePort;
    const kind = platform === 'kind' && pinned !== undefined;
    const lookup: VerificationStep = {
      component: component.name,
      command: `kubectl get svc ${component.name} -n ${topology.namespace} -o jsonpath='{.spec.ports[?(${filter})].nodePort}'`,
      expect: `${
        pinned === undefined
          ? `A port between ${NODE_PORT_RANGE.min} and ${NODE_PORT_RANGE.max} that Kubernetes assigned to ${describePort(port)}`
          : port.nodePort === undefined
            ? `${pinned}, the node port the plan pins for ${describePort(port)} so kind can map it`
            : `${pinned}, the node port pinned for ${describePort(port)}`
      }${kind ? `. ${kindMappingNote(component.name, port, pins)}` : ''}${
        port.protocol === 'TCP'
          ? pinned === undefined && platform !== 'minikube'
            ? '; the next check reads it the same way.'
            : '.'
          : `. ${port.protocol} has no handshake for nc -z to test: check it with the application's own client ${
              kind ? `on the machine that runs kind, at ${KIND_LISTEN_ADDRESS}:${pinned}` : from
            }.`
      }`,
      // kubectl prints nothing, and exits 0, for a Service without that node port.
      expectOutput: pinned === undefined ? '^[0-9]+$' : `^${pinned}$`,
    };
    if (port.protocol !== 'TCP') {
      return [lookup];
    }
    const http = isHttp(component, port);
    const tls = speaksTls(port);
    const scheme = tls ? 'https' : 'http';
    const answer = http ? 'An HTTP status code (any code proves the path works)' : 'nc reports the port open';
    const status = http ? { expectOutput: ANY_STATUS } : {};
    const trafficPolicy = local
      ? ` of a node that runs a pod of ${component.name} (externalTrafficPolicy Local: other nodes drop the connection)`
      : '';
    if (kind) {
      return [
        lookup,
        {
          component: component.name,
          command: http
            ? `${curlStatus(tls)} ${scheme}://${KIND_LISTEN_ADDRESS}:${pinned}/`
            : `nc -zv -w 5 ${KIND_LISTEN_ADDRESS} ${pinned}`,
          expect: `${answer}, run on the machine that runs kind. "Connection refused" means the cluster was created without the extraPortMappings entry for ${pinned} (see the previous check): kind cannot add it later, so recreate the cluster with it.`,
          ...status,
        },
      ];
    }
    if (platform === 'minikube') {
      // One URL per Service port, in the Service's port order.
      const format = http ? '{{.IP}}:{{.Port}}' : '{{.IP}} {{.Port}}';
      const found = '$u';
      return [
        lookup,
        {
          component: component.name,
          command: withBackground(
            `minikube service ${component.name} -n ${topology.namespace} --url --format='${format}'`,
            'u',
            `sed -n '${index + 1}p' "$f"`,
            'minikube service printed no URL',
            http ? `${curlStatus(tls)} "${scheme}://${found}/"` : `nc -zv -w 5 ${found}`,
          ),
          ...status,
          expect: `${answer}, run on the machine that runs minikube: \`minikube service --url\` prints the address to use with every driver (with the Docker driver on macOS or Windows it opens a tunnel while it runs, which the step stops afterwards). "printed no URL" means the Service or its node port is missing.${trafficPolicy ? ` externalTrafficPolicy Local: the node must run a pod of ${component.name}.` : ''}`,
        },
      ];
    }
    // A port Kubernetes assigned is read from the Service, so the step runs without a value to fill in.
    const read = pinned === undefined ? `np=$(${lookup.command}); ` : '';
    const nodePort = pinned === undefined ? '"${np:?the Service has no node port}"' : String(pinned);
    const check = http ? `${curlStatus(tls)} ${scheme}://<node-ip>:${nodePort}/` : `nc -zv -w 5 <node-ip> ${nodePort}`;
    return [
      lookup,
      {
        component: component.name,
        command: `${read}${check}`,
        expect: `${answer}, run ${from}; ${nodeIp}${trafficPolicy}. A timeout means a firewall or security group blocks ${pinned === undefined ? 'the node port' : `${pinned}/TCP`}.`,
        ...status,
        ...(runFrom === undefined ? {} : { runFrom }),
      },
    ];
  });
}

/**
 * What kind needs for this port. The first pinned port of the plan carries the whole cluster config;
 * the others name their own entry and point there, so a plan of many components stays linear in size.
 */
function kindMappingNote(component: string, port: PortSpec, pins: ReadonlyMap<string, number>): string {
  const published =
    'kind publishes node ports on the machine only through extraPortMappings, fixed when the cluster is created';
  // The mappings listen on this machine's loopback only (kind-node-ports.ts KIND_LISTEN_ADDRESS); without
  // a listenAddress kind would publish them on every interface of the machine.
  const local = `listening on ${KIND_LISTEN_ADDRESS}, so only this machine connects`;
  const [first] = pins.keys();
  if (nodePortKey(component, port) === first) {
    return `${published}: create it with \`kind create cluster --config kind.yaml\`, kind.yaml holding the mappings of every node port of the plan, each ${local}: ${kindClusterConfig(pins)}`;
  }
  const nodePort = pins.get(nodePortKey(component, port));
  const owner = first === undefined ? 'the first component' : first.slice(0, first.indexOf('/'));
  return `${published}: this one needs ${nodePort === undefined ? 'its entry' : kindPortMapping(nodePort, port.protocol)}, ${local}, part of the cluster config given in the first node-port check (${owner})`;
}

function loadBalancerSteps({
  topology,
  component,
  recommendation,
}: Site<LoadBalancerRecommendation>): VerificationStep[] {
  const address: VerificationStep = {
    component: component.name,
    command: `kubectl get svc ${component.name} -n ${topology.namespace} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
    // AWS's load balancers answer with a DNS name, the others' usually with an IP: a plan speaks of its own platform.
    expect: `A non-empty value such as {"ip":"203.0.113.10"} or {"hostname":"..."}${topology.environment.platform === 'aws' ? ' (AWS gives a DNS name)' : ''}. Empty after a few minutes means EXTERNAL-IP is still <pending>: \`kubectl describe svc ${component.name} -n ${topology.namespace}\` shows why in its events.`,
    expectOutput: ADDRESS_OUTPUT,
  };
  const local = isLocalPlatform(topology.environment.platform);
  // Where the reach checks must run: an internal address answers only inside its network, a public
  // one with allowedSources only to them. On kind or minikube the machine that runs the cluster is
  // where kubectl, and so verify.sh, runs: no location to name.
  const internal = recommendation.scheme === 'internal' || component.exposure !== 'public';
  const runFrom = local
    ? undefined
    : internal
      ? `a host inside the private network${sourcesClause(component)}`
      : sourceHosts(component);
  const from = local
    ? // A pool on kind or minikube hands out addresses of the cluster's Docker or VM network.
      'from the machine that runs the cluster (the pool addresses are on its Docker or VM network)'
    : runFrom === undefined
      ? 'from any host on the internet'
      : `from ${runFrom}${internal ? '' : '; from any other address it must time out'}`;
  const where = runFrom === undefined ? {} : { runFrom };
  const tlsPort = l4TlsPort(topology.environment.platform, component);
  const reach = tcpPorts(component).map((port): VerificationStep => {
    const http = isHttp(component, port);
    if (port === tlsPort && component.host !== undefined) {
      // The load balancer terminates TLS on 443 (routing/l4-tls.ts): ask for the host by name.
      return {
        component: component.name,
        command: `${curlStatus()} --connect-to ${component.host}:${L4_TLS_PORT}:<lb-address>:${L4_TLS_PORT} https://${component.host}${component.path ?? '/'}`,
        expect: `The status ${component.name} returns, with no certificate error, run ${from} (--connect-to keeps ${component.host} as the TLS name); <lb-address> is the ip or hostname from the previous check. "SSL certificate problem" means the certificate ${component.certificate ?? ''} does not cover ${component.host} or is not issued yet.`,
        expectOutput: ANY_STATUS,
        ...where,
      };
    }
    return {
      component: component.name,
      command: http
        ? `${curlStatus(speaksTls(port))} ${speaksTls(port) ? 'https' : 'http'}://<lb-address>:${port.port}/`
        : `nc -zv -w 5 <lb-address> ${port.port}`,
      expect: `${http ? 'An HTTP status code (any code proves the path works)' : 'nc reports the port open'}, run ${from}; <lb-address> is the ip or hostname from the previous check.`,
      ...(http ? { expectOutput: ANY_STATUS } : {}),
      ...where,
    };
  });
  return [address, ...doLoadBalancerTypeStep(topology, component.name), ...reach];
}

function ingressAddressStep(
  { topology, component }: Site,
  ingress: IngressPlan | null,
  routed: Component[],
): VerificationStep {
  const className = ingress?.className ?? topology.environment.ingressController ?? 'the';
  const missing =
    ingress !== null && !ingress.controllerPresent
      ? ` It stays empty until the ${className} controller is installed (the plan assumes one that is not there yet).`
      : ` Empty after a few minutes means no ${className} controller picked the Ingress up: check \`kubectl get ingressclass\`.`;
  return {
    component: component.name,
    command: `kubectl get ingress ${ingress === null ? topology.name : routingIngressName(topology, ingress.className, component, routed)} -n ${topology.namespace} -o jsonpath='{.status.loadBalancer.ingress[0]}'`,
    expect: `A non-empty value such as {"ip":"203.0.113.10"} or {"hostname":"..."}: the address every routed component shares.${missing}`,
    expectOutput: ADDRESS_OUTPUT,
  };
}

/** What the route checks must know about the Ingress as rendered (see renderIngress in routing/ingress.ts). */
type RouteContext = {
  /** The AWS ALB takes its certificates from ACM, never from the tls Secret. */
  alb: boolean;
  /**
   * The ALB's ssl-redirect or GKE's FrontendConfig redirect: once any routed component wants TLS,
   * every HTTP request to the Ingress gets a 301 (routing/gke-https-redirect.ts).
   */
  redirectsToHttps: boolean;
  /** GKE's internal Ingress serving TLS listens on HTTPS only (allow-http "false"): no plain HTTP to check. */
  httpsOnly: boolean;
  /**
   * The components Traefik serves over HTTPS only: their Ingress has TLS, so its routers carry
   * router.tls and answer plain HTTP with a 404 (routing/traefik-ingresses.ts).
   */
  traefikHttpsOnly: ReadonlySet<string>;
  /** GKE's internal Application Load Balancer serves the Ingress: its address answers inside the VPC only. */
  insideVpc: boolean;
};

function ingressRouteStep(site: Site, path: string, route: RouteContext): VerificationStep {
  const { component } = site;
  if (speaksOnlyGrpc(component)) {
    return grpcRouteStep(
      component,
      '<ingress-address>',
      "<ingress-address> is the ip or hostname from the entry point's address check.",
    );
  }
  const host = component.host;
  // verify.sh cannot tell the controller's 404 from the application's own: ROUTE_STATUS fails both.
  const noMatch = `the controller's default 404 means no rule matched ${host ?? ''}${path} (verify.sh fails every 404: if ${component.name} itself answers 404 at ${path}, check the body by hand)`;
  const traefikHttpsOnly = route.traefikHttpsOnly.has(component.name);
  if (host !== undefined && (component.tls === true || traefikHttpsOnly)) {
    const certificate = route.alb
      ? `AWS Certificate Manager has no issued certificate for ${host} (the ALB finds it by host and ignores the tls Secret)`
      : `the certificate Secret for ${host} is missing or not issued yet`;
    return {
      component: component.name,
      command: `${curlStatus()} --connect-to ${host}:443:<ingress-address>:443 https://${host}${path}`,
      expect: `The status ${component.name} returns for ${path}, with no certificate error (--connect-to keeps ${host} as the TLS name)${component.tls === true ? '' : `: another component on ${host} wants TLS, so Traefik serves the whole host over HTTPS only`}. "SSL certificate problem" means ${certificate}; ${noMatch}.`,
      expectOutput: ROUTE_STATUS,
    };
  }
  const command =
    host === undefined
      ? `${curlStatus()} http://<ingress-address>${path}`
      : `${curlStatus()} -H 'Host: ${host}' http://<ingress-address>${path}`;
  if (route.httpsOnly) {
    return {
      component: component.name,
      command:
        host === undefined
          ? `${curlStatus(true)} https://<ingress-address>${path}`
          : `${curlStatus(true)} -H 'Host: ${host}' https://<ingress-address>${path}`,
      expect: `The status ${component.name} returns for ${path}, over HTTPS: the internal GKE Ingress serves HTTPS only (kubernetes.io/ingress.allow-http "false", set because another routed component wants TLS and gce-internal cannot redirect), with the certificate of another host, hence -k; ${noMatch}. <ingress-address> is the ip from the Ingress address check.`,
      expectOutput: ROUTE_STATUS,
    };
  }
  if (route.redirectsToHttps) {
    const redirect = route.alb
      ? `the ALB redirects every HTTP request to HTTPS (ssl-redirect, set because another routed component wants TLS), so ${component.name} is served over HTTPS too and needs an ACM certificate for ${host ?? 'the name clients use'}`
      : `GKE redirects every HTTP request to HTTPS (the FrontendConfig the plan names on the Ingress, set because another routed component wants TLS), so ${component.name} is served over HTTPS too and needs a certificate for ${host ?? 'the name clients use'} in the Ingress's tls`;
    return {
      component: component.name,
      command,
      expect: `301: ${redirect}; any other code means the redirect is missing. <ingress-address> is the ip or hostname from the Ingress address check.`,
      expectOutput: REDIRECT_STATUS,
    };
  }
  return {
    component: component.name,
    command,
    expect: `The status ${component.name} returns for ${path}; ${noMatch}. <ingress-address> is the ip or hostname from the Ingress address check.`,
    expectOutput: ROUTE_STATUS,
  };
}

/**
 * A component's route checks. Behind a redirect of every HTTP request (the ALB's ssl-redirect, GKE's
 * FrontendConfig) the plain-HTTP request answers 301 to every client, whatever its address: "Once
 * enabled SSLRedirect, every HTTP listener will be configured with default action which redirects
 * to HTTPS, other rules will be ignored"
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#ssl-redirect).
 * So the allowedSources expectation goes to a request over HTTPS, where the rules and their
 * source-ip condition apply, never to the redirect.
 */
function routeSteps(site: Site, path: string, route: RouteContext, ingress: IngressPlan): VerificationStep[] {
  const { component } = site;
  const step = ingressRouteStep(site, path, route);
  const steps =
    step.expectOutput !== REDIRECT_STATUS || !sourcesEnforcedAtL7(ingress.className, component)
      ? [withSourcesExpectation(step, component, ingress)]
      : [step, withSourcesExpectation(httpsBehindRedirect(component, path, route), component, ingress)];
  return route.insideVpc ? steps.map(insideVpc) : steps;
}

/**
 * A route of GKE's internal Application Load Balancer: its address is a private one of the VPC's
 * region (https://cloud.google.com/kubernetes-engine/docs/concepts/ingress-ilb), so from anywhere
 * else the request gets no answer and a correct plan fails the check.
 */
function insideVpc(step: VerificationStep): VerificationStep {
  return {
    ...step,
    expect: `${step.expect} Run it from a host inside the VPC: the internal load balancer's address answers nowhere else.`,
    runFrom: step.runFrom === undefined ? 'a host inside the VPC' : `a host inside the VPC, ${step.runFrom}`,
  };
}

/** The HTTPS request a redirected route ends at: by host with --connect-to, or by address (-k) without a host. */
function httpsBehindRedirect(component: Component, path: string, route: RouteContext): VerificationStep {
  const host = component.host;
  const certificate = route.alb
    ? `AWS Certificate Manager has no issued certificate for ${host ?? 'the name clients use'}`
    : `the Ingress's tls has no certificate for ${host ?? 'the name clients use'}`;
  return {
    component: component.name,
    command:
      host === undefined
        ? `${curlStatus(true)} https://<ingress-address>${path}`
        : `${curlStatus()} --connect-to ${host}:443:<ingress-address>:443 https://${host}${path}`,
    expect: `The status ${component.name} returns for ${path} over HTTPS, where the redirect of the previous check leads${host === undefined ? ' (-k: no host to name a certificate)' : `, with no certificate error (--connect-to keeps ${host} as the TLS name). "SSL certificate problem" means ${certificate}`}; the controller's default 404 means no rule matched (verify.sh fails every 404: if ${component.name} itself answers 404 at ${path}, check the body by hand). <ingress-address> is the ip or hostname from the Ingress address check.`,
    expectOutput: ROUTE_STATUS,
  };
}

/** Where the Ingress restricts the route to allowedSources (routing/sources.ts), what a client outside them gets. */
function withSourcesExpectation(
  step: VerificationStep,
  component: Component,
  ingress: IngressPlan | null,
): VerificationStep {
  // Only GKE's internal Ingress adds a location of its own (inside the VPC, insideVpc), after this.
  const runFrom = sourceHosts(component);
  if (runFrom === undefined || ingress === null || !sourcesEnforcedAtL7(ingress.className, component)) {
    return step;
  }
  const refusal = isAlbClass(ingress.className)
    ? "404 (the ALB's default action)"
    : // Traefik judges the address it sees, which may not be the client's (routing/proxy-client-address.ts).
      "403 Forbidden (EXP040 says when Traefik sees another address than the client's)";
  return {
    ...step,
    expect: `${step.expect} Run it from ${runFrom}; from any other address the answer must be ${refusal}.`,
    runFrom,
  };
}

/**
 * The headless Service publishes not-ready pods too (publishNotReadyAddresses, so StatefulSet peers
 * find each other while they start): its DNS answers for every pod that has an address, ready or not.
 * So these checks resolve names; readiness is the endpoints check of the component's own Service.
 */
function headlessSteps({ topology, component }: Site): VerificationStep[] {
  const headless = headlessServiceName(component.name);
  const steps: VerificationStep[] = [
    {
      component: component.name,
      command: `${testPod(podName(component.name, 'headless'), BUSYBOX_IMAGE, topology.namespace)} -- nslookup ${serviceHost(headless, topology.namespace)}`,
      expect: `One address per pod that is running, ready or not (${headless} publishes not-ready pods so peers find each other while they start; ${allPods(component)}), not a single cluster IP. No address means no pod runs or the selector ${describeLabels(component.labels)} matches nothing.`,
      expectOutput: NSLOOKUP_ADDRESS,
    },
  ];
  if (component.workload === 'StatefulSet') {
    steps.push({
      component: component.name,
      command: `${testPod(podName(component.name, 'pod-0'), BUSYBOX_IMAGE, topology.namespace)} -- nslookup ${component.name}-0.${serviceHost(headless, topology.namespace)}`,
      expect: `The address of pod ${component.name}-0 (a StatefulSet named ${component.name}), as soon as the pod has one, before it is ready. NXDOMAIN means the StatefulSet's serviceName is not ${headless}, so its pods get no stable names, or pod ${component.name}-0 does not exist yet.`,
      expectOutput: NSLOOKUP_ADDRESS,
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

/**
 * The full name, which assumes the cluster domain cluster.local. `<service>.<namespace>.svc` would
 * not: the resolver's search list (kubelet writes `<ns>.svc.<domain> svc.<domain> <domain>`) would
 * complete it. But busybox nslookup (FEATURE_NSLOOKUP_BIG, its default) applies the search list
 * only to a name without a dot, and queries a dotted name as written
 * (add_query_with_search in networking/nslookup.c, mirror/busybox tag 1_36_1); a bare `<service>`
 * is tried with every search domain, and each NXDOMAIN among them makes it exit 1.
 */
function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/** Test pods are named tmp-<component>-<what>; kubectl also uses the name as the `run` label value, at most 63 characters. */
export function podName(component: string, suffix: string): string {
  const tail = `-${suffix}`;
  const head = `tmp-${component}`.slice(0, 63 - tail.length).replace(/-+$/, '');
  return `${head}${tail}`;
}

function allPods(component: Component): string {
  if (component.workload === 'DaemonSet') {
    return 'one per node that runs a pod';
  }
  return component.replicas === 1
    ? 'one for its single replica'
    : `${component.replicas} for ${component.replicas} replicas`;
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
