import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWriteFile, syncDirectory } from '@trellis/core';

/**
 * The change in flight, written before the store's record switches versions and removed once the
 * change is settled. Finding one at open means the process died mid-change: the store undoes it
 * (restores the backup and the previous version), so it is always the old state or the new one.
 */
export interface StoreJournal {
  readonly id: string;
  readonly operation: 'upgrade' | 'downgrade' | 'rollback';
  readonly plugin: string;
  readonly from: string;
  readonly to: string;
  /** The backup of data and config taken before the change. */
  readonly backup: string;
  /** What `rollback` would have returned to before the change, restored if it is undone. */
  readonly priorPrevious?: string;
  readonly priorBackup?: string;
  readonly startedAt: string;
}

/** The journal, or undefined when no change is in flight. */
export async function readJournal(file: string): Promise<StoreJournal | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoreJournal;
  } catch (error) {
    // A torn journal cannot exist (it is written atomically); an unreadable one is no change.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Records the change about to happen, durably. */
export async function writeJournal(file: string, journal: StoreJournal): Promise<void> {
  await atomicWriteFile(file, JSON.stringify(journal));
}

/** Settles the change: removes the journal, durably. */
export async function clearJournal(file: string): Promise<void> {
  await rm(file, { force: true });
  await syncDirectory(dirname(file));
}
