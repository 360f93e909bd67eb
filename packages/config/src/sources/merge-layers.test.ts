import { describe, expect, it } from '@jest/globals';
import { flattenLeaves, mergeLayers, setPath } from './merge-layers.js';
import type { LayerValues, Origin } from './origin.js';

const at = (source: string, line: number): Origin => ({ layer: 'file', source, line, column: 1 });
const env = (source: string): Origin => ({ layer: 'env', source });
const layer = (values: Record<string, unknown>, origins: Record<string, Origin>): LayerValues => ({
  values,
  origins: new Map(Object.entries(origins)),
});

describe('mergeLayers', () => {
  it('lets a later layer win for the same leaf and keeps its origin', () => {
    const merged = mergeLayers([
      layer(
        { cache: { ttlMs: 1, size: 10 } },
        { 'cache.ttlMs': at('default.yaml', 2), 'cache.size': at('default.yaml', 3) },
      ),
      layer({ cache: { ttlMs: 5000 } }, { 'cache.ttlMs': env('TRELLIS_CACHE__TTL_MS') }),
    ]);
    expect(merged.values).toEqual({ cache: { ttlMs: 5000, size: 10 } });
    expect(merged.origins.get('cache.ttlMs')).toEqual(env('TRELLIS_CACHE__TTL_MS'));
    expect(merged.origins.get('cache.size')).toEqual(at('default.yaml', 3));
  });

  it('applies layers in order, lowest first', () => {
    const merged = mergeLayers([
      layer({ a: 1 }, { a: at('one', 1) }),
      layer({ a: 2 }, { a: at('two', 1) }),
      layer({ a: 3 }, { a: at('three', 1) }),
    ]);
    expect(merged.values).toEqual({ a: 3 });
    expect(merged.origins.get('a')?.source).toBe('three');
  });

  it('removes the origins of a subtree that a later scalar replaces', () => {
    const merged = mergeLayers([
      layer({ a: { b: 1, c: { d: 2 } }, ab: 1 }, { 'a.b': at('f', 1), 'a.c.d': at('f', 2), ab: at('f', 3) }),
      layer({ a: 'flat' }, { a: env('TRELLIS_A') }),
    ]);
    expect(merged.values).toEqual({ a: 'flat', ab: 1 });
    expect([...merged.origins.keys()].sort()).toEqual(['a', 'ab']);
  });

  it('replaces a scalar with a later object and its leaf origins', () => {
    const merged = mergeLayers([
      layer({ a: 1 }, { a: at('f', 1) }),
      layer({ a: { b: 2 } }, { 'a.b': at('g', 1) }),
    ]);
    expect(merged.values).toEqual({ a: { b: 2 } });
    expect([...merged.origins.keys()]).toEqual(['a.b']);
  });

  it('replaces arrays whole instead of merging them', () => {
    const merged = mergeLayers([
      layer({ hosts: ['a', 'b', 'c'] }, { hosts: at('f', 1) }),
      layer({ hosts: ['z'] }, { hosts: env('TRELLIS_HOSTS') }),
    ]);
    expect(merged.values).toEqual({ hosts: ['z'] });
    expect(merged.origins.get('hosts')).toEqual(env('TRELLIS_HOSTS'));
  });

  it('updates list elements from an object keyed by index laid over an array', () => {
    const merged = mergeLayers([
      layer(
        {
          servers: [
            { host: 'a', port: 1 },
            { host: 'b', port: 2 },
          ],
        },
        { servers: at('f', 1) },
      ),
      layer({ servers: { 1: { port: 8080 } } }, { 'servers.1.port': env('TRELLIS_SERVERS__1__PORT') }),
    ]);
    expect(merged.values).toEqual({
      servers: [
        { host: 'a', port: 1 },
        { host: 'b', port: 8080 },
      ],
    });
    expect(merged.origins.get('servers')).toEqual(at('f', 1));
    expect(merged.origins.get('servers.1.port')).toEqual(env('TRELLIS_SERVERS__1__PORT'));
  });

  it('ignores undefined values, also inside an object keyed by index', () => {
    const merged = mergeLayers([
      layer({ a: 1, list: [1, 2] }, { a: at('f', 1), list: at('f', 2) }),
      layer({ a: undefined, b: undefined, list: { 0: undefined, 1: 9 } }, {}),
    ]);
    expect(merged.values).toEqual({ a: 1, list: [1, 9] });
    expect(Object.keys(merged.values)).toEqual(['a', 'list']);
  });

  it('keeps an empty object as a leaf with its origin until something is set inside it', () => {
    const empty = mergeLayers([layer({ a: {} }, { a: at('f', 1) }), layer({ a: {} }, { a: at('g', 1) })]);
    expect(empty.origins.get('a')?.source).toBe('g');
    const filled = mergeLayers([
      layer({ a: {} }, { a: at('f', 1) }),
      layer({ a: { b: 1 } }, { 'a.b': at('g', 2) }),
    ]);
    expect(filled.values).toEqual({ a: { b: 1 } });
    expect([...filled.origins.keys()]).toEqual(['a.b']);
    const kept = mergeLayers([
      layer({ a: { b: 1 } }, { 'a.b': at('f', 1) }),
      layer({ a: {} }, { a: at('g', 1) }),
    ]);
    expect(kept.values).toEqual({ a: { b: 1 } });
    expect([...kept.origins.keys()]).toEqual(['a.b']);
  });

  it('never mutates its inputs and shares no objects with them', () => {
    const lower = layer({ a: { b: 1 }, list: [{ x: 1 }] }, { 'a.b': at('f', 1), list: at('f', 2) });
    const higher = layer({ a: { c: 2 }, deep: { e: [1] } }, { 'a.c': at('g', 1), 'deep.e': at('g', 2) });
    const snapshot = structuredClone({ lower: lower.values, higher: higher.values });
    const merged = mergeLayers([lower, higher]);
    expect({ lower: lower.values, higher: higher.values }).toEqual(snapshot);
    expect(lower.origins.size).toBe(2);
    expect(merged.values.list).not.toBe(lower.values.list);
    expect(merged.values.deep).not.toBe(higher.values.deep);
    expect((merged.values.deep as { e: unknown }).e).not.toBe((higher.values.deep as { e: unknown }).e);
  });

  it('keeps a __proto__ key as data rather than a prototype', () => {
    const values = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = mergeLayers([layer({}, {}), layer(values, {})]);
    expect(Object.hasOwn(merged.values, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged.values)).toBe(Object.prototype);
  });

  it('gives empty values for no layers', () => {
    expect(mergeLayers([])).toEqual({ values: {}, origins: new Map() });
  });
});

