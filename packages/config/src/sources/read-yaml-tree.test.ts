import { describe, expect, it } from '@jest/globals';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigParseError } from '../errors.js';
import { readYamlTree } from './read-yaml-tree.js';

const read = (text: string) => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return readYamlTree(doc, { file: 'c.yaml', layer: 'file', lineCounter });
};

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigParseError) return error.message;
    throw error;
  }
  return 'no error';
};

describe('readYamlTree', () => {
  it('follows aliases, pointing their leaves at the anchored value', () => {
    const { values, origins } = read('base: &base\n  retries: 3\nservice: *base\nlist: [*base]\n');
    expect(values).toEqual({ base: { retries: 3 }, service: { retries: 3 }, list: [{ retries: 3 }] });
    expect(origins.get('service.retries')).toMatchObject({ line: 2, column: 12 });
    expect(origins.get('list')).toMatchObject({ line: 4, column: 7 });
  });

  it('reads number and boolean keys as text', () => {
    expect(read('codes:\n  404: missing\n  true: yes\n').values).toEqual({
      codes: { 404: 'missing', true: 'yes' },
    });
  });

  it('locates a value-less explicit key at the key', () => {
    const { values, origins } = read('? alone\nnext: 1\n');
    expect(values).toEqual({ alone: null, next: 1 });
    expect(origins.get('alone')).toMatchObject({ line: 1, column: 3 });
  });

  it('gives an empty top-level mapping no values', () => {
    expect(read('{}\n')).toEqual({ values: {}, origins: new Map() });
  });

  it('rejects an alias to an unknown anchor', () => {
    expect(message(() => read('a: 1\nb: *nowhere\n'))).toContain(
      'c.yaml:2:4: alias *nowhere refers to no anchor',
    );
  });

  it('rejects an alias inside the value it refers to', () => {
    expect(message(() => read('a: &loop\n  b: *loop\n'))).toContain(
      'c.yaml:2:6: alias *loop is inside the value',
    );
    expect(message(() => read('a: &loop [1, *loop]\n'))).toContain(
      'c.yaml:1:14: alias *loop is inside the value',
    );
  });

  it('rejects keys that are not plain scalars, also inside lists', () => {
    expect(message(() => read('? [a, b]\n: 1\n'))).toContain('c.yaml:1:3: expected a plain key');
    expect(message(() => read('~: 1\n'))).toContain('c.yaml:1:1: expected a plain key');
    expect(message(() => read('list:\n  - { [x]: 1 }\n'))).toContain('c.yaml:2:7: expected a plain key');
  });

  it('rejects the key __proto__', () => {
    expect(message(() => read('__proto__:\n  polluted: true\n'))).toContain(
      'c.yaml:1:1: the key "__proto__" is not allowed',
    );
  });

  it('checks mappings nested in lists', () => {
    expect(read('list:\n  - name: a\n    tags: [x]\n  - ~\n').values).toEqual({
      list: [{ name: 'a', tags: ['x'] }, null],
    });
  });
});
