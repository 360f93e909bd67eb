import { resolve } from 'node:path';
import type { SnapshotInfo } from '../store/snapshot-store.js';
import { readConfigFiles } from './config-files.js';
import { backupStoreOf, type ConfigTarget } from './config-target.js';

/** The label {@link backupConfig} gives a backup when none is given. */
export const MANUAL_BACKUP_LABEL = 'manual backup';

/**
 * Saves a backup (a checksummed snapshot) of every config file in the target's folder
 * (`*.yaml`, `*.yml`, `*.json`) in its backups folder, pruning the oldest beyond `retain`.
 *
 * The `.env` file is not included: it holds local secrets in plaintext, and a backup must not
 * copy them into another file. Encrypted values are stored as they are, still encrypted.
 *
 * @throws `CONFIG_WRITE_FAILED` when the backup cannot be written.
 * @example
 * ```ts
 * const { id } = await backupConfig({ schema, dir: 'config' }, 'before the release');
 * ```
 */
export async function backupConfig(target: ConfigTarget, label = MANUAL_BACKUP_LABEL): Promise<SnapshotInfo> {
  const files = await readConfigFiles(resolve(target.dir));
  return backupStoreOf(target).save({ label, files, meta: { operation: 'backup' } });
}
