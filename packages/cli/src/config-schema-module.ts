import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigMigration } from '@trellis/config';
import { describeError } from '@trellis/core';
import type { z } from 'zod';
import { CliSchemaInvalidError, CliSchemaUnavailableError } from './errors.js';

/** What the config commands take from the `--schema` module. */
export interface ConfigSchemaModule {
  /** The zod schema of the whole configuration. */
  readonly schema: z.ZodType;
  /** The document version the schema expects (export `currentVersion`); default 1. */
  readonly currentVersion?: number;
  /** Migrations to it (export `migrations`). */
  readonly migrations?: readonly ConfigMigration[];
  /** Prefixed variables that are not settings (export `ignoreEnv`). */
  readonly ignoreEnv?: readonly string[];
}

/**
 * Imports the `--schema` module: an ES module exporting `configSchema` (a zod schema) or
 * `createConfigSchema()` (returning one, or a promise of one), and optionally `currentVersion`,
 * `migrations` and `ignoreEnv`. The module should import `secret()` from the same
 * `@trellis/config` the CLI uses; values stored encrypted are redacted even when it does not.
 *
 * @throws {@link CliSchemaUnavailableError} when the file is missing or fails to import;
 * {@link CliSchemaInvalidError} when its exports are not as described.
 * @example
 * ```ts
 * // config.schema.mjs
 * import { secret } from '@trellis/config';
 * import { z } from 'zod';
 * export const configSchema = z.object({ db: z.object({ password: secret() }) });
 * ```
 */
export async function loadConfigSchemaModule(path: string): Promise<ConfigSchemaModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new CliSchemaUnavailableError(file, 'the file does not exist');
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliSchemaUnavailableError(file, `importing it failed: ${describeError(error)}`, error);
  }
  const { configSchema, createConfigSchema, currentVersion, migrations, ignoreEnv } = exports;
  let schema = configSchema;
  if (schema === undefined && typeof createConfigSchema === 'function') {
    try {
      schema = await createConfigSchema();
    } catch (error) {
      throw new CliSchemaUnavailableError(
        file,
        `createConfigSchema() failed: ${describeError(error)}`,
        error,
      );
    }
  }
  if (!isZodSchema(schema)) {
    throw new CliSchemaInvalidError(
      file,
      schema === undefined
        ? 'exports neither configSchema nor createConfigSchema()'
        : 'exports a configSchema that is not a zod schema',
    );
  }
  if (currentVersion !== undefined && !(Number.isInteger(currentVersion) && (currentVersion as number) > 0)) {
    throw new CliSchemaInvalidError(file, 'exports a currentVersion that is not a positive integer');
  }
  if (migrations !== undefined && !Array.isArray(migrations)) {
    throw new CliSchemaInvalidError(file, 'exports migrations that are not an array');
  }
  if (
    ignoreEnv !== undefined &&
    !(Array.isArray(ignoreEnv) && ignoreEnv.every((name) => typeof name === 'string'))
  ) {
    throw new CliSchemaInvalidError(file, 'exports an ignoreEnv that is not an array of variable names');
  }
  return {
    schema,
    currentVersion: currentVersion as number | undefined,
    migrations: migrations as ConfigMigration[] | undefined,
    ignoreEnv: ignoreEnv as string[] | undefined,
  };
}

/** Duck-typed, since the module may use another copy of zod than the CLI. */
function isZodSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}
