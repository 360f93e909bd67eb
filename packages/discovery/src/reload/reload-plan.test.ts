import { describe, expect, it } from '@jest/globals';
import { planReload } from './reload-plan.js';

function graph(edges: Readonly<Record<string, readonly string[]>>): (name: string) => readonly string[] {
  return (name) => edges[name] ?? [];
}

describe('planReload', () => {
  // a ← b, a ← c, b ← d, c ← d (d depends on b and c, both depend on a)
  const diamond = graph({ a: ['b', 'c'], b: ['d'], c: ['d'] });
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('restarts everything below the top of a diamond once, dependents stopping first', () => {
    expect(planReload(['a'], diamond, order)).toEqual({
      stop: ['d', 'c', 'b', 'a'],
      start: ['a', 'b', 'c', 'd'],
    });
  });

  it('restarts one side of a diamond with the shared dependent only', () => {
    expect(planReload(['c'], diamond, order)).toEqual({ stop: ['d', 'c'], start: ['c', 'd'] });
  });

  it('restarts a plugin nothing depends on alone', () => {
    expect(planReload(['e'], diamond, order)).toEqual({ stop: ['e'], start: ['e'] });
  });

  it('merges several changed plugins into one plan', () => {
    expect(planReload(['e', 'b'], diamond, order)).toEqual({ stop: ['e', 'd', 'b'], start: ['b', 'd', 'e'] });
  });

  it('follows the start order, not the order of discovery', () => {
    expect(planReload(['a'], diamond, ['a', 'c', 'b', 'd'])).toEqual({
      stop: ['d', 'b', 'c', 'a'],
      start: ['a', 'c', 'b', 'd'],
    });
  });

  it('leaves out plugins that are not running', () => {
    expect(planReload(['a', 'ghost'], diamond, ['a', 'b', 'd'])).toEqual({
      stop: ['d', 'b', 'a'],
      start: ['a', 'b', 'd'],
    });
  });

  it('terminates on a dependency cycle', () => {
    expect(planReload(['a'], graph({ a: ['b'], b: ['a'] }), ['a', 'b'])).toEqual({
      stop: ['b', 'a'],
      start: ['a', 'b'],
    });
  });
});
