import { MANAGED_BY } from './manifest-conventions.js';

/*
 * The steps' expectOutput patterns (VerificationStep in types.ts): POSIX extended regular expressions that verify.sh matches
 * (`grep -E`) against each line of a step's output, trimmed. kubectl exits 0 for an empty address or
 * a False condition, and curl for any status code, so the exit status alone proves little. Their own
 * module, since the routing modules that build steps are imported by verification.ts.
 */

/** Any HTTP status code: the port answers HTTP (curl prints 000 when nothing answered). */
export const ANY_STATUS = '^[1-5][0-9]{2}$';
/**
 * What a route check accepts: any 2xx, 3xx or 4xx but 404, the controller's answer when no rule
 * matched; a 5xx is the entry point failing to reach the pods. An application whose own answer at
 * the path is 404 fails here, which its expectation says.
 */
export const ROUTE_STATUS = '^([23][0-9]{2}|40[0-35-9]|4[1-9][0-9])$';
/** `.status.loadBalancer.ingress[0]` of a Service or Ingress that has its address. */
export const ADDRESS_OUTPUT = '"(ip|hostname)":"[^"]+"';
/** A line of `kubectl get endpointslices` whose ENDPOINTS column starts with an IPv4 or IPv6 address, not `<unset>`. */
export const ENDPOINTS_OUTPUT = '^[^ ]+ +IPv[46] +[^ ]+ +[0-9a-fA-F]+[.:]';
/** An answer of busybox nslookup (the server's own line carries a `:53` suffix, so it does not match). */
export const NSLOOKUP_ADDRESS = '^Address:[[:space:]]+([0-9.]+|[0-9a-fA-F:]+)$';

/** `text` as a POSIX extended regular expression that matches it literally. */
export function ereLiteral(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** A Gateway API condition read with jsonpath: True. */
export const CONDITION_TRUE = '^True$';
/** Accepted then ResolvedRefs of every parent (`True True`, more for more parents): all True. */
export const CONDITIONS_TRUE = '^True( True)+$';
/** gRPC answers every call over HTTP/2 with 200 (the result is in the grpc-status trailer). */
export const GRPC_STATUS = '^200$';
/** The ALB's and GKE's redirect of HTTP to HTTPS. */
export const REDIRECT_STATUS = '^301$';
/**
 * What proves an isolation probe ran and got no answer: busybox nc's timeout (glibc says
 * "Connection timed out", musl "Operation timed out") or a refusal, `nc: <host> (<ip:port>): …`
 * (networking/nc_bloaty.c, printed with -vv). A name that does not resolve, a pod that never
 * started, any other error matches nothing, so verify.sh says the probe proves nothing.
 */
export const NO_ANSWER_OUTPUT = '^nc: .*: ([Cc]onnection|[Oo]peration) timed out$|^nc: .*: [Cc]onnection refused$';

/**
 * The labels of the verification's test pods (kubectl run --labels). With egress restricted in a
 * namespace the topology owns, the plan's egress.verification-probes NetworkPolicy selects them.
 */
export const VERIFICATION_PROBE_LABELS = {
  'app.kubernetes.io/component': 'verification-probe',
  'app.kubernetes.io/managed-by': MANAGED_BY,
} as const;
