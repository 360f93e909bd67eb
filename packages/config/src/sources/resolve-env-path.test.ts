import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { describeSchema } from '../schema/schema-walk.js';
import { type EnvPathResolution, resolveEnvPath } from './resolve-env-path.js';

const schema = z.object({
  cache: z.object({ ttlMs: z.number(), maxEntries: z.number().optional(), ttl_seconds: z.number() }),
  plugins: z.record(z.string(), z.object({ enabled: z.boolean() })),
  regions: z.record(z.enum(['eu_west', 'us-east']), z.string()),
  servers: z.array(z.object({ port: z.number() })).default([]),
  db: z.object({ password: secret(), credentials: secret(z.object({ user: z.string(), pin: z.number() })) }),
  extra: z.union([z.string(), z.number()]),
  anything: z.unknown(),
});
const resolve = (variable: string, lowerValues?: Record<string, unknown>): EnvPathResolution =>
  resolveEnvPath(variable, schema, { prefix: 'TRELLIS_', lowerValues });
const pathOf = (variable: string, lowerValues?: Record<string, unknown>): string => {
  const result = resolve(variable, lowerValues);
  if (!result.ok) throw new Error(result.message);
  return result.path;
};
const problem = (variable: string): { path: string; message: string } => {
  const result = resolve(variable);
  if (result.ok) throw new Error(`resolved to ${result.path}`);
  return { path: result.path, message: result.message };
};

