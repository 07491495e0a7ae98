import { ingressPathProblems } from './ingress-path.js';
import { validateManifest } from '../testing/kube-validation.js';
import { plan } from '../plan.js';
import { validateTopology } from '../topology/index.js';
import type { KubeObject } from '../types.js';
import { at } from '../testing/items.js';

type PathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';
type Case = [name: string, pathType: PathType, path: string, expected: string[]];

/**
 * The API server's own cases: TestValidateIngressRuleValue in kubernetes/kubernetes
 * pkg/apis/networking/validation/validation_test.go
 * (https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation_test.go),
 * name, pathType, path and expected messages as written there.
 */
const KUBERNETES_CASES: Case[] = [
  ['implementation specific: no leading slash', 'ImplementationSpecific', 'foo', ['must be an absolute path']],
  ['implementation specific: leading slash', 'ImplementationSpecific', '/foo', []],
  ['implementation specific: many slashes', 'ImplementationSpecific', '/foo/bar/foo', []],
  ['implementation specific: repeating slashes', 'ImplementationSpecific', '/foo//bar/foo', []],
  ['prefix: no leading slash', 'Prefix', 'foo', ['must be an absolute path']],
  ['prefix: leading slash', 'Prefix', '/foo', []],
  ['prefix: many slashes', 'Prefix', '/foo/bar/foo', []],
  ['prefix: repeating slashes', 'Prefix', '/foo//bar/foo', ["must not contain '//'"]],
  ['exact: no leading slash', 'Exact', 'foo', ['must be an absolute path']],
  ['exact: leading slash', 'Exact', '/foo', []],
  ['exact: many slashes', 'Exact', '/foo/bar/foo', []],
  ['exact: repeating slashes', 'Exact', '/foo//bar/foo', ["must not contain '//'"]],
  ['prefix: with /./', 'Prefix', '/foo/./foo', ["must not contain '/./'"]],
  ['exact: with /../', 'Exact', '/foo/../foo', ["must not contain '/../'"]],
  ['prefix: with %2f', 'Prefix', '/foo/%2f/foo', ["must not contain '%2f'"]],
  ['exact: with %2F', 'Exact', '/foo/%2F/foo', ["must not contain '%2F'"]],
];

/**
 * The same file's `invalidPathSuffixes` ("/..", "/."), which its test table does not exercise, and
 * the paths issue 11 found emitted, with what validateHTTPIngressPath says of each.
 */
const SUFFIX_CASES: Case[] = [
  ['prefix: ending in /..', 'Prefix', '/foo/..', ["cannot end with '/..'"]],
  ['exact: ending in /.', 'Exact', '/foo/.', ["cannot end with '/.'"]],
  ['prefix: only /.', 'Prefix', '/.', ["cannot end with '/.'"]],
  ['prefix: /a/./b', 'Prefix', '/a/./b', ["must not contain '/./'"]],
  ['prefix: /a/../b', 'Prefix', '/a/../b', ["must not contain '/../'"]],
  ['prefix: %2f and a trailing /..', 'Prefix', '/a%2f/..', ["must not contain '%2f'", "cannot end with '/..'"]],
  ['prefix: a dot that is not a segment', 'Prefix', '/a.b/.well-known/x.', []],
];

const CASES = [...KUBERNETES_CASES, ...SUFFIX_CASES];

function ingressWithPath(path: string, pathType: PathType): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ http: { paths: [{ path, pathType, backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    },
  };
}

function topologyWithPath(path: string): unknown {
  return {
    name: 'shop',
    environment: { platform: 'aws', ingressController: 'nginx' },
    components: [
      { name: 'web', role: 'frontend', ports: [{ port: 80, appProtocol: 'http' }], exposure: 'public', path },
    ],
  };
}

describe(ingressPathProblems.name, () => {
  it.each(CASES.filter(([, pathType]) => pathType !== 'ImplementationSpecific'))(
    '%s: what the API server says',
    (_name, _pathType, path, expected) => {
      expect(ingressPathProblems(path)).toEqual(expected);
    },
  );
});

describe('validateManifest on an Ingress path', () => {
  it.each(CASES)('%s: refused exactly when the API server refuses it', (_name, pathType, path, expected) => {
    const errors = validateManifest(ingressWithPath(path, pathType)).filter((error) =>
      error.startsWith('spec.rules[0].http.paths[0].path'),
    );
    expect(errors).toHaveLength(expected.length);
    // "must be an absolute path" is worded with its pathType here; every other message is the API server's.
    expected.forEach((message, index) => expect(errors[index]).toContain(message));
  });
});

describe('validateTopology on a component path (served with pathType Prefix)', () => {
  it.each(CASES.filter(([, pathType, path]) => pathType === 'Prefix' && path.startsWith('/')))(
    '%s',
    (_name, _pathType, path, expected) => {
      const result = validateTopology(topologyWithPath(path));
      if (expected.length === 0) {
        expect(result.ok).toBe(true);
        return;
      }
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems;
      expect(problems).toHaveLength(1);
      expect(at(problems, 0).path).toBe('components[0].path');
      for (const message of expected) {
        expect(at(problems, 0).message).toContain(message);
      }
    },
  );

  it.each(CASES.filter(([, pathType, path]) => pathType !== 'Prefix' && path.startsWith('/')).map(([, , p]) => p))(
    'plans %s into an Ingress the manifest check accepts, or refuses it',
    (path) => {
      const outcome = plan(topologyWithPath(path));
      if (!outcome.ok) {
        expect(outcome.problems.map((problem) => problem.path)).toEqual(['components[0].path']);
        return;
      }
      const ingresses = outcome.plan.manifests.filter((manifest) => manifest.kind === 'Ingress');
      expect(ingresses).toHaveLength(1);
      expect(validateManifest(at(ingresses, 0))).toEqual([]);
    },
  );
});
