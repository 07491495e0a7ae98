import { classifyPort, speaksTls } from '../http.js';
import { ingressBackendPort } from '../manifest-conventions.js';
import { publishedPorts } from '../ports.js';
import type { Component, Platform, PortSpec } from '../types.js';
import { isAlbClass } from './classes.js';

/**
 * TLS terminated by an L4 load balancer, where the provider can do it with a certificate the
 * topology names (`components[].certificate`):
 *  - AWS: the AWS Load Balancer Controller opens an NLB TLS listener on the ports listed in
 *    `aws-load-balancer-ssl-ports`, with the ACM certificate in `aws-load-balancer-ssl-cert`; the
 *    backend protocol stays `tcp` (its default), so the NLB sends plain HTTP to the pod:
 *    https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/service/annotations.md#tls
 *  - DigitalOcean: the cloud controller makes the ports in `do-loadbalancer-tls-ports` HTTPS
 *    forwarding rules with the certificate `do-loadbalancer-certificate-id`, the others follow
 *    `do-loadbalancer-protocol` (http here):
 *    https://github.com/digitalocean/digitalocean-cloud-controller-manager/blob/master/docs/controllers/services/annotations.md
 *    It does so on a REGIONAL load balancer only, the type manifests.ts writes on every DigitalOcean
 *    Service (`do-loadbalancer-type`): for the default type since v0.1.61, REGIONAL_NETWORK,
 *    `buildRegionalNetworkForwardingRule` makes every port a plain TCP or UDP rule and never reads
 *    the certificate (cloud-controller-manager/do/loadbalancers.go, commit 70d527e38).
 * Other platforms have no certificate a Service annotation can name: their TLS is a tls Secret
 * served by an Ingress or a Gateway.
 *
 * The TLS listener is on Service port 443, whatever port the component declared, because clients
 * of `https://<host>` connect to 443; it forwards to the same container port (targetPort) as the
 * declared port did. In the cluster the Service port is 443 too (plain HTTP, the load balancer
 * is not on that path).
 *
 * On AWS a published UDP port 443 leaves no room for it: an NLB has one listener per port, and
 * the one listener that carries TCP and UDP on a port, TCP_UDP, takes no certificate (the AWS Load
 * Balancer Controller skips TLS for it: pkg/service/model_build_listener.go `buildListenerSpec`,
 * commit 225f445). The plan then renders no TLS listener and says so (`l4TlsBlocked`).
 */

export const L4_TLS_PORT = 443;

export type CertificatePlatform = 'aws' | 'digitalocean';

const AWS_SSL_CERT = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';
const AWS_SSL_PORTS = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';
const DO_PROTOCOL = 'service.beta.kubernetes.io/do-loadbalancer-protocol';
const DO_TLS_PORTS = 'service.beta.kubernetes.io/do-loadbalancer-tls-ports';
const DO_CERTIFICATE = 'service.beta.kubernetes.io/do-loadbalancer-certificate-id';
const DO_TLS_PASSTHROUGH = 'service.beta.kubernetes.io/do-loadbalancer-tls-passthrough';

/** The DigitalOcean load balancer type: REGIONAL proxies (HTTP, TLS, firewall), REGIONAL_NETWORK passes packets through. */
export const DO_LOADBALANCER_TYPE = 'service.beta.kubernetes.io/do-loadbalancer-type';
export const DO_REGIONAL = 'REGIONAL';

/** The ALB annotation that names ACM certificates outright instead of discovering them by host. */
export const ALB_CERTIFICATE_ARN = 'alb.ingress.kubernetes.io/certificate-arn';

/** An ACM certificate ARN: arn:<partition>:acm:<region>:<account>:certificate/<id>. */
export const ACM_CERTIFICATE_ARN_PATTERN =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A DigitalOcean certificate id, as `doctl compute certificate list` prints it (a UUID). */
export const DO_CERTIFICATE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function certificatePlatform(platform: Platform): CertificatePlatform | undefined {
  return platform === 'aws' || platform === 'digitalocean' ? platform : undefined;
}

/** What `certificate` means on a platform, for messages. */
export function certificateKind(platform: CertificatePlatform): string {
  return platform === 'aws'
    ? 'an AWS Certificate Manager certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)'
    : 'a DigitalOcean certificate id (a UUID, from `doctl compute certificate list`)';
}

/**
 * The port a load balancer of this component terminates TLS for: its HTTP port (the one an
 * Ingress would route to), when the component asks for TLS, names a certificate the platform
 * reads, and that port is plain HTTP over TCP (a pod that serves TLS itself needs no termination).
 */
export function l4TlsPort(platform: Platform, component: Component): PortSpec | undefined {
  const port = l4TlsCandidate(platform, component);
  return port === undefined || l4TlsBlocked(platform, component) !== undefined ? undefined : port;
}

