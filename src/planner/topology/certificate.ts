import {
  ACM_CERTIFICATE_ARN_PATTERN,
  certificateKind,
  certificatePlatform,
  DO_CERTIFICATE_ID_PATTERN,
} from '../routing/l4-tls.js';
import { PLATFORMS, type Platform } from '../types.js';
import { isObject, read } from './meaning.js';
import { quote } from './messages.js';
import type { FoundProblem } from './problems.js';

/**
 * `components[].certificate` means something only on the platforms whose load balancers take a
 * certificate by reference (routing/l4-tls.ts), and only for a component that asks for TLS.
 * Read over the raw input like the other meaning checks: only well-formed strings are judged.
 */
export function checkCertificates(environment: unknown, components: unknown, into: FoundProblem[]): void {
  if (!Array.isArray(components)) {
    return;
  }
  const rawPlatform = isObject(environment) ? read(environment, 'platform') : undefined;
  const platform =
    typeof rawPlatform === 'string' && (PLATFORMS as readonly string[]).includes(rawPlatform)
      ? (rawPlatform as Platform)
      : undefined;
  components.forEach((component: unknown, index) => {
    if (!isObject(component)) {
      return;
    }
    const certificate = read(component, 'certificate');
    if (typeof certificate !== 'string') {
      return;
    }
    const at = ['components', index, 'certificate'];
    if (read(component, 'tls') !== true) {
      into.push({
        segments: at,
        message:
          'certificate needs tls: true (and a host): it is the certificate served for the host over TLS; set tls or remove certificate',
      });
    }
    if (platform === undefined) {
      return;
    }
    const kind = certificatePlatform(platform);
    if (kind === undefined) {
      into.push({
        segments: at,
        message: `certificate is read only on aws (an ACM certificate ARN) and digitalocean (a certificate id): on ${platform} no load balancer takes a certificate by reference, so the Ingress or Gateway serves TLS from the tls Secret <component>-tls (cert-manager can issue it); remove certificate and keep tls: true`,
      });
      return;
    }
    const pattern = kind === 'aws' ? ACM_CERTIFICATE_ARN_PATTERN : DO_CERTIFICATE_ID_PATTERN;
    if (!pattern.test(certificate)) {
      into.push({
        segments: at,
        message: `certificate ${quote(certificate)} is not ${certificateKind(kind)}`,
      });
    }
  });
}
