import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from '@trellis/core';
import { ConfigWriteError, SnapshotCorruptError, SnapshotNotFoundError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { decodeSnapshot, type EncodedSnapshot, encodeSnapshot, type Snapshot } from './snapshot-format.js';
import {
  createSnapshotId,
  isSnapshotId,
  SNAPSHOT_FILE_PATTERN,
  snapshotFileName,
  snapshotIdTime,
} from './snapshot-id.js';

/** How many snapshots a {@link SnapshotStore} keeps when `retain` is not given. */
export const SNAPSHOT_RETAIN_DEFAULT = 20;

/** Options for {@link SnapshotStore}. */
export interface SnapshotStoreOptions {
  /** The directory holding the snapshot files; created on the first save. */
  readonly dir: string;
  /** How many snapshots to keep; older ones are removed after each save. Default {@link SNAPSHOT_RETAIN_DEFAULT}. */
  readonly retain?: number;
  /** Timestamps snapshot ids; default `systemClock`. */
  readonly clock?: Clock;
}

/** What to store with {@link SnapshotStore.save}. */
export interface SnapshotInput {
  /** A short human description, e.g. "before migrate to v3". */
  readonly label: string;
  /** File name relative to the config directory → full file content. */
  readonly files: Readonly<Record<string, string>>;
  /** Free-form facts to keep with the snapshot; only what JSON can represent is kept. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** One snapshot as {@link SnapshotStore.list} reports it, without its files. */
export interface SnapshotInfo {
  /** The snapshot id, `YYYYMMDDTHHmmssSSSZ-<4 hex>`. */
  readonly id: string;
  /** When it was taken, in epoch ms (read from the id when the file is corrupt). */
  readonly createdAt: number;
  /** Its label; `''` when the file is corrupt. */
  readonly label: string;
  /** Absolute path of the snapshot file. */
  readonly file: string;
  /** Size of the snapshot file in bytes. */
  readonly bytes: number;
  /** `sha256:<hex>` of the body; `''` when the file is corrupt. */
  readonly checksum: string;
  /** True when the file fails verification; {@link SnapshotStore.get} refuses it. */
  readonly corrupt: boolean;
  /** Why the file is corrupt; set only when `corrupt` is true. */
  readonly problem?: string;
}

/** A snapshot file as read from disk: verified, refused, or gone. */
type ReadResult =
  | { readonly state: 'ok'; readonly info: SnapshotInfo; readonly snapshot: Snapshot }
  | { readonly state: 'corrupt'; readonly info: SnapshotInfo; readonly problem: string }
  | { readonly state: 'missing' };

/**
 * Backups of configuration files: a directory of timestamped, checksummed snapshot files
 * (`<id>.snapshot.json`) with a retention count.
 *
 * Every file is written with {@link writeFileAtomic}, and every read verifies the checksum, so a
 * corrupted or truncated snapshot is refused with {@link SnapshotCorruptError} rather than
 * restored. Files in the directory that are not snapshots (temp files, notes) are ignored.
 *
 * @example
 * ```ts
 * const store = new SnapshotStore({ dir: 'config/.backups', retain: 10 });
 * const { id } = await store.save({ label: 'before migrate', files: { 'default.yaml': text } });
 * const snapshot = await store.get(id); // throws CONFIG_SNAPSHOT_CORRUPT if it was altered
 * ```
 */
export class SnapshotStore {
  /** Absolute path of the snapshot directory. */
  readonly dir: string;
  /** How many snapshots are kept. */
  readonly retain: number;
  readonly #clock: Clock;

  /** @throws RangeError when `retain` is not a positive integer. */
  constructor(options: SnapshotStoreOptions) {
    const retain = options.retain ?? SNAPSHOT_RETAIN_DEFAULT;
    if (!Number.isInteger(retain) || retain < 1) {
      throw new RangeError(`SnapshotStore retain must be a positive integer, got ${retain}.`);
    }
    this.dir = resolve(options.dir);
    this.retain = retain;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Writes a new snapshot atomically, then removes the oldest snapshots beyond `retain` (never the
   * one just written, even if the clock went backwards).
   *
   * @throws {@link ConfigWriteError} when the snapshot cannot be stored (including a file name that
   * leaves the config directory); nothing is written then.
   */
  async save(input: SnapshotInput): Promise<SnapshotInfo> {
    const createdAt = this.#clock.now();
    const existing = new Set(await this.#ids());
    let id: string;
    do id = createSnapshotId(createdAt);
    while (existing.has(id));
    const file = this.#fileOf(id);
    let encoded: EncodedSnapshot;
    try {
      encoded = encodeSnapshot({
        id,
        createdAt,
        label: input.label,
        files: input.files,
        meta: input.meta ?? {},
      });
    } catch (error) {
      throw new ConfigWriteError(file, error);
    }
    // Owner-only: snapshots hold config files, and config files may hold secrets (encrypted or not).
    await writeFileAtomic(file, encoded.text, { mode: 0o600 });
    await this.#prune(id);
    const { label } = encoded.snapshot;
    const bytes = Buffer.byteLength(encoded.text);
    return { id, createdAt, label, file, bytes, checksum: encoded.checksum, corrupt: false };
  }

  /** Every snapshot, oldest first. Corrupt files are listed with `corrupt: true`; this never throws for them. */
  async list(): Promise<SnapshotInfo[]> {
    const results = await Promise.all((await this.#ids()).map((id) => this.#read(id)));
    return results.flatMap((result) => (result.state === 'missing' ? [] : [result.info]));
  }

  /**
   * The verified snapshot with this id.
   *
   * @throws {@link SnapshotNotFoundError} listing the known ids when there is none.
   * @throws {@link SnapshotCorruptError} naming the id, file and problem when the file is
   * truncated, garbled, fails its checksum or is not a snapshot.
   */
  async get(id: string): Promise<Snapshot> {
    const result = isSnapshotId(id) ? await this.#read(id) : ({ state: 'missing' } as const);
    if (result.state === 'missing') throw new SnapshotNotFoundError(id, await this.#ids());
    if (result.state === 'corrupt') throw new SnapshotCorruptError(id, result.info.file, result.problem);
    return result.snapshot;
  }

  /**
   * The newest snapshot, verified, or `undefined` when there is none. A corrupt newest snapshot
   * throws {@link SnapshotCorruptError} rather than silently falling back to an older one.
   */
  async latest(): Promise<Snapshot | undefined> {
    const newest = (await this.#ids()).at(-1);
    return newest === undefined ? undefined : this.get(newest);
  }

  /** Removes the oldest snapshots (corrupt or not) beyond `retain`; returns the removed ids, oldest first. */
  prune(): Promise<string[]> {
    return this.#prune(undefined);
  }

  async #prune(keep: string | undefined): Promise<string[]> {
    const ids = await this.#ids();
    const excess = ids.length - this.retain;
    if (excess <= 0) return [];
    const removed = ids.filter((id) => id !== keep).slice(0, excess);
    await Promise.all(removed.map((id) => rm(this.#fileOf(id), { force: true })));
    return removed;
  }

  /** Ids of the snapshot files in the directory, oldest first. */
  async #ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.flatMap((name) => SNAPSHOT_FILE_PATTERN.exec(name)?.[1] ?? []).sort();
  }

  async #read(id: string): Promise<ReadResult> {
    const file = this.#fileOf(id);
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
      return corrupt(id, file, 0, `it could not be read (${(error as Error).message})`);
    }
    const decoded = decodeSnapshot(content.toString('utf8'), id);
    if (!decoded.ok) return corrupt(id, file, content.length, decoded.problem);
    const { snapshot, checksum } = decoded;
    const info = {
      id,
      createdAt: snapshot.createdAt,
      label: snapshot.label,
      file,
      bytes: content.length,
      checksum,
    };
    return { state: 'ok', info: { ...info, corrupt: false }, snapshot };
  }

  #fileOf(id: string): string {
    return join(this.dir, snapshotFileName(id));
  }
}

function corrupt(id: string, file: string, bytes: number, problem: string): ReadResult {
  const info = {
    id,
    createdAt: snapshotIdTime(id),
    label: '',
    file,
    bytes,
    checksum: '',
    corrupt: true,
    problem,
  };
  return { state: 'corrupt', info, problem };
}
