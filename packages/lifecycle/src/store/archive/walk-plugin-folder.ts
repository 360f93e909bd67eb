import type { Dirent } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** What a folder entry is; `other` covers devices, FIFOs and sockets. */
export type FolderEntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** One entry below a plugin folder. Symbolic links are reported, never followed. */
export interface FolderEntry {
  /** The path below the plugin folder, `/`-separated on every platform (`lib/index.js`). */
  readonly path: string;
  /** The absolute path on disk. */
  readonly absolute: string;
  readonly kind: FolderEntryKind;
  /** The link's target exactly as stored, for `symlink` entries. */
  readonly target?: string;
}

/** Options of {@link walkPluginFolder}. */
export interface WalkPluginFolderOptions {
  /**
   * List only what the plugin ships, as `npm pack` would: a top-level `node_modules` is left out
   * unless `package.json` bundles dependencies (`bundleDependencies`). A development folder's
   * `node_modules` holds links into the workspace, not plugin code; installed, the plugin resolves
   * its dependencies from the host's tree. Copying, packing, signing and content digests use it;
   * verification does not, so a package dropped into an installed plugin's `node_modules` (which
   * Node would load first) shows up as an added file.
   */
  readonly shipped?: boolean;
}

/**
 * Lists everything below a plugin folder, sorted by path, without following symbolic links: a
 * link is one entry whatever it points to, so a link cannot make the walk leave the folder.
 *
 * A top-level `.git` folder is skipped: it is version control, not plugin code, and installing,
 * packing and signing all agree on that.
 */
export async function walkPluginFolder(
  root: string,
  options: WalkPluginFolderOptions = {},
): Promise<FolderEntry[]> {
  const skipped = new Set(['.git']);
  if (options.shipped && !(await bundlesDependencies(root))) skipped.add('node_modules');
  const found: FolderEntry[] = [];
  await walk(root, '', found, skipped);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function bundlesDependencies(root: string): Promise<boolean> {
  try {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    const bundled = pkg.bundleDependencies ?? pkg.bundledDependencies;
    return bundled === true || (Array.isArray(bundled) && bundled.length > 0);
  } catch {
    return false;
  }
}

async function walk(
  dir: string,
  prefix: string,
  found: FolderEntry[],
  skipped: ReadonlySet<string>,
): Promise<void> {
  const children = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    children.map(async (child) => {
      if (prefix === '' && skipped.has(child.name)) return;
      const path = prefix === '' ? child.name : `${prefix}/${child.name}`;
      const absolute = join(dir, child.name);
      const kind = kindOf(child);
      if (kind === 'symlink') {
        found.push({ path, absolute, kind, target: await readlink(absolute) });
        return;
      }
      found.push({ path, absolute, kind });
      if (kind === 'directory') await walk(absolute, path, found, skipped);
    }),
  );
}

function kindOf(entry: Dirent): FolderEntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  return 'other';
}
