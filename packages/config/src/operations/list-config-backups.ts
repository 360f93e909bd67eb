import type { SnapshotInfo } from '../store/snapshot-store.js';
import { backupStoreOf, type ConfigTarget } from './config-target.js';

/**
 * Every backup of the target, oldest first (`trellis config history`). A corrupt backup is listed
 * with `corrupt: true` and its problem; `restoreConfig` refuses it.
 *
 * @example
 * ```ts
 * const latest = (await listConfigBackups(target)).at(-1);
 * ```
 */
export function listConfigBackups(target: ConfigTarget): Promise<SnapshotInfo[]> {
  return backupStoreOf(target).list();
}
