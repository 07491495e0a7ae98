import { dump } from 'js-yaml';
import type { KubeObject } from './types.js';

/**
 * The manifests as one multi-document YAML stream for `kubectl apply -f -`, documents separated
 * by `---`. Keys keep the order the objects were built in (apiVersion, kind, metadata, spec), so
 * the same plan always gives the same bytes.
 *
 * js-yaml's default dump schema quotes every string a YAML 1.1 reader (kubectl's go-yaml) would
 * take for something else: "true", "on", "yes", "0x10", "1e3"… so annotation values such as
 * "true" stay strings. `noRefs` writes shared objects out in full (no &anchors / *aliases, which
 * some tools reject); `lineWidth: -1` never folds a long annotation value onto several lines.
 * Values JSON would drop (undefined) are dropped here too, so YAML and JSON answers agree.
 */
export function toYaml(objects: KubeObject[]): string {
  return objects.map((object) => dump(object, { noRefs: true, lineWidth: -1, skipInvalid: true })).join('---\n');
}
