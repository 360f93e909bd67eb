import { inspect } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { secretPaths } from '../schema/schema-walk.js';
import type { LayerValues, Origin } from '../sources/origin.js';
import { Config, type SourceRead } from './config.js';

const schema = z
  .object({
    cache: z
      .object({ ttlMs: z.number().int().min(1).default(5000), tags: z.array(z.string()).default([]) })
      .strict(),
    db: z.object({ password: secret().optional() }).strict().prefault({}),
    name: z.string().default('app'),
  })
  .strict();
type Value = z.output<typeof schema>;

function fileLayer(values: Record<string, unknown>, line = 1): LayerValues {
  const origins = new Map<string, Origin>();
  const visit = (node: unknown, path: string) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) visit(v, path ? `${path}.${k}` : k);
    } else {
      origins.set(path, { layer: 'file', source: 'config/default.yaml', line: line++, column: 3 });
    }
  };
  visit(values, '');
  return { values, origins };
}

function setUp(initial: Record<string, unknown> = { cache: { ttlMs: 100 } }) {
  let current: SourceRead = { layers: [fileLayer(initial)], problems: [] };
  const readSources = jest.fn(async () => current);
  const clock = new ManualClock(1_000);
  const config = new Config<Value>({
    schema,
    secretPatterns: secretPaths(schema),
    readSources,
    initial: current,
    clock,
    historySize: 5,
  });
  const change = (values: Record<string, unknown>) => {
    current = { layers: [fileLayer(values)], problems: [] };
  };
  const fail = (problems: SourceRead['problems']) => {
    current = { layers: current.layers, problems };
  };
  return { config, change, fail, readSources, clock };
}

