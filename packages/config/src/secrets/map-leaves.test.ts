import { describe, expect, it } from '@jest/globals';
import { isPlainObject } from '../sources/plain-object.js';
import { mapLeaves, mapRecordLeaves } from './map-leaves.js';

const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);

describe('mapLeaves', () => {
  it('replaces every leaf, passing its dotted path with array indices as segments', () => {
    const seen: string[] = [];
    const result = mapLeaves({ a: 'x', b: { c: ['y', { d: 'z' }] }, n: 1 }, (value, path) => {
      seen.push(path);
      return upper(value);
    });
    expect(result).toEqual({ a: 'X', b: { c: ['Y', { d: 'Z' }] }, n: 1 });
    expect(seen).toEqual(['a', 'b.c.0', 'b.c.1.d', 'n']);
  });

  it('calls a leaf at the root with the empty path', () => {
    expect(mapLeaves('x', (_value, path) => `[${path}]`)).toBe('[]');
  });

  it('starts paths at the given prefix', () => {
    expect(mapLeaves(['a'], (_value, path) => path, 'list')).toEqual(['list.0']);
  });

  it('never changes its input', () => {
    const input = { a: 'x', b: ['y'] };
    const frozen = structuredClone(input);
    mapLeaves(input, upper);
    expect(input).toEqual(frozen);
  });

  it('treats class instances as leaves', () => {
    const date = new Date(0);
    expect(mapLeaves({ date }, (value) => value)).toEqual({ date });
    expect((mapLeaves({ date }, (value) => value) as { date: Date }).date).toBe(date);
  });

  it('keeps a "__proto__" key as a key, never a prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "x"}}') as Record<string, unknown>;
    const result = mapRecordLeaves(input, upper);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('isPlainObject', () => {
  it.each([
    [{}, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    ['x', false],
    [new Date(0), false],
  ])('%p → %s', (value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});
