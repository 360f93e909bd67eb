import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigInvalidError } from '../errors.js';
import type { Config } from '../runtime/config.js';
import { type LoadConfigOptions, loadConfig, resolveSourcePaths } from '../runtime/load-config.js';
import { isSecretPath, secretPaths } from '../schema/schema-walk.js';
import { isEnvelope } from '../secrets/envelope.js';
import { mapRecordLeaves } from '../secrets/map-leaves.js';
import { parseConfigText } from '../sources/parse-config-text.js';
import { findConfigFile } from '../sources/read-config-file.js';
import { migrateDocument } from '../versions/migrations.js';
import { type ConfigTarget, loadOptionsOf } from './config-target.js';
import { scrubProblems } from './redaction.js';

/** Options of a target load that differ from the target's own (another environment, another folder). */
export type TargetLoadOverrides = Partial<
  Pick<LoadConfigOptions<z.ZodType>, 'dir' | 'environment' | 'envFile'>
>;

/**
 * Loads a target's configuration with `loadConfig`. A `CONFIG_INVALID` error is raised again with
 * received values removed from every problem whose path could hold a secret: the schema's secret
 * paths and every path the files hold an encrypted value at (see {@link readEncryptedPaths}).
 */
export async function loadTargetConfig(
  target: ConfigTarget,
  overrides: TargetLoadOverrides = {},
): Promise<Config<unknown>> {
  const options = { ...loadOptionsOf(target), ...overrides };
  try {
    return await loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigInvalidError)) throw error;
    const { problems } = error;
    const encrypted = await readEncryptedPaths(target, overrides).catch(() => []);
    throw new ConfigInvalidError(scrubProblems(problems, [...secretPaths(target.schema), ...encrypted]));
  }
}

/**
 * Every dotted path (array indices as segments) at which the target's `default` or environment
 * file holds an encrypted value, after migration. These are secret whatever the schema says: a
 * schema built with another copy of `@trellis/config` than the one reading it has no `secret()`
 * marks that this copy can see, and its secrets would otherwise be shown decrypted.
 */
export async function readEncryptedPaths(
  target: ConfigTarget,
  overrides: TargetLoadOverrides = {},
): Promise<string[]> {
  const paths = resolveSourcePaths({ ...loadOptionsOf(target), ...overrides });
  const found: string[] = [];
  for (const basename of ['default', paths.environment]) {
    const file = findConfigFile(paths.dir, basename);
    if (!file) continue;
    const { values } = parseConfigText(await readFile(file, 'utf8'), file, 'file');
    const { document } = migrateDocument(values, target.currentVersion ?? 1, target.migrations ?? []);
    // A JSON copy: migrations run on structuredClone output, whose objects may come from another
    // realm (as under Jest) and would not be walked as plain objects.
    mapRecordLeaves(JSON.parse(JSON.stringify(document)) as Record<string, unknown>, (value, path) => {
      if (isEnvelope(value)) found.push(path);
      return value;
    });
  }
  return found;
}

/**
 * The encrypted paths of a target ({@link readEncryptedPaths}) that its schema does not mark
 * secret. Normally none; values at, under or above them are redacted as if they were marked.
 */
export async function unmarkedEncryptedPaths(
  target: ConfigTarget,
  overrides: TargetLoadOverrides = {},
): Promise<string[]> {
  const patterns = secretPaths(target.schema);
  return (await readEncryptedPaths(target, overrides)).filter((path) => !isSecretPath(patterns, path));
}
