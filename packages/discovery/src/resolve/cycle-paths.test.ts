import { describe, expect, it } from '@jest/globals';
import { cyclesCovering, rotateToSmallest, shortestCycleThrough } from './cycle-paths.js';

describe('shortestCycleThrough', () => {
  it('finds the shortest of several cycles through the start', () => {
    // 0 → 1 → 2 → 0 and 0 → 3 → 0
    const successors = [[1, 3], [2], [0], [0]];
    expect(shortestCycleThrough(0, successors, new Set([0, 1, 2, 3]))).toEqual([0, 3, 0]);
  });

  it('stays inside the component', () => {
    const successors = [[1, 3], [2], [0], [0]];
    expect(shortestCycleThrough(0, successors, new Set([0, 1, 2]))).toEqual([0, 1, 2, 0]);
  });

  it('returns undefined when no cycle passes through the start', () => {
    expect(shortestCycleThrough(0, [[1], [2], [1]], new Set([0, 1, 2]))).toBeUndefined();
  });
});

describe('rotateToSmallest', () => {
  it('starts a closed walk at its smallest node', () => {
    expect(rotateToSmallest([3, 1, 2, 3])).toEqual([1, 2, 3, 1]);
    expect(rotateToSmallest([4, 4])).toEqual([4, 4]);
  });
});

describe('cyclesCovering', () => {
  it('covers every spoke of a hub with its own two-node cycle', () => {
    const successors = [[1, 2, 3], [0], [0], [0]];
    expect(cyclesCovering([0, 1, 2, 3], successors)).toEqual([
      [0, 1, 0],
      [0, 2, 0],
      [0, 3, 0],
    ]);
  });

  it('returns simple cycles when the ways out and back share nodes', () => {
    // 0 → 1 → 2 → 3 → 1 and 3 → 0: the cycle through 2 need not pass through 0.
    const successors = [[1], [2], [3], [0, 1]];
    const cycles = cyclesCovering([0, 1, 2, 3], successors);
    expect(cycles).toEqual([[0, 1, 2, 3, 0]]);
    const hubAndLoop = [[1], [2, 0], [3], [1]];
    expect(cyclesCovering([0, 1, 2, 3], hubAndLoop)).toEqual([
      [0, 1, 0],
      [1, 2, 3, 1],
    ]);
  });
});
