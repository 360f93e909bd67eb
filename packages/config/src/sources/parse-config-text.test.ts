import { describe, expect, it } from '@jest/globals';
import { ConfigParseError } from '../errors.js';
import { parseConfigText } from './parse-config-text.js';

const parseError = (run: () => unknown): ConfigParseError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigParseError) return error;
    throw error;
  }
  throw new Error('expected a ConfigParseError');
};

describe('parseConfigText (YAML)', () => {
  const yaml = [
    'name: shop',
    'cache:',
    '  ttlMs: 5000',
    '  redis:',
    '    host: "db.local"',
    '  hosts: [a, b]',
    '  extra: {}',
    'empty:',
    '',
  ].join('\n');

  it('reads values, with lists and empty mappings as leaves', () => {
    expect(parseConfigText(yaml, 'config/default.yaml', 'file').values).toEqual({
      name: 'shop',
      cache: { ttlMs: 5000, redis: { host: 'db.local' }, hosts: ['a', 'b'], extra: {} },
      empty: null,
    });
  });

  it('gives every leaf the line and column of its value', () => {
    const { origins } = parseConfigText(yaml, 'config/default.yaml', 'file');
    const where = (path: string) => {
      const origin = origins.get(path);
      return origin && `${origin.source}:${origin.line}:${origin.column}`;
    };
    expect(where('name')).toBe('config/default.yaml:1:7');
    expect(where('cache.ttlMs')).toBe('config/default.yaml:3:10');
    expect(where('cache.redis.host')).toBe('config/default.yaml:5:11');
    expect(where('cache.hosts')).toBe('config/default.yaml:6:10');
    expect(where('cache.extra')).toBe('config/default.yaml:7:10');
    expect(where('empty')).toBe('config/default.yaml:8:7');
    expect([...origins.keys()].sort()).toEqual(
      ['cache.extra', 'cache.hosts', 'cache.redis.host', 'cache.ttlMs', 'empty', 'name'].sort(),
    );
    expect(origins.get('name')?.layer).toBe('file');
  });

  it('labels origins with the layer it is given', () => {
    const { origins } = parseConfigText('a: 1\n', 'config/production.yaml', 'environment-file');
    expect(origins.get('a')).toEqual({
      layer: 'environment-file',
      source: 'config/production.yaml',
      line: 1,
      column: 4,
    });
  });

  it('reports tab indentation with file:line:column', () => {
    const error = parseError(() => parseConfigText('cache:\n\tttlMs: 5\n', 'config/default.yaml', 'file'));
    expect(error.message).toContain('config/default.yaml:2:1: Tabs are not allowed as indentation');
    expect(error.details).toMatchObject({ file: 'config/default.yaml', line: 2, column: 1 });
  });

  it('reports an unclosed flow sequence with its position', () => {
    const error = parseError(() => parseConfigText('a: 1\nb: [1, 2\n', 'c.yaml', 'file'));
    expect(error.message).toMatch(/^c\.yaml:3:1: .*end with a \]/);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const error = parseError(() => parseConfigText('cache:\n  ttl: 1\n  ttl: 2\n', 'c.yaml', 'file'));
    expect(error.message).toContain('c.yaml:3:3: Map keys must be unique');
  });

  it('reports more than one document', () => {
    expect(parseError(() => parseConfigText('a: 1\n---\nb: 2\n', 'c.yaml', 'file')).message).toContain(
      'c.yaml:2:1:',
    );
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', '42\n'],
    ['null', '~\n'],
  ])('rejects %s at the top level', (_kind, text) => {
    expect(parseError(() => parseConfigText(text, 'c.yaml', 'file')).message).toContain(
      'c.yaml:1:1: expected a mapping of settings at the top level',
    );
  });

  it.each([
    ['empty', ''],
    ['blank', '  \n\n'],
    ['comment-only', '# nothing yet\n'],
    ['a byte-order mark only', '\uFEFF'],
  ])('reads an %s file as no values', (_kind, text) => {
    expect(parseConfigText(text, 'c.yaml', 'file')).toEqual({ values: {}, origins: new Map() });
  });

  it('skips a byte-order mark', () => {
    expect(parseConfigText('\uFEFFa: 1\n', 'c.yaml', 'file').origins.get('a')).toMatchObject({
      line: 1,
      column: 4,
    });
  });
});

