import { randomBytes } from 'node:crypto';

/** `<id>.snapshot.json`, where `<id>` is `YYYYMMDDTHHmmssSSSZ-<4 hex>`; group 1 is the id. */
export const SNAPSHOT_FILE_PATTERN = /^(\d{8}T\d{9}Z-[0-9a-f]{4})\.snapshot\.json$/;

const ID_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[0-9a-f]{4}$/;

/**
 * A new snapshot id for the instant `epochMs`: its UTC time as `YYYYMMDDTHHmmssSSSZ`, a dash and
 * 4 random hex characters, e.g. `20250314T092653589Z-3fa0`. Ids sort as strings in time order;
 * ids from the same millisecond sort in random order.
 */
export function createSnapshotId(epochMs: number): string {
  const stamp = new Date(epochMs).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** True when `id` has the form {@link createSnapshotId} produces. */
export function isSnapshotId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** The epoch milliseconds encoded in a snapshot id, or `NaN` when `id` is not one. */
export function snapshotIdTime(id: string): number {
  return isSnapshotId(id) ? Date.parse(id.replace(ID_PATTERN, '$1-$2-$3T$4:$5:$6.$7Z')) : Number.NaN;
}

/** The file name a snapshot with this id is stored under: `<id>.snapshot.json`. */
export function snapshotFileName(id: string): string {
  return `${id}.snapshot.json`;
}
