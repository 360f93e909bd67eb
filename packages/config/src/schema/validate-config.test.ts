import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { Origin } from '../sources/origin.js';
import { duration, secret } from './markers.js';
import { secretPaths } from './schema-walk.js';
import { validateConfig } from './validate-config.js';

const schema = z
  .object({
    cache: z.object({ ttlMs: z.number().int().min(1), mode: z.enum(['lru', 'lfu']).default('lru') }).strict(),
    db: z.object({ password: secret(z.string().min(12)), url: z.string() }).strict(),
    timeout: duration().default(1000),
  })
  .strict();
const patterns = secretPaths(schema);

const origins = new Map<string, Origin>([
  ['cache.ttlMs', { layer: 'file', source: 'config/default.yaml', line: 3, column: 10 }],
  ['cache.mode', { layer: 'env', source: 'TRELLIS_CACHE__MODE' }],
  ['db.password', { layer: 'file', source: 'config/production.yaml', line: 7, column: 13 }],
  ['cach', { layer: 'file', source: 'config/default.yaml', line: 9, column: 1 }],
]);

function problems(values: unknown) {
  const result = validateConfig({ schema, values, origins, secretPatterns: patterns });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('validateConfig', () => {
  it('returns the typed value when valid', () => {
    const result = validateConfig<z.output<typeof schema>>({
      schema,
      values: { cache: { ttlMs: 5 }, db: { password: 'correct horse battery', url: 'x' }, timeout: '2s' },
      origins,
      secretPatterns: patterns,
    });
    expect(result.ok && result.value.timeout).toBe(2000);
    expect(result.ok && result.value.db.password.reveal()).toBe('correct horse battery');
  });

  it('reports every problem at once with path, expectation, received value and origin', () => {
    const found = problems({
      cache: { ttlMs: 'soon', mode: 'fifo' },
      db: { password: 'correct horse battery' },
    });
    expect(found).toEqual([
      {
        path: 'cache.mode',
        message: 'expected one of "lru", "lfu", received "fifo"',
        origin: 'env TRELLIS_CACHE__MODE',
      },
      {
        path: 'cache.ttlMs',
        message: 'expected number, received "soon"',
        origin: 'config/default.yaml:3:10',
      },
      { path: 'db.url', message: 'required string is missing', origin: 'not set in any layer' },
    ]);
  });

  it('suggests the closest known key for an unknown one', () => {
    const found = problems({
      cach: { ttlMs: 1 },
      cache: { ttlMs: 1 },
      db: { password: 'correct horse battery', url: 'u' },
    });
    expect(found).toEqual([
      { path: 'cach', message: 'unknown setting; did you mean "cache"?', origin: 'config/default.yaml:9:1' },
    ]);
  });

  it('lists the known keys when nothing is close', () => {
    const found = problems({
      cache: { ttlMs: 1, zzzzzzzz: 1 },
      db: { password: 'correct horse battery', url: 'u' },
    });
    expect(found[0]?.message).toBe('unknown setting; known settings here: ttlMs, mode');
  });

  it('never shows a secret value, even when it is invalid', () => {
    const found = problems({ cache: { ttlMs: 1 }, db: { password: 'CANARY-s', url: 'u' } });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('db.password');
    expect(found[0]?.message).toContain('[redacted]');
    expect(JSON.stringify(found)).not.toContain('CANARY');
  });

  it('shows a readable message for a bad duration and a too-small number', () => {
    const found = problems({
      cache: { ttlMs: 0 },
      db: { password: 'correct horse battery', url: 'u' },
      timeout: 'soon',
    });
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['cache.ttlMs', expect.stringMatching(/too small.*received 0$/i)],
      ['timeout', expect.stringContaining('expected a duration like "5s"')],
    ]);
  });

  it('falls back to an ancestor origin for values inside a replaced subtree', () => {
    const result = validateConfig({
      schema,
      values: { cache: { ttlMs: -1 }, db: { password: 'correct horse battery', url: 'u' } },
      origins: new Map<string, Origin>([['cache', { layer: 'env', source: 'TRELLIS_CACHE' }]]),
      secretPatterns: patterns,
    });
    expect(!result.ok && result.problems[0]?.origin).toBe('env TRELLIS_CACHE');
  });

  it('shortens long received values', () => {
    const found = problems({
      cache: { ttlMs: 'x'.repeat(200) },
      db: { password: 'correct horse battery', url: 'u' },
    });
    expect(found[0]?.message.length).toBeLessThan(120);
  });
});

describe('validateConfig and secrets inside larger values', () => {
  it('never shows an object or list that holds a secret', () => {
    const nested = z
      .object({
        db: z.object({ password: secret(), pool: z.number().min(5) }).strict(),
        tokens: z.array(secret()).min(3),
      })
      .strict();
    const result = validateConfig({
      schema: nested,
      values: { db: 'CANARY-object', tokens: ['CANARY-list'] },
      origins: new Map(),
      secretPatterns: secretPaths(nested),
    });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('CANARY');
  });
});
