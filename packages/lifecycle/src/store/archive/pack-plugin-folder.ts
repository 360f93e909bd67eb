import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { create } from 'tar';
import { checkPluginFolder } from './check-plugin-folder.js';

/** What {@link packPluginFolder} wrote. */
export interface PackedPluginArchive {
  /** The archive, as an absolute path. */
  readonly file: string;
  /** Regular files packed. */
  readonly files: number;
  /** Size of the archive in bytes. */
  readonly archiveBytes: number;
}

/** The folder `npm pack` puts every entry under, which {@link extractPluginArchive} strips. */
export const PACKED_ROOT_FOLDER = 'package';

/** The date `npm pack` gives every entry, so packing the same folder twice gives the same bytes. */
const PACKED_MTIME = new Date('1985-10-26T08:15:00.000Z');

/**
 * Packs a plugin folder into a gzip tar with every entry under `package/`, as `npm pack` does,
 * without npm's file selection: everything but a top-level `.git` is packed. Entries carry no
 * owner and a fixed date, so the archive depends only on the folder's content.
 *
 * The folder is checked as an install would check it, so a folder whose archive would be refused
 * is refused here. The archive is written beside `outFile` and renamed into place, so `outFile`
 * never holds half an archive.
 *
 * @throws {@link PluginArchiveUnsafeError} for a link leading outside the folder, or a device.
 * @example
 * ```ts
 * await packPluginFolder('plugins/billing', 'dist/billing-1.2.0.tgz');
 * ```
 */
export async function packPluginFolder(folder: string, outFile: string): Promise<PackedPluginArchive> {
  const entries = await checkPluginFolder({ kind: 'folder', path: folder }, folder);
  const file = resolve(outFile);
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const topLevel = (await readdir(folder)).filter((name) => name !== '.git').sort();
  try {
    await mkdir(dirname(file), { recursive: true });
    await create(
      {
        gzip: true,
        file: temp,
        cwd: folder,
        prefix: PACKED_ROOT_FOLDER,
        portable: true,
        mtime: PACKED_MTIME,
      },
      topLevel,
    );
    const { size } = await stat(temp);
    await rename(temp, file);
    return { file, files: entries.filter((entry) => entry.kind === 'file').length, archiveBytes: size };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
