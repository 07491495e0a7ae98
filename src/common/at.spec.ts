import { at } from './at.js';

describe(at.name, () => {
  it('gives the item at an index, falsy items included, and counts a negative index from the end', () => {
    expect(at(['a', 'b'], 1)).toBe('b');
    expect(at([0, null], 0)).toBe(0);
    expect(at([0, null], 1)).toBeNull();
    expect(at(['a', 'b', 'c'], -1)).toBe('c');
  });

  it('throws, naming the index, where there is no item', () => {
    expect(() => at(['a'], 1)).toThrow('no item 1 in a list of 1');
    expect(() => at(['a'], -2)).toThrow('no item -2 in a list of 1');
    expect(() => at(/(x)?/.exec('') ?? [], 1)).toThrow('no item 1 in a list of 2');
  });
});
