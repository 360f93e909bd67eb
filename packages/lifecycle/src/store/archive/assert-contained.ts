import { chmod, lstat, realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { walkPluginFolder } from './walk-plugin-folder.js';

/** What {@link assertContained} found in a folder it accepted. */
export interface ContainedContent {
  /** Regular files. */
  readonly files: number;
  /** Their total size. */
  readonly bytes: number;
}

/** setuid, setgid and sticky: an installed plugin never needs them. */
const SPECIAL_BITS = 0o7000;

/**
 * Checks, after writing, that every path below `root` really lives below it once every link on
 * disk is followed: the last line of defence should the checks made before writing miss a trick.
 * Links whose target does not exist cannot lead anywhere and are accepted.
 *
 * Clears setuid, setgid and sticky bits on the way, which an archive can set on its files.
 *
 * @returns The first path that escapes (below `root`) and where it really leads, or the folder's
 *   file count and size.
 */
export async function assertContained(
  root: string,
): Promise<{ readonly escaped: string; readonly real: string } | ContainedContent> {
  const realRoot = await realpath(root);
  let files = 0;
  let bytes = 0;
  for (const entry of await walkPluginFolder(root)) {
    const real = await realpathIfPresent(entry.absolute);
    if (real !== undefined && real !== realRoot && !real.startsWith(realRoot + sep)) {
      return { escaped: relative(root, entry.absolute), real };
    }
    if (entry.kind === 'symlink') continue;
    const stats = await lstat(entry.absolute);
    if ((stats.mode & SPECIAL_BITS) !== 0) await chmod(entry.absolute, stats.mode & 0o777);
    if (entry.kind === 'file') {
      files += 1;
      bytes += stats.size;
    }
  }
  return { files, bytes };
}

async function realpathIfPresent(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
