import { describe, expect, it } from '@jest/globals';
import { findCyclicComponents } from './strongly-connected.js';

describe('findCyclicComponents', () => {
  it('finds nothing in a DAG', () => {
    expect(findCyclicComponents([[], [0], [0, 1], [2]])).toEqual([]);
  });

  it('finds a node with an edge to itself', () => {
    expect(findCyclicComponents([[0], []])).toEqual([[0]]);
  });

  it('returns each component ascending, ordered by its smallest node', () => {
    // 4 ↔ 2, and 1 → 3 → 5 → 1, with 0 depending on both
    const successors = [[1, 2], [3], [4], [5], [2], [1]];
    expect(findCyclicComponents(successors)).toEqual([
      [1, 3, 5],
      [2, 4],
    ]);
  });
});
