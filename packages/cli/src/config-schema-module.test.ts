import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfigSchemaModule } from './config-schema-module.js';

/** Inside the package, so modules resolve `zod` from its node_modules. */
const TMP_ROOT = resolve(__dirname, '../.tmp-test');
let dir: string;
let count = 0;

beforeAll(async () => {
  await mkdir(TMP_ROOT, { recursive: true });
  dir = await mkdtemp(join(TMP_ROOT, 'schema-module-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a module with `source` and returns its path (a new file each time, so imports are never cached). */
async function moduleWith(source: string): Promise<string> {
  const file = join(dir, `schema-${++count}.mjs`);
  await writeFile(file, `import { z } from 'zod';\n${source}\n`);
  return file;
}

describe('loadConfigSchemaModule', () => {
  it('takes configSchema, currentVersion, migrations and ignoreEnv', async () => {
    const file = await moduleWith(
      "export const configSchema = z.object({ a: z.string() });\nexport const currentVersion = 3;\nexport const migrations = [];\nexport const ignoreEnv = ['TRELLIS_PLUGINS_DIR'];",
    );
    const loaded = await loadConfigSchemaModule(file);
    expect(loaded).toMatchObject({ currentVersion: 3, migrations: [], ignoreEnv: ['TRELLIS_PLUGINS_DIR'] });
    expect(loaded.schema.safeParse({ a: 'x' }).success).toBe(true);
  });

  it('calls createConfigSchema() when there is no configSchema', async () => {
    const file = await moduleWith('export const createConfigSchema = () => z.object({ b: z.number() });');
    const loaded = await loadConfigSchemaModule(file);
    expect(loaded.schema.safeParse({ b: 1 }).success).toBe(true);
    expect(loaded.currentVersion).toBeUndefined();
  });

  it('fails with CLI_SCHEMA_UNAVAILABLE when the file is missing, does not import or its factory throws', async () => {
    await expect(loadConfigSchemaModule(join(dir, 'missing.mjs'))).rejects.toMatchObject({
      code: 'CLI_SCHEMA_UNAVAILABLE',
      message: expect.stringContaining(
        `${join(dir, 'missing.mjs')} cannot be loaded: the file does not exist`,
      ),
    });
    await expect(loadConfigSchemaModule(await moduleWith("import './nope.mjs';"))).rejects.toMatchObject({
      code: 'CLI_SCHEMA_UNAVAILABLE',
      message: expect.stringContaining('importing it failed'),
    });
    await expect(
      loadConfigSchemaModule(
        await moduleWith("export function createConfigSchema() { throw new Error('no plugins'); }"),
      ),
    ).rejects.toMatchObject({
      code: 'CLI_SCHEMA_UNAVAILABLE',
      message: expect.stringContaining('createConfigSchema() failed: no plugins'),
    });
  });

  it('fails with CLI_SCHEMA_INVALID for exports that are not as described', async () => {
    const cases: [string, string][] = [
      ['export const other = 1;', 'exports neither configSchema nor createConfigSchema()'],
      ['export const configSchema = { parse() {} };', 'exports a configSchema that is not a zod schema'],
      [
        'export const configSchema = z.object({});\nexport const currentVersion = 0;',
        'currentVersion that is not a positive integer',
      ],
      [
        'export const configSchema = z.object({});\nexport const migrations = {};',
        'migrations that are not an array',
      ],
      [
        'export const configSchema = z.object({});\nexport const ignoreEnv = [1];',
        'ignoreEnv that is not an array of variable names',
      ],
    ];
    for (const [source, problem] of cases) {
      await expect(loadConfigSchemaModule(await moduleWith(source))).rejects.toMatchObject({
        code: 'CLI_SCHEMA_INVALID',
        message: expect.stringContaining(problem),
      });
    }
  });
});