describe('parseConfigText (other files)', () => {
  it('rejects extensions other than .yaml, .yml and .json', () => {
    expect(parseError(() => parseConfigText('a = 1', 'config.toml', 'file')).message).toContain(
      'config.toml:1:1: expected a .yaml, .yml or .json file',
    );
  });

  it('picks the syntax by extension, in any case', () => {
    expect(parseConfigText('a: 1', 'C.YML', 'file').values).toEqual({ a: 1 });
    expect(() => parseConfigText('a: 1', 'c.json', 'file')).toThrow(ConfigParseError);
  });
});

describe('parseConfigText (JSON)', () => {
  const json = [
    '{',
    '  "name": "shop",',
    '  "cache": {',
    '    "ttlMs": 5000,',
    '    "redis": { "host": "db" },',
    '    "hosts": ["a", "b"],',
    '    "extra": {}',
    '  }',
    '}',
    '',
  ].join('\n');

  it('reads values with JSON.parse', () => {
    expect(parseConfigText(json, 'config/default.json', 'file').values).toEqual({
      name: 'shop',
      cache: { ttlMs: 5000, redis: { host: 'db' }, hosts: ['a', 'b'], extra: {} },
    });
  });

  it('gives every leaf the line and column of its value', () => {
    const { origins } = parseConfigText(json, 'config/default.json', 'file');
    expect(origins.get('name')).toEqual({
      layer: 'file',
      source: 'config/default.json',
      line: 2,
      column: 11,
    });
    expect(origins.get('cache.ttlMs')).toMatchObject({ line: 4, column: 14 });
    expect(origins.get('cache.redis.host')).toMatchObject({ line: 5, column: 24 });
    expect(origins.get('cache.hosts')).toMatchObject({ line: 6, column: 14 });
    expect(origins.get('cache.extra')).toMatchObject({ line: 7, column: 14 });
    expect(origins.size).toBe(5);
  });

  it('reports a trailing comma with file:line:column', () => {
    const text = '{\n  "cache": {\n    "ttlMs": 5,\n  }\n}\n';
    const error = parseError(() => parseConfigText(text, 'config/default.json', 'file'));
    expect(error.message).toContain('config/default.json:4:3: Expected double-quoted property name');
  });

  it('locates errors that Node reports without a position', () => {
    const error = parseError(() => parseConfigText('{\n  "hosts": [1, 2,]\n}', 'c.json', 'file'));
    expect(error.message).toContain('c.json:2:18: Unexpected character');
    const truncated = parseError(() => parseConfigText('{\n  "a": [1,', 'c.json', 'file'));
    expect(truncated.message).toContain('c.json:2:11: Unexpected end of input');
  });

  it('reports a duplicate key, which JSON.parse would let pass', () => {
    const error = parseError(() => parseConfigText('{\n  "a": 1,\n  "a": 2\n}', 'c.json', 'file'));
    expect(error.message).toContain('c.json:3:3: Map keys must be unique');
  });

  it('rejects a top level that is not an object', () => {
    for (const text of ['[1, 2]', '"text"', 'null']) {
      expect(parseError(() => parseConfigText(text, 'c.json', 'file')).message).toContain(
        'c.json:1:1: expected a mapping of settings at the top level',
      );
    }
  });

  it('reads an empty file as no values', () => {
    expect(parseConfigText('\n', 'c.json', 'file').values).toEqual({});
  });

  it('keeps values as JSON.parse reads them', () => {
    expect(parseConfigText('{"big": 1e400, "neg": -0, "esc": "a\\/b"}', 'c.json', 'file').values).toEqual({
      big: Number.POSITIVE_INFINITY,
      neg: -0,
      esc: 'a/b',
    });
  });
});
