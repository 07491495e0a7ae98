import ipaddr from 'ipaddr.js';

/**
 * Kubernetes and DNS name rules (as k8s.io/apimachinery/pkg/util/validation states them), each with
 * a `…Problem` function that says WHY a value breaks the rule, so that a message can tell the user
 * what to change instead of only "invalid". A problem function returns undefined for a valid value
 * and otherwise a phrase that starts with "it …", to be put after `"<value>" is not a valid …: `.
 * The patterns are plain ECMAScript regexes without flags, so they also serve as JSON Schema `pattern`s.
 */

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const IANA_SERVICE_NAME_MAX_LENGTH = 15;
/** The name part of a qualified name (a label key, an appProtocol), after the optional `prefix/`. */
export const QUALIFIED_NAME_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;

export const DNS1123_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1035_LABEL_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A host name as an Ingress rule takes it: a DNS-1123 subdomain, optionally `*.` in front. */
export const WILDCARD_DNS1123_SUBDOMAIN_PATTERN =
  /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 6335 service name: what a container port name (and so a named targetPort) must be. */
export const IANA_SERVICE_NAME_PATTERN = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** `[prefix/]name`: label keys and appProtocol values. */
export const QUALIFIED_NAME_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Empty, or up to 63 of [A-Za-z0-9._-] starting and ending with a letter or digit. */
export const LABEL_VALUE_PATTERN = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const LOWER_ALNUM_DASH = /^[-a-z0-9]*$/;

function describeCharacter(character: string): string {
  if (character === ' ') {
    return 'a space';
  }
  return JSON.stringify(character);
}

/** A character class, as a test of one character and of a whole string. */
type Charset = { one: RegExp; all: RegExp };

function charset(characters: string): Charset {
  return { one: new RegExp(`[${characters}]`, 'u'), all: new RegExp(`^[${characters}]*$`, 'u') };
}

const LABEL_CHARACTERS = charset('-a-z0-9');
const SUBDOMAIN_CHARACTERS = charset('-.a-z0-9');
const NAME_CHARACTERS = charset('-A-Za-z0-9_.');

function firstOutside(value: string, allowed: Charset): string | undefined {
  // One test of the whole string first: every component's name, host and labels are read here,
  // and almost all are well-formed; the scan, a test per character, only finds which one is not.
  if (allowed.all.test(value)) {
    return undefined;
  }
  for (const character of value) {
    if (!allowed.one.test(character)) {
      return character;
    }
  }
  return undefined;
}

function tooLong(value: string, max: number): string {
  return `it is ${value.length} characters long; at most ${max} are allowed`;
}

/** The first rules of every lowercase DNS-style name, label or subdomain: not empty, not too long, no capitals. */
function lowercaseNameProblem(value: string, max: number): string | undefined {
  if (value === '') {
    return 'it is empty';
  }
  if (value.length > max) {
    return tooLong(value, max);
  }
  if (/[A-Z]/.test(value)) {
    return 'it contains uppercase letters; use lowercase';
  }
  return undefined;
}

/** The rules shared by every lowercase DNS-style label: charset, case, hyphen placement. */
function lowercaseLabelProblem(value: string, max: number, allowedSentence: string): string | undefined {
  const problem = lowercaseNameProblem(value, max);
  if (problem !== undefined) {
    return problem;
  }
  if (!LOWER_ALNUM_DASH.test(value)) {
    return `it contains ${describeCharacter(firstOutside(value, LABEL_CHARACTERS) ?? '?')}; ${allowedSentence}`;
  }
  if (value.startsWith('-') || value.endsWith('-')) {
    return 'it must start and end with a letter or digit';
  }
  return undefined;
}

const LABEL_CHARSET = 'only lowercase letters, digits and "-" are allowed';

/** DNS-1123 label: most Kubernetes object names (namespaces, the topology name). */
export function dns1123LabelProblem(value: string, max = DNS1123_LABEL_MAX_LENGTH): string | undefined {
  return lowercaseLabelProblem(value, max, LABEL_CHARSET);
}

/** DNS-1035 label: Service names, which must start with a letter. */
export function dns1035LabelProblem(value: string, max = DNS1123_LABEL_MAX_LENGTH): string | undefined {
  const problem = lowercaseLabelProblem(value, max, LABEL_CHARSET);
  if (problem !== undefined) {
    return problem;
  }
  return /^[a-z]/.test(value) ? undefined : 'it must start with a letter';
}

/** DNS-1123 subdomain: cluster-scoped object names (IngressClass, MetalLB IPAddressPool). */
export function dns1123SubdomainProblem(value: string, max = DNS1123_SUBDOMAIN_MAX_LENGTH): string | undefined {
  const problem = lowercaseNameProblem(value, max);
  if (problem !== undefined) {
    return problem;
  }
  const outside = firstOutside(value, SUBDOMAIN_CHARACTERS);
  if (outside !== undefined) {
    return `it contains ${describeCharacter(outside)}; only lowercase letters, digits, "-" and "." are allowed`;
  }
  if (value.startsWith('.') || value.endsWith('.')) {
    return 'it must not start or end with "."';
  }
  for (const part of value.split('.')) {
    if (part === '') {
      return 'it contains ".." (an empty part)';
    }
    if (part.startsWith('-') || part.endsWith('-')) {
      return `its part ${JSON.stringify(part.slice(0, 63))} must start and end with a letter or digit`;
    }
  }
  return undefined;
}

