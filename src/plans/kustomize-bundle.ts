import { at } from '../common/at.js';
import { documentYaml } from '../planner/yaml.js';
import type { KubeObject } from '../planner/types.js';

/** One file of the bundle: its path inside the archive and its text. */
export type BundleFile = { path: string; content: string };

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

export const BUNDLE_CONTENT_TYPE = 'application/gzip';

/** `<plan-name>-r<revision>.tar.gz`: plan names are DNS-1123 labels, safe in a file name and a quoted header value. */
export function bundleFileName(plan: { name: string; revision: number }): string {
  return `${plan.name}-r${plan.revision}.tar.gz`;
}

/**
 * The plan's objects as a Kustomize base (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/):
 * `kustomization.yaml` first, then one file per object in manifest order, which is also the order
 * of its `resources:`. The kustomization sets no `namespace:`: every object the planner writes
 * already carries its own, and a namespace transformer would move objects an overlay did not ask
 * to move. Same objects, same files, same bytes.
 */
export function kustomizeBundleFiles(objects: KubeObject[]): BundleFile[] {
  const paths = objectFileNames(objects);
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: paths,
  };
  return [
    // Not a KubeObject (no metadata), but the writer needs only plain data: same YAML conventions as the manifests.
    { path: KUSTOMIZATION_FILE, content: documentYaml(kustomization as unknown as KubeObject) },
    ...objects.map((object, index) => ({ path: at(paths, index), content: documentYaml(object) })),
  ];
}

/**
 * `<kind>-<name>.yaml`, lowercased, for each object. When several objects would share a file
 * (the same kind and name in two namespaces, or two API groups with the same kind), each of them
 * gets its namespace too (`<kind>-<namespace>-<name>.yaml`); whatever still collides gets `-2`,
 * `-3`… in manifest order. Only the objects' own fields decide, so the names never change
 * between two renderings of the same revision.
 */
export function objectFileNames(objects: KubeObject[]): string[] {
  const baseNames = objects.map((object) => fileStem([object.kind, object.metadata.name]));
  const sharing = new Map<string, number>();
  for (const name of baseNames) {
    sharing.set(name, (sharing.get(name) ?? 0) + 1);
  }
  const stems = objects.map((object, index) => {
    const namespace = object.metadata.namespace;
    const baseName = at(baseNames, index);
    return (sharing.get(baseName) ?? 0) > 1 && namespace
      ? fileStem([object.kind, namespace, object.metadata.name])
      : baseName;
  });
  // The kustomization's own name is never an object's: every object file has a "-" in its stem.
  const taken = new Set<string>([KUSTOMIZATION_FILE]);
  return stems.map((stem) => {
    let path = `${stem}.yaml`;
    for (let suffix = 2; taken.has(path); suffix += 1) {
      path = `${stem}-${suffix}.yaml`;
    }
    taken.add(path);
    return path;
  });
}

/**
 * Parts joined by "-", lowercased. Kubernetes names are DNS subdomains already; anything else
 * (a "/" or ":" a hand-written object might hold) becomes "-" so that a file never leaves the
 * bundle's directory.
 */
function fileStem(parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-');
}
