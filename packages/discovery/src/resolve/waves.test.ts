import { describe, expect, it } from '@jest/globals';
import { computeWaves } from './waves.js';

describe('computeWaves', () => {
  it('puts each node one wave after its latest dependency', () => {
    // 3 → 1 → 0, 3 → 2, 2 → 0
    const plan = computeWaves([[], [0], [0], [1, 2]], [true, true, true, true]);
    expect(plan.waves).toEqual([[0], [1, 2], [3]]);
    expect(plan.unplaced).toEqual([]);
  });

  it('leaves out nodes that are not included', () => {
    const plan = computeWaves([[], [], [1]], [true, false, false]);
    expect(plan.waves).toEqual([[0]]);
  });

  it('reports the nodes on or behind a cycle as unplaced', () => {
    const plan = computeWaves([[1], [0], [1], []], [true, true, true, true]);
    expect(plan.waves).toEqual([[3]]);
    expect(plan.unplaced).toEqual([0, 1, 2]);
  });
});
