import fc from 'fast-check';
import {
  DNS1035_LABEL_PATTERN,
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_PATTERN,
  IANA_SERVICE_NAME_PATTERN,
  LABEL_VALUE_PATTERN,
  QUALIFIED_NAME_PATTERN,
  dns1035LabelProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  dnsNameProblem,
  ianaServiceNameProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from './names.js';

/**
 * The topology schema decides with the patterns and words its messages with the problem functions,
 * so the two must agree on every string: these properties try strings built from the characters
 * that matter (case, "-", ".", "/", "_", "*", digits, a space).
 */
const tricky = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom('a', 'z', 'A', '0', '9', '-', '.', '/', '_', '*', ' '), maxLength });

type Rule = [
  name: string,
  problem: (value: string) => string | undefined,
  valid: (value: string) => boolean,
  maxLength: number,
];

const rules: Rule[] = [
  ['DNS-1123 label', dns1123LabelProblem, (v) => v.length <= 63 && DNS1123_LABEL_PATTERN.test(v), 70],
  ['DNS-1035 label', dns1035LabelProblem, (v) => v.length <= 63 && DNS1035_LABEL_PATTERN.test(v), 70],
  ['DNS-1123 subdomain', dns1123SubdomainProblem, (v) => v.length <= 253 && DNS1123_SUBDOMAIN_PATTERN.test(v), 260],
  ['IANA service name', ianaServiceNameProblem, (v) => v.length <= 15 && IANA_SERVICE_NAME_PATTERN.test(v), 20],
  ['label value', labelValueProblem, (v) => v.length <= 63 && LABEL_VALUE_PATTERN.test(v), 70],
  [
    'qualified name',
    qualifiedNameProblem,
    (v) => {
      if (!QUALIFIED_NAME_PATTERN.test(v)) {
        return false;
      }
      const slash = v.indexOf('/');
      return slash < 0 ? v.length <= 63 : slash <= 253 && v.length - slash - 1 <= 63;
    },
    80,
  ],
];

describe('name rules', () => {
  it.each(rules)('%s: the problem function agrees with the pattern', (_name, problem, valid, maxLength) => {
    fc.assert(
      fc.property(tricky(maxLength), (value) => {
        expect(problem(value) === undefined).toBe(valid(value));
      }),
      { numRuns: 500 },
    );
  });

  it.each<[string, string | undefined]>([
    ['web', undefined],
    ['web-1', undefined],
    ['9lives', 'it must start with a letter'],
    ['Web', 'it contains uppercase letters; use lowercase'],
    ['web_api', 'it contains "_"; only lowercase letters, digits and "-" are allowed'],
    ['web-', 'it must start and end with a letter or digit'],
    ['', 'it is empty'],
  ])('dns1035LabelProblem(%j) = %j', (value, expected) => {
    expect(dns1035LabelProblem(value)).toBe(expected);
  });

  it.each<[string, boolean, string | undefined]>([
    ['shop.example.com', false, undefined],
    ['*.example.com', true, undefined],
    ['*.example.com', false, 'it contains "*"; wildcards are not allowed here'],
    ['a.*.example.com', true, 'a "*" is only allowed as the whole first part, as in "*.example.com"'],
    ['10.0.0.1', false, 'it is an IP address, not a DNS name'],
    ['2001:db8::1', false, 'it is an IP address, not a DNS name'],
    ['1.2.3', false, 'it is made of digits only, which reads as an IP address, not a DNS name'],
    [
      `${'a'.repeat(64)}.example.com`,
      false,
      'its part "aaaaaaaaaaaaaaaaaaaa…" is 64 characters long; each part of a DNS name is at most 63',
    ],
  ])('dnsNameProblem(%j, wildcard %s) = %j', (value, wildcard, expected) => {
    expect(dnsNameProblem(value, { wildcard })).toBe(expected);
  });
});
