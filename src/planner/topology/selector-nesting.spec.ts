import { SelectorNesting, labelPair } from './selector-nesting.js';

function pairsOf(labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .map(([key, value]) => labelPair(key, value))
    .sort();
}

/** Adds each label set in order and returns what each one found among the earlier ones. */
function nestingsOf(...labelSets: Record<string, string>[]) {
  const nesting = new SelectorNesting();
  return labelSets.map((labels, index) => {
    const found = nesting.nesting(pairsOf(labels));
    nesting.add(index, pairsOf(labels));
    return found;
  });
}

describe(SelectorNesting.name, () => {
  it('finds an earlier component whose pods carry every label of a later selector', () => {
    expect(nestingsOf({ app: 'shop', tier: 'web' }, { app: 'shop' })[1]).toEqual({
      selectsPodsOf: 0,
      podsSelectedBy: undefined,
    });
  });

  it('finds an earlier selector made of some of a later component’s labels', () => {
    expect(nestingsOf({ app: 'shop' }, { app: 'shop', tier: 'web' })[1]).toEqual({
      selectsPodsOf: undefined,
      podsSelectedBy: 0,
    });
  });

  it('names the first such component, both ways at once', () => {
    const found = nestingsOf({ b: '1' }, { a: '1', b: '1', c: '1' }, { a: '1' }, { a: '1', b: '1' });
    expect(found[3]).toEqual({ selectsPodsOf: 1, podsSelectedBy: 0 });
  });

  it('leaves out equal selectors (refused as equal), selectors that only share labels, and other values', () => {
    expect(nestingsOf({ app: 'shop' }, { app: 'shop' })[1]).toEqual({
      selectsPodsOf: undefined,
      podsSelectedBy: undefined,
    });
    expect(nestingsOf({ app: 'shop', tier: 'web' }, { app: 'shop', tier: 'api' }, { app: 'shop-x' })).toEqual([
      { selectsPodsOf: undefined, podsSelectedBy: undefined },
      { selectsPodsOf: undefined, podsSelectedBy: undefined },
      { selectsPodsOf: undefined, podsSelectedBy: undefined },
    ]);
  });

  it('finds a selector nested in a component among thousands that share one label', () => {
    const labelSets = Array.from({ length: 2_000 }, (_, index) => ({ team: 'a', app: `c${index}` }));
    const found = nestingsOf(...labelSets, { team: 'a', app: 'c1500', tier: 'web' }, { team: 'a' });
    expect(
      found.slice(0, 2_000).every((one) => one.selectsPodsOf === undefined && one.podsSelectedBy === undefined),
    ).toBe(true);
    expect(found[2_000]).toEqual({ selectsPodsOf: undefined, podsSelectedBy: 1_500 });
    expect(found[2_001]).toEqual({ selectsPodsOf: 0, podsSelectedBy: undefined });
  });
});
