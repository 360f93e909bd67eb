import type { FolderEntry } from '../store/archive/walk-plugin-folder.js';
import { digestEntries } from './hash-plugin-files.js';
import type { FileChanges } from './integrity-errors.js';

/**
 * Compares a plugin folder's entries with the digests a signature lists. Only files the signature
 * lists are hashed: an added file is reported without being read.
 */
export async function compareFileDigests(
  entries: readonly FolderEntry[],
  listed: Readonly<Record<string, string>>,
): Promise<FileChanges> {
  const present = new Set(entries.map((entry) => entry.path));
  const actual = await digestEntries(entries, (entry) => Object.hasOwn(listed, entry.path));
  const modified: string[] = [];
  const missing: string[] = [];
  for (const [path, digest] of Object.entries(listed)) {
    if (!present.has(path)) missing.push(path);
    else if (actual.get(path) !== digest) modified.push(path);
  }
  const added = entries.filter((entry) => !Object.hasOwn(listed, entry.path)).map((entry) => entry.path);
  return { modified: modified.sort(byPath), missing: missing.sort(byPath), added: added.sort(byPath) };
}

/** True when a comparison found any difference. */
export function hasChanges(changes: FileChanges): boolean {
  return changes.modified.length + changes.missing.length + changes.added.length > 0;
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
