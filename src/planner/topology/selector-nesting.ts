/**
 * Pod selectors that nest. A component's `labels` are its Services' selector, the podSelector of
 * its NetworkPolicies, and labels its pods are known to carry. When one component's labels are all
 * among another's (`{ app: shop }` and `{ app: shop, component: admin }`), the first one's selector
 * also matches the second one's pods: its Service sends traffic to them (a public load balancer
 * sends the internet to a component the topology calls internal) and its NetworkPolicies admit its
 * own callers into them. Kubernetes matches a selector to every pod that carries its labels
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors), so
 * no plan can keep the two apart; validation refuses it, as it refuses two equal selectors.
 *
 * Each component is compared with the earlier ones only (validation checks components in order and
 * may stop anywhere), through two indexes that keep the work near linear in components and labels:
 * a topology's labels are mostly unique pairs such as `app: <name>`, beside a few shared ones.
 */

/** A label as one string; NUL cannot occur in a valid label key or value. */
export function labelPair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

export type Nesting = {
  /** An earlier component whose pods carry every one of this component's labels: this selector takes them in. */
  selectsPodsOf: number | undefined;
  /** An earlier component whose labels are all among this one's: its selector takes this component's pods in. */
  podsSelectedBy: number | undefined;
};

const NO_NESTING: Nesting = Object.freeze({ selectsPodsOf: undefined, podsSelectedBy: undefined });

export class SelectorNesting {
  /**
   * Selectors of one size cannot nest (equal ones are refused before this is asked), and most
   * topologies give every component the one label `app: <name>`: until a selector of another
   * size comes, components are only listed here, and the indexes are built from the list then.
   */
  private readonly unindexed: [number, readonly string[]][] = [];
  private indexed = false;
  /** The labels of each component added so far (at most 64: an array is the cheapest set to ask). */
  private readonly pairsByIndex = new Map<number, readonly string[]>();
  /** Every label of every component added, to the components that carry it, in order. */
  private readonly carriers = new Map<string, number[]>();
  /**
   * Each component added under ONE of its labels (the one with the fewest components under it so
   * far): a selector nested in a later component's labels has all its labels there, so looking up
   * each of the later one's labels finds it, and no list grows with a label every component shares.
   */
  private readonly selectorsUnder = new Map<string, number[]>();

  /** How the selector `pairs` (distinct, a component's whole label set) nests with the earlier ones'. Equal sets are not nesting. */
  nesting(pairs: readonly string[]): Nesting {
    if (!this.indexed) {
      const first = this.unindexed[0];
      if (first === undefined || first[1].length === pairs.length) {
        return NO_NESTING;
      }
      this.indexed = true;
      for (const [index, earlier] of this.unindexed) {
        this.index(index, earlier);
      }
      this.unindexed.length = 0;
    }
    return { selectsPodsOf: this.carrierOfAll(pairs), podsSelectedBy: this.selectorWithin(pairs) };
  }

  /** Adds a component's selector, once `nesting` was asked of it (which keeps the unindexed list one size). */
  add(index: number, pairs: readonly string[]): void {
    if (this.indexed) {
      this.index(index, pairs);
    } else {
      this.unindexed.push([index, pairs]);
    }
  }

  private index(index: number, pairs: readonly string[]): void {
    this.pairsByIndex.set(index, pairs);
    let fewest: string | undefined;
    for (const pair of pairs) {
      const list = this.carriers.get(pair);
      if (list === undefined) {
        this.carriers.set(pair, [index]);
      } else {
        list.push(index);
      }
      if (
        fewest === undefined ||
        (this.selectorsUnder.get(pair)?.length ?? 0) < (this.selectorsUnder.get(fewest)?.length ?? 0)
      ) {
        fewest = pair;
      }
    }
    if (fewest !== undefined) {
      const list = this.selectorsUnder.get(fewest);
      if (list === undefined) {
        this.selectorsUnder.set(fewest, [index]);
      } else {
        list.push(index);
      }
    }
  }

  /** The first earlier component that carries every pair and more: scanned from the pair fewest components carry. */
  private carrierOfAll(pairs: readonly string[]): number | undefined {
    let shortest: readonly number[] | undefined;
    for (const pair of pairs) {
      const list = this.carriers.get(pair);
      if (list === undefined) {
        return undefined;
      }
      if (shortest === undefined || list.length < shortest.length) {
        shortest = list;
      }
    }
    for (const index of shortest ?? []) {
      const theirs = this.pairsByIndex.get(index);
      if (theirs !== undefined && theirs.length > pairs.length && pairs.every((pair) => theirs.includes(pair))) {
        return index;
      }
    }
    return undefined;
  }

  /** The first earlier component whose pairs are all among these, and fewer. */
  private selectorWithin(pairs: readonly string[]): number | undefined {
    let first: number | undefined;
    for (const pair of pairs) {
      for (const index of this.selectorsUnder.get(pair) ?? []) {
        if (first !== undefined && index >= first) {
          break;
        }
        const theirs = this.pairsByIndex.get(index);
        if (theirs !== undefined && theirs.length < pairs.length && theirs.every((label) => pairs.includes(label))) {
          first = index;
        }
      }
    }
    return first;
  }
}
