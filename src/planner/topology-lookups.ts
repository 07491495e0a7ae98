import type { Component, Topology } from './types.js';

const dependentsOfTopology = new WeakMap<Topology, ReadonlyMap<string, Component[]>>();

/**
 * The components that depend on each component (`dependsOn`), each list in input order: what
 * `components.filter((other) => other.dependsOn.includes(name))` gives, built in one pass. Asked
 * per component, that filter is quadratic in the topology (2,000 components: 4 million tests);
 * the map is built once per topology object and kept while the object lives.
 */
export function dependentsByComponent(topology: Topology): ReadonlyMap<string, Component[]> {
  const known = dependentsOfTopology.get(topology);
  if (known !== undefined) {
    return known;
  }
  const dependents = new Map<string, Component[]>();
  for (const component of topology.components) {
    for (const name of new Set(component.dependsOn)) {
      const list = dependents.get(name);
      if (list === undefined) {
        dependents.set(name, [component]);
      } else {
        list.push(component);
      }
    }
  }
  dependentsOfTopology.set(topology, dependents);
  return dependents;
}

const componentsOfTopology = new WeakMap<Topology, ReadonlyMap<string, Component>>();

/** Each component by name (names are unique), for look-ups per route or per object that would otherwise scan. */
export function componentsByName(topology: Topology): ReadonlyMap<string, Component> {
  let byName = componentsOfTopology.get(topology);
  if (byName === undefined) {
    byName = new Map(topology.components.map((component) => [component.name, component]));
    componentsOfTopology.set(topology, byName);
  }
  return byName;
}
