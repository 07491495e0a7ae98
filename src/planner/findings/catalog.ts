import { NODE_PORT_RANGE } from '../rules.js';
import type { Severity } from '../types.js';

/**
 * Security findings for a plan. Ids are stable and never renumbered: dashboards, suppressions and
 * docs/findings.md refer to them. A retired check keeps its id reserved (EXP019, retired in engine 1.4.0: docs/findings.md);
 * a new check takes the next one.
 */
export const FINDING_IDS = [
  'EXP001',
  'EXP002',
  'EXP003',
  'EXP004',
  'EXP005',
  'EXP006',
  'EXP007',
  'EXP008',
  'EXP009',
  'EXP010',
  'EXP011',
  'EXP012',
  'EXP013',
  'EXP014',
  'EXP015',
  'EXP016',
  'EXP017',
  'EXP018',
  'EXP020',
  'EXP021',
  'EXP022',
  'EXP023',
  'EXP025',
  'EXP028',
  'EXP029',
  'EXP030',
  'EXP031',
  'EXP032',
  'EXP033',
  'EXP034',
  'EXP035',
  'EXP036',
  'EXP037',
  'EXP038',
  'EXP039',
  'EXP040',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export type FindingCatalogEntry = {
  /** The usual severity. */
  severity: Severity;
  /** The one situation that raises the severity, and to what. */
  raised?: { severity: Severity; when: string };
  title: string;
  /** Why it matters, for docs/findings.md. */
  why: string;
  /** Why this severity, in one line, for docs/findings.md. */
  severityReason: string;
  /** `{name}` slots are filled per finding; a slot without a value is a bug (assessSecurity throws). */
  remediation: string;
};

export const FINDING_CATALOG: Readonly<Record<FindingId, FindingCatalogEntry>> = {
  EXP001: {
    severity: 'high',
    raised: {
      severity: 'critical',
      when: 'unless allowedSources narrow it to a /24 or smaller (IPv6: a /64 or smaller)',
    },
    title: 'Data store requested public',
    why: 'A database, cache or queue on the internet is probed by scanners within minutes; weak or default credentials or one unpatched flaw then hands over the data itself.',
    severityReason:
      'Direct internet reach to the data, one credential away from a breach; high, not critical, when every allowed source is one network of at most 256 addresses (IPv6: one /64 subnet), so scanners do not reach it.',
    remediation:
      'Keep {component} in-cluster (ClusterIP) and set its exposure to internal. People reach it with `kubectl port-forward -n {namespace} svc/{component} {localPort}:{port}`, other networks through a bastion or VPN, a VM outside the cluster through an internal load balancer whose allowedSources is that VM alone (/32). If the internet needs the data, put an API in front of the store.',
  },
  EXP002: {
    severity: 'high',
    title: 'Data store requested reachable from outside the cluster',
    why: "Private networks are shared: every host on the VPC, VPN or peered network can try the store's credentials, and one compromised neighbour reaches the data directly.",
    severityReason: 'Reachable by many hosts nobody here controls, though not by the whole internet.',
    remediation:
      'Prefer `kubectl port-forward -n {namespace} svc/{component} {localPort}:{port}` or a bastion for people. If a host outside the cluster must connect, list only that host in allowedSources (a /32, not a subnet), require TLS and authentication on the store, and keep the NetworkPolicy limited to the planned callers.',
  },
  EXP003: {
    severity: 'medium',
    raised: {
      severity: 'high',
      when: 'when the component is public, or gives allowedSources that nothing the plan renders enforces; except on kind and minikube',
    },
    title: 'NodePort opens the port on every node',
    why: 'Every node listens on the node port (by default on all its addresses with kube-proxy in iptables or ipvs mode, on its primary address in nftables mode), whether or not it runs a pod of the component. A Service cannot restrict who connects, and with externalTrafficPolicy Cluster the pod sees a node address, so NetworkPolicy ipBlock rules cannot filter the real clients either.',
    severityReason:
      "Widens the attack surface to every node; high when public, because the node addresses are then on the internet, and high when allowedSources are given but the pods see a node's address, so the NetworkPolicy admits every address and the plan renders no firewall: the stated sources hold nowhere. Not on kind and minikube: the plan maps kind's node ports on 127.0.0.1 of the local machine, and minikube's node is a container or a VM there.",
    remediation:
      "Allow {ports} only from {sources} in the nodes' firewall or cloud security group{preserve}, and limit kube-proxy to one interface with --nodeport-addresses. On a cloud prefer an internal LoadBalancer or the Ingress to a NodePort.",
  },
  EXP004: {
    severity: 'high',
    title: 'LoadBalancer without source ranges for a non-public component',
    why: 'Without loadBalancerSourceRanges a load balancer accepts any address that can route to it: for an internal one every host of the VPC and of peered or VPN networks, for an internet-facing one the whole internet.',
    severityReason: 'The component is meant for a known audience but is open to everyone on the network.',
    remediation:
      'List the CIDRs that must reach {component} in allowedSources (the plan writes them to spec.loadBalancerSourceRanges) and check the provider enforces them: {enforcement}',
  },
  EXP005: {
    severity: 'info',
    title: 'Public LoadBalancer open to the whole internet',
    why: 'This is the intended design for a public service. It is listed so that nobody takes it for an oversight, and so that the remaining defences (TLS, authentication, rate limits) get attention.',
    severityReason: 'Intended exposure; nothing to fix unless the audience is narrower than the internet.',
    remediation:
      'If only known networks need {component}, list them in allowedSources. Otherwise keep the exposure and harden the service itself: TLS, authentication, rate limiting or a WAF in front.',
  },
  EXP006: {
    severity: 'medium',
    raised: { severity: 'high', when: 'in the production stage, or when the component set tls: true' },
    title: 'Public HTTP without TLS',
    why: 'Plain HTTP across the internet shows credentials, cookies and data to anyone on the path and lets them change responses; browsers mark such sites as not secure.',
    severityReason:
      "Outside production the data is usually test data; in production real users' credentials cross the wire.",
    remediation: 'Serve {component} over HTTPS only: {fix} Then redirect HTTP to HTTPS and send HSTS.',
  },
  EXP007: {
    severity: 'high',
    title: 'LoadBalancer that this cluster cannot provision',
    why: 'Without a cloud controller or a bare-metal load-balancer implementation, a LoadBalancer Service never gets an address: EXTERNAL-IP stays <pending> and the component is not reachable the way the plan says.',
    severityReason:
      'The planned entry point does not exist, and the usual workarounds (hostNetwork, externalIPs) are riskier than the plan.',
    remediation: 'Give the cluster a load-balancer implementation or change the entry point: {fix}',
  },
  EXP008: {
    severity: 'info',
    title: 'externalTrafficPolicy Local keeps the client IP, with trade-offs',
    why: "Local keeps the client source address (no SNAT), but nodes without a ready pod of the component drop the traffic: load balancers must health-check every node (spec.healthCheckNodePort), traffic is spread per node rather than per pod, and draining the last pod on a node fails that node's health check.",
    severityReason: 'A deliberate trade-off the plan made because preserveClientIp was asked for.',
    remediation:
      "Spread {component}'s pods over the nodes that receive traffic (topologySpreadConstraints or enough replicas) and expect uneven load when the pods per node differ. If the client address is only needed at the HTTP level, prefer Cluster with X-Forwarded-For or proxy protocol.",
  },
  EXP009: {
    severity: 'low',
    title: 'Pinned nodePort outside the static band',
    why: 'Since Kubernetes 1.29 (KEP-3668) the node-port range is split in two bands: automatic allocation takes ports from the upper band first, so a port pinned there may already belong to an auto-assigned Service, and creating this Service then fails.',
    severityReason: 'A failed deployment, not an exposure, and only when the port was taken first.',
    remediation: `Pin {component}'s node ports inside the static band {band} (default range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}), or drop the pin and let Kubernetes assign one.`,
  },
  EXP010: {
    severity: 'medium',
    title: 'ExternalName: clients send the Service name as Host and TLS SNI',
    why: 'An ExternalName Service is only a DNS CNAME: clients still connect to the Service name, send it as HTTP Host and TLS SNI, and check the server certificate against it. HTTPS and hostname-verified TLS to the external host fail, and the usual workaround, turning certificate checks off, opens the connection to interception.',
    severityReason: 'Breaks TLS to the dependency and invites disabling certificate verification.',
    remediation:
      "Configure {component}'s clients to connect to {externalName} by that name whenever they use TLS or virtual hosting (keep the Service for discovery), or send them through an egress proxy that originates TLS to {externalName}. Never turn certificate verification off to make it work.",
  },
  EXP011: {
    severity: 'low',
    title: 'ExternalName is a DNS redirect that anyone who can edit the Service controls',
    why: 'Whoever can update the Service can point in-cluster clients at any host and read their traffic: the man-in-the-middle class of CVE-2020-8554 (which concerns externalIPs and LoadBalancer status), and the reason Trivy KSV-0108 flags ExternalName names outside an allow-list. Ingress controllers that accept ExternalName backends can also be made to proxy to arbitrary hosts.',
    severityReason: 'Needs a second weakness (write access to Services in the namespace) before it can be used.',
    remediation:
      'Grant update and patch on services in {namespace} only to the platform team, allow-list external names with an admission policy (ValidatingAdmissionPolicy, Kyverno or Gatekeeper), and never use {component} as an Ingress backend.',
  },
  EXP012: {
    severity: 'high',
    raised: { severity: 'critical', when: 'when the component is public, except on kind and minikube' },
    title: 'Administrative or database port exposed outside the cluster',
    why: 'SSH, RDP, container-runtime, Kubernetes control-plane and database ports are the first ports scanners try; one weak credential or unauthenticated API (Docker on 2375, a kubelet) gives control of the workload or the node.',
    severityReason:
      'High when reachable from private networks; critical when public, where these ports are brute-forced around the clock. Not critical on kind and minikube, whose node addresses stay on the local machine.',
    remediation:
      "Take {ports} off {component}'s exposed Service (a separate ClusterIP Service can keep them in-cluster) and reach them with `kubectl port-forward` or `kubectl exec`, or through a bastion or VPN, never through an outside entry point.",
  },
  EXP013: {
    severity: 'medium',
    title: 'Component not selected by any NetworkPolicy',
    why: "Pods that no NetworkPolicy selects accept traffic from every pod of the cluster, so one compromised workload anywhere can reach them; the plan's default-deny-ingress policy selects every pod of the plan, workers without ports included (every pod of the namespace with environment.ownsNamespace).",
    severityReason: 'Lateral movement inside the cluster, not direct exposure to the outside.',
    remediation:
      "Apply the plan's NetworkPolicies in {namespace}: default-deny-ingress (the plan's pods, workers included, or the whole namespace with environment.ownsNamespace), which selects {labels}, and allow-{component} where something may reach it. Check with `kubectl get networkpolicy -n {namespace}`, on a network plugin that enforces NetworkPolicy (Calico, Cilium and others).",
  },
  EXP014: {
    severity: 'medium',
    title: 'Ingress controller not installed',
    why: "An Ingress does nothing until a controller for its class runs: the plan's public routes stay dark, and the controller you install becomes the internet-facing entry point of every routed component.",
    severityReason:
      'Nothing is exposed yet, but the plan is incomplete and the missing piece is the security-relevant edge.',
    remediation:
      'Install the controller for IngressClass {className} before applying the Ingress ({install}), keep it patched like any public load balancer, and check it with `kubectl get ingressclass {className}`.',
  },
  EXP015: {
    severity: 'medium',
    title: 'Ingress class of a retired or retiring controller (ingress-nginx, the AKS NGINX add-on)',
    why: "The Kubernetes project retired kubernetes/ingress-nginx in March 2026: no more releases or security fixes for an internet-facing component whose history (snippet annotations, IngressNightmare CVE-2025-1974) shows what unpatched flaws there cost. Microsoft supports the NGINX-based AKS application routing add-on (class webapprouting.kubernetes.azure.com) only until November 2026. F5's NGINX Ingress Controller also uses the class nginx and is maintained; the finding applies if yours is the community one.",
    severityReason: 'No known flaw today, but every future vulnerability at the edge stays open.',
    remediation:
      'Check which controller serves class {className} (`kubectl get ingressclass {className} -o jsonpath={.spec.controller}`). If it is a retiring one, plan the move: {move}, then set ingressController to its class.',
  },
  EXP016: {
    severity: 'high',
    title: 'Internet-facing load balancer for a component that is not public',
    why: 'The component was asked to be private or node-only, yet its load balancer gets a public address; only loadBalancerSourceRanges, if set and honoured, stands between it and the internet.',
    severityReason: 'The wrong network boundary, one missing source range away from public.',
    remediation: "Make {component}'s load balancer internal ({internal}) and keep allowedSources.",
  },
  EXP017: {
    severity: 'info',
    title: 'Client IP behind the Ingress comes from a header',
    why: "Through an Ingress the pod's peer is the controller; the client address arrives in X-Forwarded-For or X-Real-IP, which a client can forge unless the controller overwrites it and trusts only the load balancer in front of it.",
    severityReason:
      'Nothing is wrong yet; it matters only when the application makes security decisions from the client IP.',
    remediation:
      "Have {component} read the client address from the header the {className} controller sets, configure the controller to trust forwarded headers only from its load balancer (or use proxy protocol), and set externalTrafficPolicy Local on the controller's Service if it must see client addresses itself.",
  },
  EXP018: {
    severity: 'high',
    title: 'ServiceLB port already taken on the nodes',
    why: "k3s ServiceLB (klipper-lb) has no address pool: it binds each LoadBalancer port on every node's own IP, so a second LoadBalancer Service (or the bundled Traefik on 80/443) on the same port and protocol never gets an address and stays <pending>.",
    severityReason: 'The component is unreachable from outside as planned, and nothing fails loudly.',
    remediation:
      'Give {component} another port ({ports} taken by {holder}), route it through the Ingress if it speaks HTTP, or install MetalLB with an address pool (loadBalancerProvider metallb) so each Service gets its own IP.',
  },
  EXP020: {
    severity: 'high',
    title: 'allowedSources not enforced on the shared L7 entry point',
    why: 'The component listed the networks allowed to reach it, but it shares the load balancer of the Ingress or Gateway and nothing on its route checks the client address: the whole internet reaches it while the plan reads as restricted.',
    severityReason: 'A restriction the user asked for silently does not exist.',
    remediation:
      'Restrict {component} on its own route: {fix} Or give it its own load balancer (an L4 Service with loadBalancerSourceRanges = allowedSources, priced separately).',
  },
  EXP021: {
    severity: 'high',
    title: 'L7 entry point cannot reach the backend as it speaks',
    why: 'An Ingress controller talks plain HTTP/1.1 to its backends unless told otherwise: a pod that serves only HTTPS answers with a TLS handshake error, and every request through the load balancer gets a 502.',
    severityReason: 'The component is unreachable through the plan as rendered, and nothing in the manifests says so.',
    remediation: 'For {component}: {fix}.',
  },
  EXP022: {
    severity: 'info',
    title: 'Separate entry point for a route another component already has',
    why: 'Two public HTTP components asked for the same host and path (typically both host-less on /) where they would share one entry point (an Ingress or a Gateway). Moving one under /<component> to share a load balancer breaks it, since controllers pass the prefix on, so each gets its own entry point, and pays for it.',
    severityReason: 'Nothing is exposed that was not asked for; it costs money, not safety.',
    remediation:
      'Give {component} a host of its own (or a path it serves under, different from the one {holder} has): it then shares the one entry point, saving {saving}.',
  },
  EXP023: {
    severity: 'medium',
    title: 'Metrics, admin or cluster port published with the component',
    why: 'A port whose name or number says metrics, admin, debug or cluster traffic (the heuristic of docs/planner.md, "Per-port exposure") was given exposure inherit, so it is published on the component\'s own load balancer or node ports. Such endpoints tell an attacker versions, internals and load, admin ports change state, and cluster protocols trust their peers.',
    severityReason:
      "The user asked for it explicitly, and the component is meant to be reached; but the port widens what is reachable well beyond the component's traffic.",
    remediation:
      'Unless outside clients must reach {ports}, remove its exposure "inherit" (or set "internal"): it then stays on the ClusterIP Service {service}, scraped or called from inside the cluster. If it must stay published, protect it in the application (authentication) and list the allowed sources.',
  },
  EXP025: {
    severity: 'high',
    title: 'tls: true not served on a private entry point',
    why: 'The component asked for TLS, but its own load balancer or node ports pass plain HTTP through: credentials and data cross the VPN or partner network in clear text while the topology reads as encrypted.',
    severityReason: 'An intent the user stated does not hold in the rendered objects.',
    remediation: 'Serve {component} over TLS: {fix}',
  },
  EXP028: {
    severity: 'medium',
    raised: { severity: 'high', when: 'when the limit ends every connection however busy (GKE)' },
    title: 'WebSocket cut by the L7 entry point',
    why: 'A WebSocket lives as long as the page that opened it, but the load balancer in front ends connections after a limit of its own (the ALB after 60 s idle, GKE after 30 s whatever the traffic, NGINX after 60 s silent), and the plan could not raise it in the objects it renders.',
    severityReason:
      'Clients reconnect in a loop and lose messages sent meanwhile; on GKE no socket outlives the limit, so the feature does not work at all.',
    remediation: 'For {component}: {fix}.',
  },
  EXP029: {
    severity: 'medium',
    title: 'Dependency without ports: its callers cannot reach it',
    why: "Other components list it in dependsOn, but it has no ports: the plan renders no Service for it (and no allow policy), so there is no name to resolve and no port to connect to, and the callers fail at run time. With environment.egress restrict the same holds for an ExternalName dependency without ports: the callers' egress policies admit an external name on its ports only.",
    severityReason: 'Nothing is exposed, but the plan does not give the callers the dependency it says they have.',
    remediation:
      "Give {component} the ports its callers ({callers}) connect to, so the plan renders its Service (for an ExternalName with environment.egress restrict, the callers' egress to those ports); or, if {component} only calls out (a worker fed by a queue), remove it from the dependsOn of {callers}.",
  },
  EXP030: {
    severity: 'medium',
    title: 'TLS Ingress keeps serving plain HTTP',
    why: 'The Ingress has a certificate for the host, but its class also answers on HTTP port 80 and, unless told to, serves the application there instead of redirecting: links, bookmarks and typed addresses send cookies and credentials in clear text.',
    severityReason:
      'TLS exists and HSTS can protect returning browsers, but first visits and non-browser clients still go over plain HTTP.',
    remediation: 'Redirect HTTP to HTTPS for {component}: {fix}',
  },
  EXP031: {
    severity: 'medium',
    title: 'UDP behind an AWS NLB without a health check the pods answer',
    why: 'An NLB cannot health-check over UDP: a UDP target group is checked over TCP, on the traffic port unless told otherwise. A pod that listens on that port over UDP only never answers, so every target is marked unhealthy; the NLB then fails open and sends to all of them, dead or alive, and never takes a broken pod out.',
    severityReason:
      'Traffic still flows (fail open), but the load balancer cannot tell live pods from dead ones and every alarm on target health is red.',
    remediation:
      "Give {component}'s pods a TCP or HTTP health endpoint, list it as a port of the component, and point the NLB at it: service.beta.kubernetes.io/aws-load-balancer-healthcheck-port: <that port> and aws-load-balancer-healthcheck-protocol: TCP (or HTTP with aws-load-balancer-healthcheck-path). {ports}",
  },
  EXP032: {
    severity: 'low',
    title: 'externalTrafficPolicy Local on a load balancer with IP targets',
    why: 'A load balancer with IP targets (the AWS NLB in ip mode) sends to pod addresses directly, past the node ports and kube-proxy, so externalTrafficPolicy Local changes nothing for its traffic: it does not keep the client IP (client IP preservation does) and the load balancer does not health-check the nodes; it only reserves a healthCheckNodePort nobody uses.',
    severityReason:
      'Nothing is exposed; the setting misleads whoever reads the Service about where the client IP comes from.',
    remediation:
      "Remove externalTrafficPolicy: Local from {component}'s Service (the plan no longer renders it on AWS load balancers) and keep the client IP with {keep}.",
  },
  EXP033: {
    severity: 'low',
    title: 'IPv6 allowedSources on a single-stack load balancer',
    why: 'The load balancer gets only an IPv4 address unless the Service (or its provider annotation) asks for dual stack, so an IPv6 range in loadBalancerSourceRanges admits nobody: the clients it names cannot reach the component at all.',
    severityReason: 'A source the user listed is not reachable, which fails closed, not open.',
    remediation: 'For {component}: {fix}',
  },
  EXP034: {
    severity: 'low',
    title: 'NetworkPolicy admits more than it looks',
    why: "The allow policy admits an ipBlock that also holds addresses it was not meant for: 0.0.0.0/0 or a private range also holds the cluster's pods on network plugins that keep pod source addresses (AWS VPC CNI, Calico, Cilium), and every private range stands in for the node or VPC range the plan was not given. Pods (or hosts) there reach the component directly on the admitted ports, while the policy reads as if only the load balancer, the nodes or the named sources could.",
    severityReason:
      'The ports are ones the component already serves through its entry point; what widens is who reaches them directly inside the network, not exposure to the outside.',
    remediation: 'Narrow the NetworkPolicy of {component}: {narrow}',
  },
  EXP035: {
    severity: 'medium',
    title: 'Load balancer node ports bypass its source ranges',
    why: "A LoadBalancer Service also opens a node port on every node for each of its ports, unless spec.allocateLoadBalancerNodePorts is false (a pinned nodePort is opened either way), and loadBalancerSourceRanges filter only the traffic that comes through the load balancer, not the node ports (https://github.com/kubernetes/kubernetes/issues/33586). A connection to a node's address on the node port reaches the pods from that node's address, which the component's NetworkPolicy admits (it cannot tell that traffic from the load balancer's), so any host that reaches a node connects past allowedSources.",
    severityReason:
      "allowedSources hold at the load balancer, the way clients are meant to come; the node ports are a second way in, open to whoever the nodes' firewall lets through, which the plan cannot see.",
    remediation: 'For {component} ({ports}): {fix}',
  },
  EXP036: {
    severity: 'high',
    title: 'tls: true not served on a port that is not HTTP',
    why: 'The component asked for TLS, but these ports do not carry HTTP, and its own load balancer or node ports pass them through as plain TCP or UDP: no certificate in front of the pod applies to them, so the traffic is in clear text unless the application itself speaks TLS on them (DTLS or QUIC over UDP), which the plan cannot see.',
    severityReason: 'An intent the user stated is held by nothing the plan renders; only the application can hold it.',
    remediation:
      'If {component} speaks TLS on {ports}, say so: give each such port a name that starts with tls or appProtocol tls, and the plan counts it as served over TLS. Otherwise make {component} terminate TLS itself, or drop tls: true if that traffic is not meant to be encrypted.',
  },
  EXP037: {
    severity: 'medium',
    title: 'TLS route on an existing Gateway may serve plain HTTP',
    why: "The route attaches to the existing Gateway as a whole: the plan does not know its owner's listener names, and the Gateway's class takes no parentRef port. So it is served on every listener that takes its hostname, an HTTP listener included, and a redirect route beside it would never apply: two routes with the same hostname and path tie, and the oldest, then the first by namespace/name, wins (https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/httproute_types.go).",
    severityReason:
      "TLS exists on the Gateway's HTTPS listener; whether plain HTTP also serves the application is up to the owner's listeners, which the plan cannot see.",
    remediation:
      "Attach the HTTPRoute of {component} to the owner's HTTPS listener by its name (parentRefs sectionName) and add a redirect HTTPRoute (a RequestRedirect filter, scheme https) on the HTTP listener by name, or have the owner give {host} no HTTP listener (allowedRoutes or a hostname that excludes it).",
  },
  EXP038: {
    severity: 'medium',
    title: 'Ports of one number on an AWS NLB, not all served',
    why: 'An NLB has one listener per port number. Given a TCP and a UDP Service port of one number (DNS on 53), the AWS Load Balancer Controller keeps the listener of the port listed first and silently drops the other, unless the Service sets aws-load-balancer-enable-tcp-udp-listener "true" (v2.13.0 and later); then it merges them into one TCP_UDP listener, for one TCP and one UDP port only, sending both to the container port of the first. The Service still lists every port, so nothing looks wrong until a client of the dropped protocol times out (a resolver retrying a large DNS answer over TCP gets nothing).',
    severityReason:
      'A port the component publishes is not served, or reaches another container port: nothing is open wider than asked, but the failure is silent.',
    remediation: 'For {component}: {fix}',
  },
  EXP039: {
    severity: 'high',
    title: 'ALB host served TLS with a certificate named for another host',
    why: 'The ALB Ingress names certificates in alb.ingress.kubernetes.io/certificate-arn, for some of its hosts only. The AWS Load Balancer Controller discovers ACM certificates by the hosts of an Ingress only when it names none (computeIngressListenPortConfigByPort in pkg/ingress/model_build_listener.go, kubernetes-sigs/aws-load-balancer-controller), so the other hosts get no certificate of their own: the ALB answers them with a named one, issued for another name, and HTTP is redirected there too.',
    severityReason:
      'Clients that check the certificate refuse the host, so it is unreachable over HTTPS, and tls: true holds only if the named certificate happens to cover it too; users taught to click through the name warning accept an interceptor next.',
    remediation: 'Name a certificate for each TLS host of the ALB or none: {fix}',
  },
  EXP040: {
    severity: 'high',
    title: "allowedSources judged on an address that is not the client's",
    why: "The component's route is limited by client address inside an in-cluster proxy (a Traefik IPAllowList, an Envoy Gateway SecurityPolicy), but the way to that proxy replaces the client address: k3s ServiceLB (klipper-lb) masquerades every connection, DigitalOcean's load balancer proxies it, and under externalTrafficPolicy Cluster (the default of Traefik's Service) kube-proxy puts a node's address in its place. The proxy then judges a node or pod address: when allowedSources hold it every client passes, otherwise every client is refused.",
    severityReason:
      'A restriction the user asked for can admit the whole internet while the plan shows it in place, or lock out the clients it was meant for.',
    remediation: 'For {component}: {fix}',
  },
};

/** Fills `{name}` slots; a missing value is a programming error, caught by the tests that cover every id. */
export function fillTemplate(template: string, vars: Record<string, string>): string {
  // Split once per template: the odd parts are slot names, the even ones text (String.split with a
  // capturing group), so filling one is a join, where a replace ran the pattern for every finding.
  let parts = templateParts.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    if (templateParts.size >= 1_024) {
      templateParts.clear();
    }
    templateParts.set(template, parts);
  }
  let filled = '';
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 0) {
      filled += part;
      continue;
    }
    const value = vars[part];
    if (value === undefined) {
      throw new Error(`finding remediation needs a value for {${part}}`);
    }
    filled += value;
  }
  return filled;
}

/** The templates fillTemplate has split, by text: the catalog's, a fixed few (bounded all the same). */
const templateParts = new Map<string, string[]>();