describe('resolveEnvPath', () => {
  it('matches object keys without case or underscores', () => {
    expect(pathOf('TRELLIS_CACHE__TTL_MS')).toBe('cache.ttlMs');
    expect(pathOf('TRELLIS_CACHE__TTLMS')).toBe('cache.ttlMs');
    expect(pathOf('TRELLIS_CACHE__TTL_SECONDS')).toBe('cache.ttl_seconds');
    expect(pathOf('TRELLIS_CACHE__MAX_ENTRIES')).toBe('cache.maxEntries');
  });

  it('gives the schema of the target', () => {
    const result = resolve('TRELLIS_CACHE__TTL_MS');
    expect(result.ok && describeSchema(result.schema).kind).toBe('number');
    expect(result.ok && result.secret).toBe(false);
  });

  it('turns a record segment into kebab case by default', () => {
    expect(pathOf('TRELLIS_PLUGINS__MY_PLUGIN__ENABLED')).toBe('plugins.my-plugin.enabled');
  });

  it('reuses the spelling of a record key the lower layers already have', () => {
    expect(
      pathOf('TRELLIS_PLUGINS__MY_PLUGIN__ENABLED', { plugins: { my_plugin: { enabled: false } } }),
    ).toBe('plugins.my_plugin.enabled');
  });

  it('falls back to lower case, then the segment as written, when the key schema rejects kebab case', () => {
    expect(pathOf('TRELLIS_REGIONS__EU_WEST')).toBe('regions.eu_west');
    expect(pathOf('TRELLIS_REGIONS__US_EAST')).toBe('regions.us-east');
    const exact = z.object({ codes: z.record(z.string().regex(/^[A-Z_]+$/), z.string()) });
    const result = resolveEnvPath('TRELLIS_CODES__NOT_FOUND', exact, { prefix: 'TRELLIS_' });
    expect(result.ok && result.path).toBe('codes.NOT_FOUND');
  });

  it('suggests allowed record keys when none fits', () => {
    expect(problem('TRELLIS_REGIONS__EU_WESTT').message).toBe(
      'unknown setting from TRELLIS_REGIONS__EU_WESTT; did you mean TRELLIS_REGIONS__EU_WEST?',
    );
  });

  it('reads a numeric segment under a list as an index', () => {
    expect(pathOf('TRELLIS_SERVERS__0__PORT')).toBe('servers.0.port');
    expect(pathOf('TRELLIS_SERVERS__01__PORT')).toBe('servers.1.port');
  });

  it('follows lower-layer values through list elements', () => {
    expect(pathOf('TRELLIS_SERVERS__0__PORT', { servers: [{ port: 1 }] })).toBe('servers.0.port');
  });

  it('rejects a non-numeric segment under a list', () => {
    expect(problem('TRELLIS_SERVERS__FIRST')).toEqual({
      path: 'servers.FIRST',
      message:
        'unknown setting from TRELLIS_SERVERS__FIRST; "servers" is a list; name an item by its index, such as TRELLIS_SERVERS__0',
    });
  });

  it('suggests the closest sibling for a typo', () => {
    expect(problem('TRELLIS_CACHE__TTL_M')).toEqual({
      path: 'cache.TTL_M',
      message: 'unknown setting from TRELLIS_CACHE__TTL_M; did you mean TRELLIS_CACHE__TTL_MS?',
    });
  });

  it('suggests __ where a single _ was written between levels', () => {
    expect(problem('TRELLIS_CACHE_TTL_MS')).toEqual({
      path: 'CACHE_TTL_MS',
      message:
        'unknown setting from TRELLIS_CACHE_TTL_MS; did you mean TRELLIS_CACHE__TTL_MS? (levels are separated by "__")',
    });
    expect(problem('TRELLIS_DB__CREDENTIALS_PIN').message).toContain(
      'did you mean TRELLIS_DB__CREDENTIALS__PIN?',
    );
  });

  it('lists the settings when nothing is close', () => {
    expect(problem('TRELLIS_DATABASE_URL').message).toBe(
      'unknown setting from TRELLIS_DATABASE_URL; expected one of TRELLIS_CACHE, TRELLIS_PLUGINS, TRELLIS_REGIONS, TRELLIS_SERVERS, TRELLIS_DB, TRELLIS_EXTRA, TRELLIS_ANYTHING',
    );
    const wide = z.object(
      Object.fromEntries([...'abcdefghij'].map((key) => [`${key}${key}${key}${key}`, z.string()])),
    );
    const result = resolveEnvPath('TRELLIS_ZZZZZZZZ', wide, { prefix: 'TRELLIS_' });
    expect(!result.ok && result.message).toMatch(/expected one of TRELLIS_AAAA, .*, TRELLIS_HHHH, \.\.\.$/);
  });

  it('says when an object has no settings at all', () => {
    const result = resolveEnvPath('TRELLIS_X', z.object({}), { prefix: 'TRELLIS_' });
    expect(!result.ok && result.message).toBe('unknown setting from TRELLIS_X; nothing can be set here');
  });

  it('rejects a segment under a scalar', () => {
    expect(problem('TRELLIS_CACHE__TTL_MS__UNIT')).toEqual({
      path: 'cache.ttlMs.UNIT',
      message:
        'unknown setting from TRELLIS_CACHE__TTL_MS__UNIT; "cache.ttlMs" is a number, which has no settings inside it',
    });
  });

  it('asks for JSON instead of a segment under a union or unknown value', () => {
    expect(problem('TRELLIS_EXTRA__A').message).toBe(
      'unknown setting from TRELLIS_EXTRA__A; "extra" is a choice of types, which has no settings inside it; set TRELLIS_EXTRA to JSON instead',
    );
    expect(problem('TRELLIS_ANYTHING__A').message).toContain(
      '"anything" is a free-form value, which has no settings inside it',
    );
  });

  it('rejects empty segments', () => {
    expect(problem('TRELLIS_CACHE____TTL_MS').message).toBe(
      'unknown setting from TRELLIS_CACHE____TTL_MS; a segment between "__" separators is empty',
    );
    expect(problem('TRELLIS_').path).toBe('');
  });

  it('marks a secret and everything inside one as secret', () => {
    expect(resolve('TRELLIS_DB__PASSWORD')).toMatchObject({ ok: true, path: 'db.password', secret: true });
    const inside = resolve('TRELLIS_DB__CREDENTIALS__PIN');
    expect(inside).toMatchObject({ ok: true, path: 'db.credentials.pin', secret: true });
    expect(inside.ok && describeSchema(inside.schema).kind).toBe('number');
  });

  it('names the top level in messages about the root', () => {
    const result = resolveEnvPath('TRELLIS_A', z.string(), { prefix: 'TRELLIS_' });
    expect(!result.ok && result.message).toBe(
      'unknown setting from TRELLIS_A; the top level is a string, which has no settings inside it',
    );
  });
});