/**
 * A name that DNS must resolve (an ExternalName target, an Ingress host): a DNS-1123 subdomain whose
 * parts are at most 63 characters each, and not an IP address, which Kubernetes would treat as a
 * name made of digits (ExternalName) or refuse (Ingress host).
 */
export function dnsNameProblem(value: string, options: { wildcard?: boolean } = {}): string | undefined {
  // The cheap tests first: ipaddr.js throws (and so builds a stack trace) inside isValid for a non-address.
  const looksLikeIp =
    value.length <= 64 &&
    ((/^[0-9.]+$/.test(value) && ipaddr.IPv4.isValidFourPartDecimal(value)) ||
      (value.includes(':') && ipaddr.IPv6.isValid(value)));
  if (looksLikeIp) {
    return 'it is an IP address, not a DNS name';
  }
  let name = value;
  if (options.wildcard === true && name.startsWith('*.')) {
    name = name.slice(2);
  }
  if (name.includes('*')) {
    return options.wildcard === true
      ? 'a "*" is only allowed as the whole first part, as in "*.example.com"'
      : 'it contains "*"; wildcards are not allowed here';
  }
  const problem = dns1123SubdomainProblem(name, DNS1123_SUBDOMAIN_MAX_LENGTH - (value.length - name.length));
  if (problem !== undefined) {
    return problem;
  }
  const longPart = name.split('.').find((part) => part.length > DNS1123_LABEL_MAX_LENGTH);
  if (longPart !== undefined) {
    return `its part "${longPart.slice(0, 20)}…" is ${longPart.length} characters long; each part of a DNS name is at most 63`;
  }
  if (/^[0-9.]+$/.test(name)) {
    return 'it is made of digits only, which reads as an IP address, not a DNS name';
  }
  return undefined;
}

/** RFC 6335 service name: container port names, named targetPorts, and our port names. */
export function ianaServiceNameProblem(value: string): string | undefined {
  const problem = lowercaseLabelProblem(value, IANA_SERVICE_NAME_MAX_LENGTH, LABEL_CHARSET);
  if (problem !== undefined) {
    return problem;
  }
  if (value.includes('--')) {
    return 'it contains "--"; hyphens may not be next to each other';
  }
  if (!/[a-z]/.test(value)) {
    return 'it must contain at least one letter (digits only would read as a port number)';
  }
  return undefined;
}

/** `[prefix/]name` as label keys and appProtocol values use it. */
export function qualifiedNameProblem(value: string): string | undefined {
  if (value === '') {
    return 'it is empty';
  }
  const parts = value.split('/');
  if (parts.length > 2) {
    return 'it contains more than one "/"';
  }
  // split always yields at least one part; with one "/" the first is the prefix.
  const [first = '', second] = parts;
  const name = second ?? first;
  if (second !== undefined) {
    const prefixProblem = dns1123SubdomainProblem(first);
    if (prefixProblem !== undefined) {
      return `its prefix ${JSON.stringify(first.slice(0, 63))} is not a DNS subdomain: ${prefixProblem}`;
    }
    if (name === '') {
      return 'the part after "/" is empty';
    }
  }
  if (name.length > QUALIFIED_NAME_MAX_LENGTH) {
    return `its name part is ${name.length} characters long; at most ${QUALIFIED_NAME_MAX_LENGTH} are allowed`;
  }
  const outside = firstOutside(name, NAME_CHARACTERS);
  if (outside !== undefined) {
    return `it contains ${describeCharacter(outside)}; only letters, digits, "-", "_" and "." are allowed (and one "/" after a DNS prefix)`;
  }
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) {
    return 'it must start and end with a letter or digit';
  }
  return undefined;
}

/** Label values may be empty; otherwise they follow the name part of a qualified name. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') {
    return undefined;
  }
  if (value.length > LABEL_VALUE_MAX_LENGTH) {
    return tooLong(value, LABEL_VALUE_MAX_LENGTH);
  }
  const outside = firstOutside(value, NAME_CHARACTERS);
  if (outside !== undefined) {
    return `it contains ${describeCharacter(outside)}; only letters, digits, "-", "_" and "." are allowed`;
  }
  if (!/^[A-Za-z0-9]/.test(value) || !/[A-Za-z0-9]$/.test(value)) {
    return 'it must start and end with a letter or digit';
  }
  return undefined;
}

export const isDns1123Label = (value: string): boolean => dns1123LabelProblem(value) === undefined;
export const isDns1035Label = (value: string): boolean => dns1035LabelProblem(value) === undefined;
export const isDns1123Subdomain = (value: string): boolean => dns1123SubdomainProblem(value) === undefined;
export const isIanaServiceName = (value: string): boolean => ianaServiceNameProblem(value) === undefined;
export const isQualifiedName = (value: string): boolean => qualifiedNameProblem(value) === undefined;
export const isLabelValue = (value: string): boolean => labelValueProblem(value) === undefined;
