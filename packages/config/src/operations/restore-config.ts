import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { ConfigInvalidError, SnapshotCorruptError } from '../errors.js';
import { resolveSourcePaths } from '../runtime/load-config.js';
import { parseConfigText } from '../sources/parse-config-text.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { snapshotFileName } from '../store/snapshot-id.js';
import { isConfigFileName, readConfigFiles } from './config-files.js';
import { backupStoreOf, type ConfigTarget, loadOptionsOf } from './config-target.js';
import { loadTargetConfig } from './load-target.js';

/** What {@link restoreConfig} did. */
export interface ConfigRestore {
  /** Names of the files written from the backup, in name order. */
  readonly restored: readonly string[];
  /** Names of config files that were in the folder but not in the backup, now removed. */
  readonly removed: readonly string[];
  /** The backup of the folder's config files taken just before the restore: restore it to undo. */
  readonly backupOfCurrent: string;
}

/**
 * Puts the config files of backup `id` back into the target's folder, after proving they work.
 *
 * The backup is read and its checksum verified; its files are parsed and loaded with the target's
 * schema, keyring, environment and `.env` from a temporary folder. Only when that configuration
 * is valid are the current config files backed up (label `before restore <id>`), the backup's
 * files written atomically, and config files the backup does not have removed, so the folder
 * holds exactly what was validated. The `.env` file is never touched.
 *
 * @throws `CONFIG_SNAPSHOT_NOT_FOUND` or `CONFIG_SNAPSHOT_CORRUPT` for a missing or damaged
 * backup; the error that loading it raised (`CONFIG_INVALID`, `CONFIG_PARSE_FAILED`, a secret key
 * error) when it does not validate. Nothing is written then.
 * @example
 * ```ts
 * const { backupOfCurrent } = await restoreConfig(target, '20250314T092653589Z-3fa0');
 * ```
 */
export async function restoreConfig(target: ConfigTarget, id: string): Promise<ConfigRestore> {
  const store = backupStoreOf(target);
  const snapshot = await store.get(id);
  const names = Object.keys(snapshot.files).sort();
  for (const name of names) {
    if (!isConfigFileName(name)) {
      throw new SnapshotCorruptError(
        id,
        join(store.dir, snapshotFileName(id)),
        `it holds "${name}", which is not the name of a config file`,
      );
    }
  }
  await validateSnapshotFiles(target, id, snapshot.files);
  const dir = resolve(target.dir);
  const current = await readConfigFiles(dir);
  const backup = await store.save({
    label: `before restore ${id}`,
    files: current,
    meta: { operation: 'restore', restoring: id },
  });
  for (const name of names) await writeFileAtomic(join(dir, name), snapshot.files[name] as string);
  const removed = Object.keys(current).filter((name) => !Object.hasOwn(snapshot.files, name));
  for (const name of removed) await rm(join(dir, name), { force: true });
  return { restored: names, removed, backupOfCurrent: backup.id };
}

/** Parses every file of the backup and loads the target's configuration from them, in a temporary folder. */
async function validateSnapshotFiles(
  target: ConfigTarget,
  id: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  const label = `backup ${id}${sep}`;
  for (const [name, text] of Object.entries(files)) parseConfigText(text, `${label}${name}`, 'file');
  // The environment and .env are those of the real folder, not of the temporary one.
  const paths = resolveSourcePaths(loadOptionsOf(target));
  const staging = await mkdtemp(join(tmpdir(), 'trellis-restore-'));
  try {
    for (const [name, text] of Object.entries(files))
      await writeFile(join(staging, name), text, { mode: 0o600 });
    await loadTargetConfig(target, {
      dir: staging,
      environment: paths.environment,
      envFile: paths.envFile ?? false,
    });
  } catch (error) {
    if (!(error instanceof ConfigInvalidError)) throw error;
    // Name the backup, not the temporary folder, as the origin of each problem.
    const rename = (text: string) => text.split(`${staging}${sep}`).join(label);
    throw new ConfigInvalidError(
      error.problems.map((problem) => ({
        ...problem,
        origin: rename(problem.origin),
        message: rename(problem.message),
      })),
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