/** The port l4TlsPort would move to 443, before asking whether 443 is free. */
function l4TlsCandidate(platform: Platform, component: Component): PortSpec | undefined {
  if (component.tls !== true || component.certificate === undefined || certificatePlatform(platform) === undefined) {
    return undefined;
  }
  if (component.ports.length === 0) {
    return undefined;
  }
  const port = ingressBackendPort(component);
  return port.protocol === 'TCP' && classifyPort(port, component.role).http && !speaksTls(port) ? port : undefined;
}

/**
 * Why the load balancer cannot terminate TLS for a component that has everything else for it
 * (certificate, plain HTTP port over TCP), or undefined: on AWS, a published UDP port 443, which
 * takes the NLB's port 443 (see the module comment).
 */
export function l4TlsBlocked(platform: Platform, component: Component): string | undefined {
  const candidate = l4TlsCandidate(platform, component);
  if (candidate === undefined) {
    return undefined;
  }
  const taken = publishedPorts(component).filter((port) => port !== candidate && port.port === L4_TLS_PORT);
  // A TCP port 443 of its own: moving the HTTP port there too would list 443/TCP twice, which the
  // API server refuses (a Service port is unique by number and protocol).
  const tcp = taken.find((port) => port.protocol === 'TCP');
  if (tcp !== undefined) {
    return `its TCP port ${tcp.name ?? L4_TLS_PORT} already takes the load balancer's port 443, where the TLS listener would go (a Service lists each port and protocol once)`;
  }
  const udp = platform === 'aws' ? taken.find((port) => port.protocol === 'UDP') : undefined;
  return udp === undefined
    ? undefined
    : `its UDP port ${udp.name ?? L4_TLS_PORT} holds the NLB's port 443, where the TLS listener would go: an NLB has one listener per port, and the one that carries TCP and UDP together (TCP_UDP) takes no certificate`;
}

/** The Service annotations of the TLS listener; none where the load balancer serves no TLS. */
export function l4TlsAnnotations(platform: Platform, component: Component): Record<string, string> {
  const port = l4TlsPort(platform, component);
  if (port === undefined || component.certificate === undefined) {
    return {};
  }
  return platform === 'aws'
    ? { [AWS_SSL_CERT]: component.certificate, [AWS_SSL_PORTS]: String(L4_TLS_PORT) }
    : {
        [DO_PROTOCOL]: 'http',
        [DO_TLS_PORTS]: String(L4_TLS_PORT),
        [DO_CERTIFICATE]: component.certificate,
      };
}

/** The component's ports as a LoadBalancer Service publishes them: the TLS port moved to 443. */
export function withL4TlsPort(platform: Platform, component: Component): PortSpec[] {
  const tlsPort = l4TlsPort(platform, component);
  return tlsPort === undefined
    ? component.ports
    : component.ports.map((port) =>
        port === tlsPort ? { ...port, port: L4_TLS_PORT, targetPort: port.targetPort } : port,
      );
}

/** A rationale line for a component that asks for TLS and gets its own L4 entry point (a LoadBalancer or node ports). */
export function l4TlsNote(
  platform: Platform,
  component: Component,
  serviceType: 'LoadBalancer' | 'NodePort',
): string[] {
  if (component.tls !== true) {
    return [];
  }
  const port = serviceType === 'LoadBalancer' ? l4TlsPort(platform, component) : undefined;
  const published = component.ports.filter((candidate) => candidate.exposure !== 'internal' && !speaksTls(candidate));
  const passThrough = published.filter((candidate) => !classifyPort(candidate, component.role).http);
  const passThroughNote = passThroughTlsNote(component, passThrough, serviceType);
  if (port !== undefined) {
    const how =
      platform === 'aws'
        ? `an NLB TLS listener with the ACM certificate ${component.certificate} (aws-load-balancer-ssl-cert, aws-load-balancer-ssl-ports "443")`
        : `an HTTPS forwarding rule with the DigitalOcean certificate ${component.certificate} (do-loadbalancer-certificate-id, do-loadbalancer-tls-ports "443") on the REGIONAL load balancer the plan asks for (do-loadbalancer-type)`;
    return [
      `tls: true holds on its own load balancer: ${how} terminates TLS on port 443, where https://${component.host ?? '<host>'} connects, and forwards plain HTTP to container port ${port.targetPort} (the Service port is 443 instead of ${port.port}; in-cluster callers use 443 too, in plain HTTP)`,
      ...passThroughNote,
    ];
  }
  if (published.length === passThrough.length) {
    return passThroughNote;
  }
  const platformKind = certificatePlatform(platform);
  const blocked = serviceType === 'LoadBalancer' ? l4TlsBlocked(platform, component) : undefined;
  const why =
    serviceType === 'NodePort'
      ? 'node ports pass the connection through, so nothing in front of the pod terminates TLS'
      : blocked !== undefined
        ? `the certificate is not used: ${blocked}; move that port off 443, or serve TLS from the pod`
        : platformKind === undefined
          ? 'an L4 load balancer on this platform takes no certificate from a Service, so it serves plain HTTP'
          : component.certificate === undefined
            ? `without a certificate the L4 load balancer serves plain HTTP; set certificate to ${certificateKind(platformKind)} and the plan renders the TLS listener`
            : 'the certificate needs a plain HTTP port over TCP to terminate TLS in front of, and this component has none';
  // EXP006 judges public components, EXP025 the others (findings/checks.ts).
  const finding = component.exposure === 'public' ? 'EXP006' : 'EXP025';
  return [
    `tls: true is NOT enforced on its own ${serviceType === 'NodePort' ? 'node ports' : 'load balancer'}: ${why}; otherwise route it through an Ingress or Gateway with a tls Secret, or terminate TLS in the pod (finding ${finding})`,
    ...passThroughNote,
  ];
}

