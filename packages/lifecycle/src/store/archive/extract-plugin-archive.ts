import { join } from 'node:path';
import { extract, type ReadEntry } from 'tar';
import { PluginArchiveInvalidError, PluginArchiveUnsafeError } from './archive-errors.js';
import { type ExtractPluginArchiveOptions, parseArchiveLimits } from './archive-limits.js';
import { assertContained } from './assert-contained.js';
import { checkArchiveEntries } from './check-archive-entries.js';
import { InstallStaging } from './install-staging.js';
import { type ArchiveEntry, contentSize, listArchiveEntries } from './list-archive-entries.js';
import type { PluginSourceResult } from './plugin-source-result.js';
import { requirePluginManifest } from './require-plugin-manifest.js';

/**
 * Unpacks a plugin archive (an `npm pack` `.tgz`, or any gzip tar) into `destDir`, which must not
 * exist or be empty. One top-level folder holding everything (`package/`) is stripped.
 *
 * The archive is refused as a whole, with nothing written, when any entry has an absolute path or
 * a `..` segment, is a link escaping the plugin folder, lies inside a symbolic link, is a device
 * or FIFO, or the archive exceeds the limits (default 20,000 entries, 500 MB uncompressed).
 * node-tar then extracts with its own protections on, into a staging folder beside `destDir`;
 * the result is checked again on disk and must hold a plugin manifest before it is renamed into
 * place. Whatever fails, `destDir` is left as it was found.
 *
 * @throws {@link PluginArchiveUnsafeError} naming the entry and why it was refused.
 * @throws {@link PluginArchiveInvalidError} when the file is not a gzip tar, has no valid plugin
 *   manifest, or `destDir` is not empty.
 * @example
 * ```ts
 * const { files, root } = await extractPluginArchive('billing-1.2.0.tgz', 'store/billing/1.2.0');
 * ```
 */
export async function extractPluginArchive(
  archive: string,
  destDir: string,
  options?: ExtractPluginArchiveOptions,
): Promise<PluginSourceResult> {
  const source = { kind: 'archive', path: archive } as const;
  const limits = parseArchiveLimits(options);
  const entries = await listArchiveEntries(archive, limits);
  const { rootFolder } = checkArchiveEntries(source, entries);
  const staging = await InstallStaging.open(source, destDir);
  try {
    await extractListed(archive, staging.dir, entries);
    const content = rootFolder === undefined ? staging.dir : join(staging.dir, rootFolder);
    const contained = await assertContained(content);
    if ('escaped' in contained) {
      throw new PluginArchiveUnsafeError(source, contained.escaped, 'link-escape', {
        target: contained.real,
      });
    }
    await requirePluginManifest(
      source,
      content,
      rootFolder === undefined ? 'its top level' : `${rootFolder}/`,
    );
    await staging.commit(content);
    return { ...contained, root: staging.destination };
  } catch (error) {
    await staging.discard();
    throw error;
  }
}

/**
 * Extracts with node-tar's protections (no `preservePaths`, strict), extracting only entries that
 * match the listing one for one: were the file swapped or rewritten since it was checked, the
 * first different entry stops the install.
 */
async function extractListed(archive: string, cwd: string, entries: readonly ArchiveEntry[]): Promise<void> {
  const source = { kind: 'archive', path: archive } as const;
  let index = 0;
  let changed: string | undefined;
  const matchesListing = (_path: string, entry: ReadEntry | unknown): boolean => {
    const read = entry as ReadEntry;
    const listed = entries[index];
    index += 1;
    const same =
      listed !== undefined &&
      listed.path === read.path &&
      listed.type === read.type &&
      (listed.linkpath ?? '') === (read.linkpath ?? '') &&
      listed.size === contentSize(read);
    if (!same) changed ??= read.path;
    return same && changed === undefined;
  };
  try {
    await extract({
      file: archive,
      cwd,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      filter: matchesListing,
    });
  } catch (error) {
    throw new PluginArchiveInvalidError(
      source,
      `extracting it failed (${(error as Error).message})`,
      'Pack the plugin again with `trellis plugins pack` or `npm pack`; if it was downloaded, download it again.',
      error,
    );
  }
  if (changed !== undefined || index !== entries.length) {
    throw new PluginArchiveInvalidError(
      source,
      `the file changed while it was being installed (entry ${JSON.stringify(changed ?? '(end of archive)')} differs from the one checked)`,
      'Make sure nothing writes to the archive during the install, then try again.',
    );
  }
}
