import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ConfigChangeEntry, diffConfig } from '../runtime/diff-config.js';
import { secretPaths } from '../schema/schema-walk.js';
import { REDACTED_TEXT } from '../schema/secret-value.js';
import { configFileFormat, parseConfigText } from '../sources/parse-config-text.js';
import type { ConfigTarget } from './config-target.js';
import { diffDocuments } from './diff-documents.js';
import { loadTargetConfig, unmarkedEncryptedPaths } from './load-target.js';
import { ConfigDiffSourcesError } from './operation-errors.js';
import { touchesAny } from './redaction.js';

/**
 * Differences between two configurations, leaf by leaf, sorted by path; safe to print.
 *
 * Each of `a` and `b` is a config file or an environment name. A name with a `.yaml`, `.yml` or
 * `.json` extension or a path separator is a file (resolved from the working directory), and
 * must exist (a bare file name not in the working directory is looked up in the target's folder);
 * it is compared as written: encrypted values show as `[encrypted:<keyId>]` and are
 * compared by their text, plaintext under secret paths shows as `[redacted]`. Any other name is an
 * environment, loaded fully resolved (`environment: name`) from the target's folder, with secrets
 * compared by value and shown as `[redacted]`.
 *
 * @throws {@link ConfigDiffSourcesError} for one file and one environment; `ENOENT` for a file
 * that does not exist; the errors of `loadConfig` for an environment that does not load.
 * @example
 * ```ts
 * await diffConfigSources(target, 'staging', 'production');
 * await diffConfigSources(target, 'config/default.yaml', 'backup/default.yaml');
 * ```
 */
export async function diffConfigSources(
  target: ConfigTarget,
  a: string,
  b: string,
): Promise<ConfigChangeEntry[]> {
  const [aIsFile, bIsFile] = [isFileName(a), isFileName(b)];
  if (aIsFile !== bIsFile)
    throw aIsFile ? new ConfigDiffSourcesError(a, b) : new ConfigDiffSourcesError(b, a);
  const patterns = secretPaths(target.schema);
  if (aIsFile) return diffDocuments(await readDocument(target, a), await readDocument(target, b), patterns);
  const [before, after] = [
    await loadTargetConfig(target, { environment: a }),
    await loadTargetConfig(target, { environment: b }),
  ];
  const unmarked = [
    ...(await unmarkedEncryptedPaths(target, { environment: a })),
    ...(await unmarkedEncryptedPaths(target, { environment: b })),
  ];
  const changes = diffConfig(
    before.value as Record<string, unknown>,
    after.value as Record<string, unknown>,
    patterns,
  );
  return changes.map((change) =>
    touchesAny(unmarked, change.path)
      ? {
          ...change,
          ...(change.before === undefined ? {} : { before: REDACTED_TEXT }),
          ...(change.after === undefined ? {} : { after: REDACTED_TEXT }),
        }
      : change,
  );
}

function isFileName(source: string): boolean {
  return /[\\/]/.test(source) || configFileFormat(source) !== undefined;
}

/** A config file's document as written (not migrated): its `version` is one of the things that may differ. */
async function readDocument(target: ConfigTarget, name: string): Promise<Readonly<Record<string, unknown>>> {
  const inDir = join(target.dir, name);
  const file = resolve(!/[\\/]/.test(name) && !existsSync(name) && existsSync(inDir) ? inDir : name);
  const { values } = parseConfigText(await readFile(file, 'utf8'), file, 'file');
  return values;
}