describe('Config', () => {
  it('exposes the typed, deep-frozen value and path reads', () => {
    const { config } = setUp();
    expect(config.value.cache.ttlMs).toBe(100);
    expect(config.get('cache.ttlMs')).toBe(100);
    expect(config.get('cache')).toEqual({ ttlMs: 100, tags: [] });
    expect(config.get('nope')).toBeUndefined();
    expect(Object.isFrozen(config.value.cache)).toBe(true);
    expect(config.version).toBe(1);
    expect(config.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('require() throws CONFIG_VALUE_MISSING naming the path', () => {
    const { config } = setUp();
    expect(config.require('name')).toBe('app');
    expect(config.has('db.password')).toBe(false);
    expect(() => config.require('db.password')).toThrow(
      expect.objectContaining({ code: 'CONFIG_VALUE_MISSING' }),
    );
  });

  it('refuses to construct from invalid sources, listing every problem', () => {
    expect(() => setUp({ cache: { ttlMs: 0 }, extra: 1 })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/cache\.ttlMs[\s\S]*extra/),
      }),
    );
  });

  it('explains where a value came from', () => {
    const { config } = setUp();
    expect(config.explain('cache.ttlMs')).toEqual({
      path: 'cache.ttlMs',
      value: '100',
      secret: false,
      layer: 'file',
      origin: 'config/default.yaml:1:3',
    });
    expect(config.explain('name')).toMatchObject({
      value: '"app"',
      layer: 'defaults',
      origin: 'schema default',
    });
    expect(config.explain('db.password')).toMatchObject({
      value: 'undefined',
      origin: 'not set',
      secret: true,
    });
  });

  it('rejects explain() of a path outside the schema with a suggestion', () => {
    const { config } = setUp();
    expect(() => config.explain('cache.ttl')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_PATH_UNKNOWN',
        message: expect.stringContaining('Did you mean "cache.ttlMs"?'),
      }),
    );
  });

  it('applies a valid override atomically and tells listeners which paths changed', () => {
    const { config } = setUp();
    const events: unknown[] = [];
    config.onChange((event) =>
      events.push({ paths: event.paths, version: event.version, reason: event.reason }),
    );
    config.set('cache.ttlMs', 250, 'admin');
    expect(config.value.cache.ttlMs).toBe(250);
    expect(events).toEqual([{ paths: ['cache.ttlMs'], version: 2, reason: 'override' }]);
    expect(config.explain('cache.ttlMs')).toMatchObject({
      layer: 'override',
      origin: 'runtime override by admin',
    });
  });

  it('rejects an invalid override and keeps the current value', () => {
    const { config } = setUp();
    expect(() => config.set('cache.ttlMs', -5)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => config.set('cache.nope', 1)).toThrow(
      expect.objectContaining({ code: 'CONFIG_PATH_UNKNOWN' }),
    );
    expect(config.value.cache.ttlMs).toBe(100);
    expect(config.version).toBe(1);
  });

  it('does not create a version for a change that changes nothing', () => {
    const { config } = setUp();
    expect(config.set('cache.ttlMs', 100)).toBeUndefined();
    expect(config.version).toBe(1);
  });

  it('clears overrides back to the sources', () => {
    const { config } = setUp();
    config.set('cache.ttlMs', 7);
    config.clearOverrides();
    expect(config.value.cache.ttlMs).toBe(100);
  });

  it('reloads changed sources and applies them', async () => {
    const { config, change } = setUp();
    change({ cache: { ttlMs: 300, tags: ['a'] } });
    await expect(config.reload()).resolves.toEqual({
      applied: true,
      version: 2,
      paths: ['cache.tags', 'cache.ttlMs'],
    });
    expect(config.value.cache.tags).toEqual(['a']);
  });

  it('reports an unchanged reload without a new version', async () => {
    const { config } = setUp();
    await expect(config.reload()).resolves.toEqual({ applied: false, reason: 'unchanged' });
  });

  it('keeps the last good config on an invalid reload and reports the error', async () => {
    const { config, change } = setUp();
    const errors: string[] = [];
    config.onError((error) => errors.push(error.code));
    change({ cache: { ttlMs: 'bad' } });
    const result = await config.reload();
    expect(result).toMatchObject({ applied: false, reason: 'invalid', error: { code: 'CONFIG_INVALID' } });
    expect(config.value.cache.ttlMs).toBe(100);
    expect(errors).toEqual(['CONFIG_INVALID']);
  });

  it('treats source problems (e.g. a bad env variable) as a rejected reload', async () => {
    const { config, fail } = setUp();
    fail([{ path: 'cache.ttlMs', message: 'not a number', origin: 'env TRELLIS_CACHE__TTL_MS' }]);
    const result = await config.reload();
    expect(result.applied).toBe(false);
    expect(!result.applied && result.reason === 'invalid' && result.error.message).toContain(
      'env TRELLIS_CACHE__TTL_MS',
    );
  });

  it('reports a source read that throws as a rejected reload', async () => {
    const { config, readSources } = setUp();
    readSources.mockRejectedValueOnce(new Error('disk gone'));
    const result = await config.reload();
    expect(!result.applied && result.reason === 'invalid' && result.error.message).toContain('disk gone');
  });

  it('keeps the last N applied versions and rolls back to any of them', () => {
    const { config, clock } = setUp();
    for (let i = 1; i <= 6; i++) {
      clock.advance(10);
      config.set('cache.ttlMs', 100 + i);
    }
    expect(config.history().map((h) => h.version)).toEqual([3, 4, 5, 6, 7]);
    expect(config.history()[0]).toMatchObject({ reason: 'override', appliedAt: 1_020 });
    config.rollback(4);
    expect(config.value.cache.ttlMs).toBe(103);
    expect(config.version).toBe(8);
    expect(config.history().at(-1)?.reason).toBe('rollback to v4');
    expect(() => config.rollback(1)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_VERSION_NOT_FOUND',
        message: expect.stringContaining('4, 5, 6, 7, 8'),
      }),
    );
  });

  it('keeps secrets redacted in JSON, inspect, explain and change events', () => {
    const { config } = setUp();
    const seen: string[] = [];
    config.onChange((event) => seen.push(JSON.stringify(event.changes)));
    config.set('db.password', 'CANARY-1234');
    expect(config.value.db.password?.reveal()).toBe('CANARY-1234');
    const outputs = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      JSON.stringify(config.explain('db.password')),
      ...seen,
      String(config.get('db.password')),
    ];
    for (const output of outputs) expect(output).not.toContain('CANARY');
    expect(config.explain('db.password').value).toBe('[redacted]');
  });

  it('reports a listener that throws through onError and still applies the change', () => {
    const { config } = setUp();
    const errors: string[] = [];
    config.onError((error) => errors.push(error.message));
    config.onError(() => {
      throw new Error('error listener broke');
    });
    config.onChange(() => {
      throw new Error('listener broke');
    });
    config.set('cache.ttlMs', 9);
    expect(config.value.cache.ttlMs).toBe(9);
    expect(errors).toEqual([expect.stringContaining('listener broke')]);
  });

  it('stops notifying disposed listeners', () => {
    const { config } = setUp();
    const listener = jest.fn();
    config.onChange(listener).dispose();
    config.set('cache.ttlMs', 2);
    expect(listener).not.toHaveBeenCalled();
  });

  it('can serve as core ConfigReader', async () => {
    const { config } = setUp();
    const reader: import('@trellis/core').ConfigReader = config;
    const paths: string[][] = [];
    reader.onChange((change) => paths.push([...change.paths]));
    config.set('name', 'other');
    expect(paths).toEqual([['name']]);
  });
});

describe('Config.explain on a section', () => {
  it('summarises where the settings under it come from', () => {
    const { config } = setUp({ cache: { ttlMs: 100, tags: ['a'] } });
    expect(config.explain('cache')).toMatchObject({
      layer: 'file',
      origin: '2 settings from config/default.yaml (explain a leaf for each)',
    });
  });
});