describe('flattenLeaves', () => {
  it('lists dotted leaf paths, with arrays and empty objects as leaves', () => {
    const secret = new (class Secret {})();
    const leaves = flattenLeaves({ a: { b: 1, c: [1, { d: 2 }], e: {} }, f: null, g: undefined, s: secret });
    expect([...leaves]).toEqual([
      ['a.b', 1],
      ['a.c', [1, { d: 2 }]],
      ['a.e', {}],
      ['f', null],
      ['s', secret],
    ]);
  });

  it('gives nothing for empty values', () => {
    expect(flattenLeaves({}).size).toBe(0);
  });
});

describe('setPath', () => {
  it('returns a copy with the value set, creating parents', () => {
    const values = { a: { b: 1 }, keep: { x: 1 } };
    const next = setPath(values, 'a.c.d', 2);
    expect(next).toEqual({ a: { b: 1, c: { d: 2 } }, keep: { x: 1 } });
    expect(values).toEqual({ a: { b: 1 }, keep: { x: 1 } });
  });

  it('replaces a scalar parent with an object', () => {
    expect(setPath({ a: 5 }, 'a.b', 1)).toEqual({ a: { b: 1 } });
  });

  it('sets an element of a copy of an array for a numeric segment', () => {
    const values = { list: [{ x: 1 }, { x: 2 }] };
    expect(setPath(values, 'list.1.x', 9)).toEqual({ list: [{ x: 1 }, { x: 9 }] });
    expect(values.list[1]).toEqual({ x: 2 });
  });

  it('does not read inherited members as parents', () => {
    expect(setPath({}, 'constructor.name', 'x')).toEqual({ constructor: { name: 'x' } });
  });
});
