import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigWriteError } from '../errors.js';
import type { ConfigChangeEntry } from '../runtime/diff-config.js';
import { secretPaths } from '../schema/schema-walk.js';
import type { Keyring } from '../secrets/keyring.js';
import { type ConfigFileFormat, configFileFormat, parseConfigText } from '../sources/parse-config-text.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import {
  type ConfigDocument,
  documentVersion,
  type MigrationResult,
  migrateDocument,
  VERSION_KEY,
} from '../versions/migrations.js';
import { readConfigFiles } from './config-files.js';
import { backupStoreOf, type ConfigTarget, keyringOf } from './config-target.js';
import { diffDocuments } from './diff-documents.js';
import { rebindMovedSecrets } from './rebind-moved-secrets.js';

/** Options of {@link migrateConfigFiles}. */
export interface MigrateConfigFilesOptions {
  /** Compute and report the migration, write nothing. Default false. */
  readonly dryRun?: boolean;
}

/** One file {@link migrateConfigFiles} migrates (or would, in a dry run). */
export interface ConfigFileMigration {
  /** Absolute path of the file. */
  readonly file: string;
  /** The version the file declares. */
  readonly from: number;
  /** The version it is migrated to: the target's `currentVersion`. */
  readonly to: number;
  /** The migration steps applied, in order. */
  readonly steps: MigrationResult['steps'];
  /** What changes in the file; encrypted values show as `[encrypted:<keyId>]`, secrets as `[redacted]`. */
  readonly changes: readonly ConfigChangeEntry[];
}

/** What {@link migrateConfigFiles} did. */
export interface ConfigMigrationReport {
  /** Every file below the current version; empty when all are current. */
  readonly files: readonly ConfigFileMigration[];
  /** The backup taken before writing; absent in a dry run or when nothing needed migrating. */
  readonly backupId?: string;
}

interface PlannedFile {
  readonly migration: ConfigFileMigration;
  readonly format: ConfigFileFormat;
  readonly document: ConfigDocument;
}

/**
 * Brings every config file in the target's folder (`*.yaml`, `*.yml`, `*.json`) whose `version`
 * is below `currentVersion` up to it, with the target's migrations.
 *
 * Every file is migrated in memory first, so a failing migration (or a file newer than this
 * code) aborts before anything is written. Then, unless `dryRun`, a backup of all config files is
 * saved (label `before migrate`) and each migrated file is written atomically: YAML re-rendered
 * (comments are not kept), JSON with 2-space indentation. Encrypted values that a migration moves
 * are re-encrypted at their new path (see {@link rebindMovedSecrets}).
 *
 * @throws `CONFIG_MIGRATION_FAILED`, `CONFIG_VERSION_UNSUPPORTED` or `CONFIG_PARSE_FAILED`,
 * naming the file, with nothing written; `CONFIG_WRITE_FAILED` when a write fails.
 * @example
 * ```ts
 * const plan = await migrateConfigFiles({ schema, dir: 'config', currentVersion: 2, migrations }, { dryRun: true });
 * ```
 */
export async function migrateConfigFiles(
  target: ConfigTarget,
  options: MigrateConfigFilesOptions = {},
): Promise<ConfigMigrationReport> {
  const dir = resolve(target.dir);
  const currentVersion = target.currentVersion ?? 1;
  const patterns = secretPaths(target.schema);
  const texts = await readConfigFiles(dir);
  let keyring: Keyring | undefined;
  const planned: PlannedFile[] = [];
  for (const [name, text] of Object.entries(texts)) {
    const file = join(dir, name);
    const format = configFileFormat(file) as ConfigFileFormat;
    const { values } = parseConfigText(text, file, 'file');
    if (documentVersion(values) === currentVersion) continue;
    const result = withFile(file, () => migrateDocument(values, currentVersion, target.migrations ?? []));
    const document = withFile(file, () =>
      rebindMovedSecrets(values, asFileData(result.document), () => (keyring ??= keyringOf(target))),
    );
    const changes = diffDocuments(values, document, patterns);
    planned.push({
      migration: { file, from: result.from, to: result.to, steps: result.steps, changes },
      format,
      document,
    });
  }
  const files = planned.map((plan) => plan.migration);
  // Rendered in a dry run too, so a dry run fails wherever the real run would.
  const rendered = planned.map((plan) => ({ file: plan.migration.file, text: render(plan) }));
  if (options.dryRun || planned.length === 0) return { files };
  const backup = await backupStoreOf(target).save({
    label: 'before migrate',
    files: texts,
    meta: { operation: 'migrate', to: currentVersion },
  });
  for (const { file, text } of rendered) await writeFileAtomic(file, text);
  return { files, backupId: backup.id };
}

/** Runs `step`, adding the file's name to the message of an error it throws. */
function withFile<T>(file: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof Error && !error.message.includes(file)) error.message = `${file}: ${error.message}`;
    throw error;
  }
}

/**
 * The migrated document as the file will hold it: JSON data (a migration's objects may come from
 * another realm through structuredClone, as under Jest), with `version` first where a reader looks.
 */
function asFileData(document: ConfigDocument): ConfigDocument {
  const { [VERSION_KEY]: version, ...rest } = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  return { [VERSION_KEY]: version, ...rest };
}

/** The text of a migrated file, checked to read back as the migrated document. */
function render(plan: PlannedFile): string {
  const text =
    plan.format === 'json' ? `${JSON.stringify(plan.document, null, 2)}\n` : stringify(plan.document);
  const reread: unknown = plan.format === 'json' ? JSON.parse(text) : parse(text);
  if (JSON.stringify(reread) !== JSON.stringify(plan.document)) {
    throw new ConfigWriteError(
      plan.migration.file,
      new Error('the migrated document does not read back as written'),
    );
  }
  return text;
}
