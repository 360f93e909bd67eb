import { describe, expect, it } from '@jest/globals';
import { dependencyOrder } from './dependency-order.js';

function graph(edges: Record<string, string[]>) {
  return (name: string) => edges[name] ?? [];
}

describe('dependencyOrder', () => {
  it('puts dependencies first and breaks ties by the order given', () => {
    const { order, cycles } = dependencyOrder(['a', 'b', 'c', 'd'], graph({ a: ['d'], c: ['b'] }));
    expect(order).toEqual(['d', 'a', 'b', 'c']);
    expect(cycles).toEqual([]);
  });

  it('ignores dependencies outside the set', () => {
    expect(dependencyOrder(['a'], graph({ a: ['zz'] })).order).toEqual(['a']);
  });

  it('reports each cycle once, from its smallest name, and still orders every name', () => {
    const { order, cycles } = dependencyOrder(
      ['c', 'a', 'b', 'x'],
      graph({ a: ['b'], b: ['c'], c: ['a'], x: ['x'] }),
    );
    expect(cycles).toEqual([
      ['a', 'b', 'c', 'a'],
      ['x', 'x'],
    ]);
    expect([...order].sort()).toEqual(['a', 'b', 'c', 'x']);
  });

  it('handles a chain of 100,000 without overflowing the stack', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `n${i}`);
    const { order } = dependencyOrder(names, (name) => {
      const i = Number(name.slice(1));
      return i + 1 < names.length ? [`n${i + 1}`] : [];
    });
    expect(order[0]).toBe('n99999');
    expect(order.at(-1)).toBe('n0');
  });
});
