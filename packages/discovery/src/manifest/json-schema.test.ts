import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { MANIFEST_JSON_SCHEMA_ID, manifestJsonSchema } from './json-schema.js';

const committedFile = join(__dirname, '..', '..', 'manifest.schema.json');

describe('manifestJsonSchema', () => {
  it('is a draft 2020-12 schema with an id, a title and a description', () => {
    expect(manifestJsonSchema()).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: MANIFEST_JSON_SCHEMA_ID,
      title: 'Trellis plugin manifest',
      type: 'object',
      additionalProperties: false,
    });
  });

  it('requires only the fields without defaults', () => {
    expect(manifestJsonSchema().required).toEqual(['name', 'version', 'platform']);
  });

  it('carries the patterns editors can check', () => {
    const { properties } = manifestJsonSchema() as { properties: Record<string, { pattern?: string }> };
    expect(properties.name?.pattern).toBeDefined();
    expect(properties.configExport?.pattern).toBeDefined();
  });

  it('equals the committed manifest.schema.json', () => {
    const committed: unknown = JSON.parse(readFileSync(committedFile, 'utf8'));
    if (!isDeepStrictEqual(committed, manifestJsonSchema())) {
      throw new Error(
        'manifest.schema.json is stale: run `pnpm build && pnpm manifest-schema` in packages/discovery and commit it.',
      );
    }
  });
});
