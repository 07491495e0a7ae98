import type { Component, VerificationStep } from './types.js';
import { GRPC_STATUS } from './verification-patterns.js';

/**
 * A request through an L7 entry point (an Ingress or a Gateway) to a component that speaks only
 * gRPC. A gRPC route answers any POST with content-type application/grpc over HTTP/2 with status
 * 200 and the result in a grpc-status trailer (12, UNIMPLEMENTED, for a method the server lacks):
 * that proves the entry point reaches the server over HTTP/2 without knowing its services.
 * https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md
 * A plain GET would prove nothing: the server answers it with an error, or not at all.
 * `address` is the placeholder of the entry point's address (`<ingress-address>`, `<gateway-address>`),
 * `where` the sentence that says where it comes from.
 */
export function grpcRouteStep(component: Component, address: string, where: string): VerificationStep {
  const host = component.host;
  const health = '/grpc.health.v1.Health/Check';
  const request = `curl -sS -m 5 -o /dev/null -w '%{http_code}\\n' -X POST -H 'content-type: application/grpc' -H 'te: trailers'`;
  const command =
    host !== undefined && component.tls === true
      ? `${request} --http2 --connect-to ${host}:443:${address}:443 https://${host}${health}`
      : `${request} --http2-prior-knowledge${host === undefined ? '' : ` -H 'Host: ${host}'`} http://${address}${health}`;
  return {
    component: component.name,
    command,
    expect: `200: gRPC answers every call over HTTP/2 with 200 and puts the result in the grpc-status trailer (12 when the server has no health service); 404 means no rule matched, 502 or 503 that the entry point cannot speak HTTP/2 to the pods. ${where}`,
    expectOutput: GRPC_STATUS,
  };
}