/** The rationale line for published ports that are neither HTTP nor TLS: no certificate applies to them (EXP036). */
function passThroughTlsNote(
  component: Component,
  ports: PortSpec[],
  serviceType: 'LoadBalancer' | 'NodePort',
): string[] {
  if (ports.length === 0) {
    return [];
  }
  const protocols = [...new Set(ports.map((port) => port.protocol))].join(' and ');
  const names = ports.map((port) => (port.name === undefined ? `${port.port}/${port.protocol}` : port.name)).join(', ');
  const certificate =
    component.certificate === undefined
      ? ''
      : ` (the certificate given is used only in front of a plain HTTP port over TCP)`;
  return [
    `tls: true is NOT enforced on ${names}: ${ports.length === 1 ? 'it is' : 'they are'} not HTTP, so its own ${serviceType === 'NodePort' ? 'node ports pass' : 'load balancer passes'} ${ports.length === 1 ? 'it' : 'them'} through as plain ${protocols} and no certificate applies${certificate}; the traffic is encrypted only if ${component.name} speaks TLS there itself (name such a port with a tls prefix or give it appProtocol tls to say so; finding EXP036)`,
  ];
}

/** Why a lone public HTTP component that asks for TLS goes through the Ingress rather than its own L4 load balancer. */
export function loneTlsReason(platform: Platform, component: Component, product: string): string {
  const blocked = l4TlsBlocked(platform, component);
  return l4TlsPort(platform, component) !== undefined
    ? `it asks for TLS (tls: true); its own L4 ${product} could terminate it with the certificate given, but the Ingress also redirects HTTP to HTTPS and lets the next public component share its load balancer`
    : `it asks for TLS (tls: true), which its own L4 ${product} would not terminate (${certificatePlatform(platform) === undefined ? 'a LoadBalancer Service here takes no certificate' : blocked !== undefined ? blocked : 'no certificate is given'}, so it would serve plain HTTP)`;
}

/**
 * A rationale line for a routed component that names a certificate the L7 entry point does not
 * read: only the ALB Ingress takes one by reference (certificate-arn); every other Ingress class
 * and Gateway serve the tls Secret (or, on AWS Gateway, find the ACM certificate by host).
 */
export function routedCertificateNote(component: Component, readsCertificate: boolean): string[] {
  return component.certificate === undefined || readsCertificate
    ? []
    : [
        `certificate ${component.certificate} is not used: ${component.name} is routed through the shared L7 entry point, which serves the tls Secret ${component.name}-tls, not a certificate by reference (it would be used on a load balancer of its own)`,
      ];
}

/** The clause an alternative "its own load balancer" adds for a component that asks for TLS. */
export function l4TlsAlternativeClause(platform: Platform, component: Component): string {
  if (component.tls !== true) {
    return '';
  }
  if (l4TlsPort(platform, component) !== undefined) {
    return ' (its TLS listener on 443 would use the certificate given)';
  }
  const blocked = l4TlsBlocked(platform, component);
  if (blocked !== undefined) {
    return ` (it would serve plain HTTP, so tls: true would not hold: ${blocked})`;
  }
  const platformKind = certificatePlatform(platform);
  return platformKind === undefined
    ? ' (an L4 load balancer here takes no certificate, so tls: true would not hold)'
    : ` (with no certificate it would serve plain HTTP: set certificate to ${certificateKind(platformKind)} for a TLS listener)`;
}

/**
 * With the shared ALB, the certificates routed components name go in certificate-arn: the ALB then
 * uses them instead of discovering ACM certificates by host, so a certificate for another name or
 * in another account is still served:
 * https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/ingress/annotations.md#certificate-arn
 */
