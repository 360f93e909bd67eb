import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import { duration, secret } from '../schema/markers.js';
import { mapEnvironment } from './env-mapping.js';
import { mergeLayers } from './merge-layers.js';
import type { LayerValues } from './origin.js';

const schema = z.object({
  cache: z.object({
    ttlMs: z.number(),
    enabled: z.boolean(),
    hosts: z.array(z.string()),
    ttl: duration(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  db: z.object({ password: secret(), pin: secret(z.number()), tls: secret(z.object({ cert: z.string() })) }),
  servers: z.array(z.object({ host: z.string(), port: z.number() })).default([]),
});

describe('mapEnvironment', () => {
  it('maps prefixed variables to typed values with their variable as origin', () => {
    const { layer, problems } = mapEnvironment(
      {
        TRELLIS_CACHE__TTL_MS: '5000',
        TRELLIS_CACHE__ENABLED: 'off',
        TRELLIS_CACHE__HOSTS: 'a, b',
        TRELLIS_CACHE__TTL: '5s',
        PATH: '/usr/bin',
        TRELLIS_UNSET: undefined,
      },
      schema,
      { layer: 'env' },
    );
    expect(problems).toEqual([]);
    expect(layer.values).toEqual({ cache: { ttlMs: 5000, enabled: false, hosts: ['a', 'b'], ttl: '5s' } });
    expect(layer.origins.get('cache.ttlMs')).toEqual({ layer: 'env', source: 'TRELLIS_CACHE__TTL_MS' });
    expect(layer.origins.get('cache.hosts')).toEqual({ layer: 'env', source: 'TRELLIS_CACHE__HOSTS' });
    expect(
      schema.shape.cache.shape.ttl.parse(layer.values.cache && (layer.values.cache as { ttl: string }).ttl),
    ).toBe(5000);
  });

  it('round-trips any integer setting through its variable', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const { layer } = mapEnvironment({ TRELLIS_CACHE__TTL_MS: String(n) }, schema, { layer: 'env' });
        expect(layer.values).toEqual({ cache: { ttlMs: n } });
      }),
    );
  });

  it('uses another prefix when given one', () => {
    const { layer } = mapEnvironment({ APP_CACHE__TTL_MS: '1', TRELLIS_CACHE__TTL_MS: '2' }, schema, {
      prefix: 'APP_',
      layer: 'env',
    });
    expect(layer.values).toEqual({ cache: { ttlMs: 1 } });
  });

  it('takes origins from the source option, e.g. a .env file and line', () => {
    const lines: Record<string, number> = { TRELLIS_CACHE__TTL_MS: 3 };
    const { layer, problems } = mapEnvironment(
      { TRELLIS_CACHE__TTL_MS: '7', TRELLIS_CACHE__ENABLED: 'nope' },
      schema,
      {
        layer: 'env-file',
        source: (variable) => ({ layer: 'env-file', source: '.env', line: lines[variable] ?? 9 }),
      },
    );
    expect(layer.origins.get('cache.ttlMs')).toEqual({ layer: 'env-file', source: '.env', line: 3 });
    expect(problems).toEqual([
      {
        path: 'cache.enabled',
        message:
          'TRELLIS_CACHE__ENABLED cannot be read: expected true or false (also 1/0, yes/no, on/off), received "nope"',
        origin: '.env:9',
      },
    ]);
  });

  it('reports an unknown variable with a did-you-mean suggestion', () => {
    const { layer, problems } = mapEnvironment({ TRELLIS_CACHE__TTL_M: '5' }, schema, { layer: 'env' });
    expect(layer.values).toEqual({});
    expect(problems).toEqual([
      {
        path: 'cache.TTL_M',
        message: 'unknown setting from TRELLIS_CACHE__TTL_M; did you mean TRELLIS_CACHE__TTL_MS?',
        origin: 'env TRELLIS_CACHE__TTL_M',
      },
    ]);
  });

  it('names the variable, the expected form and the received text when a value cannot be read', () => {
    const { problems } = mapEnvironment({ TRELLIS_CACHE__TTL_MS: 'five seconds' }, schema, { layer: 'env' });
    expect(problems).toEqual([
      {
        path: 'cache.ttlMs',
        message:
          'TRELLIS_CACHE__TTL_MS cannot be read: expected a number such as 5000, received "five seconds"',
        origin: 'env TRELLIS_CACHE__TTL_MS',
      },
    ]);
  });

  it('shortens a long received value', () => {
    const { problems } = mapEnvironment({ TRELLIS_CACHE__TTL_MS: 'x'.repeat(200) }, schema, { layer: 'env' });
    expect(problems[0]?.message).toContain(`received "${'x'.repeat(57)}..."`);
  });

  it('never shows the value of a secret, or of anything inside one', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 4 })
          .filter((text) => !Number.isFinite(Number(text.trim())) || text.trim() === ''),
        (text) => {
          const { problems } = mapEnvironment({ TRELLIS_DB__PIN: text, TRELLIS_DB__TLS: text }, schema, {
            layer: 'env',
          });
          expect(problems).toHaveLength(2);
          for (const problem of problems) {
            expect(problem.message).toContain('received [redacted]');
            expect(problem.message.replace(/TRELLIS_DB__(PIN|TLS)/, '')).not.toContain(JSON.stringify(text));
          }
        },
      ),
    );
    const { problems } = mapEnvironment({ TRELLIS_DB__PIN: 'hunter2' }, schema, { layer: 'env' });
    expect(problems[0]).toEqual({
      path: 'db.pin',
      message: 'TRELLIS_DB__PIN cannot be read: expected a number such as 5000, received [redacted]',
      origin: 'env TRELLIS_DB__PIN',
    });
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('passes a secret string through for the schema to wrap', () => {
    const { layer } = mapEnvironment(
      { TRELLIS_DB__PASSWORD: 's3cret', TRELLIS_DB__TLS__CERT: 'pem' },
      schema,
      { layer: 'env' },
    );
    expect(layer.values).toEqual({ db: { password: 's3cret', tls: { cert: 'pem' } } });
  });

  it("skips the library's own variables unless told otherwise", () => {
    const env = {
      TRELLIS_ENV: 'production',
      TRELLIS_CONFIG_KEYS: 'k1:abc',
      TRELLIS_CONFIG_KEY_FILE: '/keys.json',
    };
    expect(mapEnvironment(env, schema, { layer: 'env' }).problems).toEqual([]);
    expect(mapEnvironment(env, schema, { layer: 'env', ignore: [] }).problems).toHaveLength(3);
  });

  it('lets a specific variable override the same setting inside a JSON one', () => {
    const { layer } = mapEnvironment(
      { TRELLIS_CACHE__TTL_MS: '2', TRELLIS_CACHE: '{"ttlMs": 1, "enabled": true}' },
      schema,
      { layer: 'env' },
    );
    expect(layer.values).toEqual({ cache: { ttlMs: 2, enabled: true } });
    expect(layer.origins.get('cache.ttlMs')?.source).toBe('TRELLIS_CACHE__TTL_MS');
    expect(layer.origins.get('cache.enabled')?.source).toBe('TRELLIS_CACHE');
  });

  it('gives every leaf of a JSON object the variable as origin', () => {
    const { layer } = mapEnvironment({ TRELLIS_CACHE__OPTIONS: '{"a": {"b": 1}, "c": {}}' }, schema, {
      layer: 'env',
    });
    expect([...layer.origins.keys()].sort()).toEqual(['cache.options.a.b', 'cache.options.c']);
  });

  it('updates one element of a list that a lower layer defines', () => {
    const file: LayerValues = {
      values: {
        servers: [
          { host: 'a', port: 1 },
          { host: 'b', port: 2 },
        ],
      },
      origins: new Map([['servers', { layer: 'file', source: 'default.yaml', line: 3, column: 10 }]]),
    };
    const { layer } = mapEnvironment({ TRELLIS_SERVERS__1__PORT: '8080' }, schema, { layer: 'env' });
    const merged = mergeLayers([file, layer]);
    expect(merged.values).toEqual({
      servers: [
        { host: 'a', port: 1 },
        { host: 'b', port: 8080 },
      ],
    });
    expect(
      schema.safeParse({
        cache: { ttlMs: 1, enabled: true, hosts: [], ttl: 1 },
        db: { password: 'x', pin: 1, tls: { cert: 'c' } },
        ...merged.values,
      }).success,
    ).toBe(true);
  });
});
