import { constants } from 'node:fs';
import { copyFile, mkdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { PluginArchiveInvalidError, PluginArchiveUnsafeError } from './archive-errors.js';
import { assertContained } from './assert-contained.js';
import { checkPluginFolder } from './check-plugin-folder.js';
import { InstallStaging } from './install-staging.js';
import type { PluginSourceResult } from './plugin-source-result.js';
import { requirePluginManifest } from './require-plugin-manifest.js';
import type { FolderEntry } from './walk-plugin-folder.js';

/** Files copied at once: enough to keep the disk busy, few enough to stay far from `EMFILE`. */
const COPY_CONCURRENCY = 16;

/**
 * Copies a plugin folder into `destDir` (which must not exist or be empty): installing from a
 * folder rather than an archive.
 *
 * Everything is copied except a top-level `.git`. Symbolic links are copied as links with their
 * target unchanged, so `node_modules/.bin` and workspace links keep working, which is only safe
 * because a folder with a link leading outside it (an absolute target, one climbing above the
 * folder, or one reaching out through another link) is refused before anything is written, as is
 * a device, FIFO or socket. The copy is made in a staging folder beside `destDir`, checked again
 * on disk, and must hold a plugin manifest before it is renamed into place.
 *
 * @throws {@link PluginArchiveUnsafeError} naming the offending entry.
 * @throws {@link PluginArchiveInvalidError} when `source` is not a folder, has no valid plugin
 *   manifest, or `destDir` is not empty.
 */
export async function copyPluginFolder(source: string, destDir: string): Promise<PluginSourceResult> {
  const from = { kind: 'folder', path: source } as const;
  await requireFolder(source);
  const entries = await checkPluginFolder(from, source);
  const staging = await InstallStaging.open(from, destDir);
  try {
    await copyEntries(entries, staging.dir);
    const contained = await assertContained(staging.dir);
    if ('escaped' in contained) {
      throw new PluginArchiveUnsafeError(from, contained.escaped, 'link-escape', { target: contained.real });
    }
    await requirePluginManifest(from, staging.dir, 'its top level');
    await staging.commit(staging.dir);
    return { ...contained, root: staging.destination };
  } catch (error) {
    await staging.discard();
    throw error;
  }
}

async function copyEntries(entries: readonly FolderEntry[], to: string): Promise<void> {
  // Sorted paths put every folder before what it holds.
  for (const entry of entries) {
    if (entry.kind === 'directory') await mkdir(join(to, entry.path), { recursive: true });
  }
  const limit = pLimit(COPY_CONCURRENCY);
  await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const target = join(to, entry.path);
        // COPYFILE_EXCL: the staging folder is fresh, so an existing file means something raced us.
        if (entry.kind === 'file') await copyFile(entry.absolute, target, constants.COPYFILE_EXCL);
        if (entry.kind === 'symlink') await symlink(entry.target ?? '', target);
      }),
    ),
  );
}

async function requireFolder(source: string): Promise<void> {
  const from = { kind: 'folder', path: source } as const;
  try {
    if ((await stat(source)).isDirectory()) return;
  } catch (error) {
    throw new PluginArchiveInvalidError(
      from,
      `it cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      'Check the path and that the folder is readable.',
      error,
    );
  }
  throw new PluginArchiveInvalidError(
    from,
    'it is not a folder',
    'Pass the plugin folder (the one holding its manifest), or use an archive install for a .tgz.',
  );
}