export function albCertificateAnnotations(className: string, routed: Component[]): Record<string, string> {
  if (!isAlbClass(className)) {
    return {};
  }
  const arns = [
    ...new Set(
      routed
        .filter((component) => component.tls === true && component.certificate !== undefined)
        .map((component) => component.certificate as string),
    ),
  ];
  return arns.length === 0 ? {} : { [ALB_CERTIFICATE_ARN]: arns.join(',') };
}

/** The host a named certificate was given for that serves `host` (itself, or a wildcard one label above it). */
export function albCertifiedHostFor(certified: readonly string[], host: string): string | undefined {
  return certified.find((named) => certificateNameCovers(named, host));
}

/** Whether a certificate given for `named` serves `host`: the same name, or a wildcard one label above it. */
function certificateNameCovers(named: string, host: string): boolean {
  if (named === host) {
    return true;
  }
  const suffix = named.slice(1);
  const label = host.slice(0, host.length - suffix.length);
  return named.startsWith('*.') && host.endsWith(suffix) && label !== '' && !label.includes('.');
}

/**
 * The hosts on the shared ALB that a certificate was named for (albCertificateAnnotations), or
 * undefined when none is named.
 */
export function albCertifiedHosts(className: string, routed: Component[]): string[] | undefined {
  if (albCertificateAnnotations(className, routed)[ALB_CERTIFICATE_ARN] === undefined) {
    return undefined;
  }
  return [
    ...new Set(
      routed.flatMap((component) =>
        component.tls === true && component.certificate !== undefined && component.host !== undefined
          ? [component.host]
          : [],
      ),
    ),
  ];
}

/**
 * The routed components with a host the shared ALB serves with no certificate given for it: once
 * certificate-arn names any certificate, the controller discovers none by host for that Ingress
 * (computeIngressListenPortConfigByPort runs discovery only `if containsHTTPSPort &&
 * len(explicitTLSCertARNs) == 0`, pkg/ingress/model_build_listener.go l.133-190,
 * kubernetes-sigs/aws-load-balancer-controller at 225f445), so a host no named certificate was
 * given for (the same name, or a wildcard one label above it) gets one of the named ones, for
 * another name. Components without tls: true count too: ssl-redirect sends them to HTTPS as well.
 * Host-less ones do not: discovery never had a host to find theirs by, named certificates or not.
 * Splitting them onto a second Ingress of one IngressGroup would keep discovery for them (each
 * member computes its own certificates, and the group takes them all: mergeListenPortConfigs,
 * pkg/ingress/model_builder.go l.331-349 and l.387-480), but the plan renders one Ingress: EXP039 says so instead.
 */
export function albHostsWithoutCertificate(className: string, routed: Component[]): Component[] {
  const certified = albCertifiedHosts(className, routed);
  if (certified === undefined) {
    return [];
  }
  return routed.filter((component) => {
    if (component.tls === true && component.certificate !== undefined) {
      return false;
    }
    const host = component.host;
    return host !== undefined && !certified.some((named) => certificateNameCovers(named, host));
  });
}

// ─── reading a rendered Service ──────────────────────────────────────────────────────────────────

function listAnnotation(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Whether a rendered Service's load balancer terminates TLS on this Service port, read from its
 * annotations as the controllers read them: AWS, a certificate and the port in ssl-ports (every
 * port when ssl-ports is absent), unless the port is also served over UDP (`sharesUdp`: a TCP_UDP
 * listener, or none, takes its place); DigitalOcean, a REGIONAL load balancer (do-loadbalancer-type:
 * absent, the cloud controller's default is REGIONAL_NETWORK, which serves no TLS), a certificate
 * (not passthrough) and the port in tls-ports (443 when tls-ports is absent), or every port with
 * protocol https.
 */
export function loadBalancerTerminatesTls(
  annotations: Record<string, string> | undefined,
  port: { port: number; name?: string; sharesUdp?: boolean },
): boolean {
  if (annotations === undefined) {
    return false;
  }
  const matches = (list: string[]) =>
    list.includes(String(port.port)) || (port.name !== undefined && list.includes(port.name));
  if (annotations[AWS_SSL_CERT] !== undefined && annotations[AWS_SSL_CERT].trim() !== '' && port.sharesUdp !== true) {
    const ports = listAnnotation(annotations[AWS_SSL_PORTS]);
    if (ports === undefined || matches(ports)) {
      return true;
    }
  }
  if (
    annotations[DO_CERTIFICATE] !== undefined &&
    annotations[DO_TLS_PASSTHROUGH] !== 'true' &&
    annotations[DO_LOADBALANCER_TYPE] === DO_REGIONAL
  ) {
    if (annotations[DO_PROTOCOL] === 'https' || annotations[DO_PROTOCOL] === 'http2') {
      return true;
    }
    const ports = listAnnotation(annotations[DO_TLS_PORTS]) ?? [String(L4_TLS_PORT)];
    return ports.includes(String(port.port));
  }
  return false;
}
