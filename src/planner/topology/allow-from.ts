import { quote } from './messages.js';
import type { FoundProblem } from './problems.js';

type RawObject = Record<string, unknown>;

const isObject = (value: unknown): value is RawObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Each port an allowFrom entry names must be one of the component's own ports, by name or by
 * Service port number: a port the component does not have would admit nothing, silently. Reported
 * at `components[i].allowFrom[j].ports[k]`. A component without ports has nothing to admit callers to.
 */
export function checkAllowFrom(component: RawObject, index: number, into: FoundProblem[]): void {
  const allowFrom = Object.hasOwn(component, 'allowFrom') ? component.allowFrom : undefined;
  if (!Array.isArray(allowFrom) || allowFrom.length === 0) {
    return;
  }
  const ports = Array.isArray(component.ports) ? component.ports.filter(isObject) : [];
  if (ports.length === 0 || (Object.hasOwn(component, 'externalName') && component.externalName !== undefined)) {
    into.push({
      segments: ['components', index, 'allowFrom'],
      message:
        'allowFrom admits callers to the pods of a component with ports; this one has no ports or lives outside the cluster (externalName); remove allowFrom',
    });
    return;
  }
  const names = new Set(ports.map((port) => port.name).filter((name) => typeof name === 'string'));
  const numbers = new Set(ports.map((port) => port.port).filter((port) => typeof port === 'number'));
  const known = [...names, ...numbers].map(String).join(', ');
  allowFrom.forEach((entry: unknown, entryIndex) => {
    if (!isObject(entry) || !Array.isArray(entry.ports)) {
      return;
    }
    (entry.ports as unknown[]).forEach((port, portIndex) => {
      const found = typeof port === 'string' ? names.has(port) : typeof port === 'number' ? numbers.has(port) : true;
      if (!found) {
        into.push({
          segments: ['components', index, 'allowFrom', entryIndex, 'ports', portIndex],
          message: `${typeof port === 'string' ? quote(port) : String(port)} is not a port of this component; use one of its port names or Service port numbers: ${known}`,
        });
      }
    });
  });
}
