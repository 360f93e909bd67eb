import { describe, expect, it } from '@jest/globals';
import { type ConfigMigration, documentVersion, migrateDocument, withoutVersion } from './migrations.js';

const chain: ConfigMigration[] = [
  {
    from: 1,
    to: 2,
    description: 'rename cache.ttl to cache.ttlMs',
    migrate: ({ cache, ...rest }) => ({ ...rest, cache: { ttlMs: (cache as { ttl: number }).ttl * 1000 } }),
  },
  { from: 2, to: 3, description: 'add http section', migrate: (doc) => ({ ...doc, http: { port: 3000 } }) },
];

describe('migrateDocument', () => {
  it('applies every step from the declared version to the current one, in order', () => {
    const result = migrateDocument({ version: 1, cache: { ttl: 5 } }, 3, chain);
    expect(result.document).toEqual({ version: 3, cache: { ttlMs: 5000 }, http: { port: 3000 } });
    expect(result.steps.map((s) => `${s.from}->${s.to}`)).toEqual(['1->2', '2->3']);
    expect(result).toMatchObject({ from: 1, to: 3 });
  });

  it('treats a document without a version as version 1', () => {
    expect(documentVersion({ cache: {} })).toBe(1);
    expect(migrateDocument({ cache: { ttl: 1 } }, 2, chain).document).toEqual({
      version: 2,
      cache: { ttlMs: 1000 },
    });
  });

  it('returns a current document unchanged', () => {
    const doc = { version: 3, a: 1 };
    const result = migrateDocument(doc, 3, chain);
    expect(result.document).toBe(doc);
    expect(result.steps).toEqual([]);
  });

  it('does not mutate the input document', () => {
    const doc = { version: 1, cache: { ttl: 2 } };
    migrateDocument(doc, 3, chain);
    expect(doc).toEqual({ version: 1, cache: { ttl: 2 } });
  });

  it('refuses a document newer than the code, naming both versions', () => {
    expect(() => migrateDocument({ version: 9 }, 3, chain)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_VERSION_UNSUPPORTED',
        message: expect.stringContaining('version 9'),
      }),
    );
  });

  it('refuses when a step of the chain is missing', () => {
    expect(() => migrateDocument({ version: 1 }, 3, [chain[1] as ConfigMigration])).toThrow(
      expect.objectContaining({
        code: 'CONFIG_VERSION_UNSUPPORTED',
        message: expect.stringContaining('no migration from 1'),
      }),
    );
  });

  it('wraps a throwing step with the versions it was migrating between', () => {
    const broken: ConfigMigration = {
      from: 1,
      to: 2,
      description: 'broken',
      migrate: () => {
        throw new Error('cannot read cache');
      },
    };
    expect(() => migrateDocument({}, 2, [broken])).toThrow(
      expect.objectContaining({
        code: 'CONFIG_MIGRATION_FAILED',
        message: expect.stringContaining('from version 1 to 2 failed: cannot read cache'),
      }),
    );
  });

  it('ignores invalid version values', () => {
    expect(documentVersion({ version: 'two' })).toBe(1);
    expect(documentVersion({ version: 0 })).toBe(1);
    expect(documentVersion({ version: 2.5 })).toBe(1);
  });
});

describe('withoutVersion', () => {
  it('drops the version key and keeps the rest', () => {
    expect(withoutVersion({ version: 2, a: 1 })).toEqual({ a: 1 });
    const doc = { a: 1 };
    expect(withoutVersion(doc)).toBe(doc);
  });
});
