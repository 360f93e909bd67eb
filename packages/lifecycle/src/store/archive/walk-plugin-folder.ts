import type { Dirent } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join, matchesGlob } from 'node:path';

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
   * List only what the plugin ships, as `npm pack` would: when `package.json` has a `files` list,
   * only what it names (plus `package.json`, `trellis.plugin.json`, its `main`, README, LICENSE
   * and CHANGELOG files); and a top-level `node_modules` is left out unless `package.json`
   * bundles dependencies (`bundleDependencies`). A development folder's `node_modules` holds
   * links into the workspace, and its tests and coverage are not plugin code; installed, the
   * plugin resolves its dependencies from the host's tree. Copying, packing, signing and content
   * digests use it; verification does not, so a package dropped into an installed plugin's
   * `node_modules` (which Node would load first) shows up as an added file.
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
  const pkg = options.shipped ? await readPackageJson(root) : undefined;
  if (options.shipped && !bundlesDependencies(pkg)) skipped.add('node_modules');
  const found: FolderEntry[] = [];
  await walk(root, '', found, skipped);
  const listed = pkg === undefined ? found : onlyListedFiles(found, pkg);
  return listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readPackageJson(root: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function bundlesDependencies(pkg: Record<string, unknown> | undefined): boolean {
  const bundled = pkg?.bundleDependencies ?? pkg?.bundledDependencies;
  return bundled === true || (Array.isArray(bundled) && bundled.length > 0);
}

/** Top-level files npm packs whatever `files` says. */
const ALWAYS_SHIPPED =
  /^(package\.json|trellis\.plugin\.json|trellis\.signature\.json|(readme|license|licence|changelog)(\..*)?)$/i;

/** The entries a `files` list keeps (npm's rule), with the folders that hold them. */
function onlyListedFiles(entries: readonly FolderEntry[], pkg: Record<string, unknown>): FolderEntry[] {
  const files = pkg.files;
  if (!Array.isArray(files)) return [...entries];
  const patterns = files
    .filter((pattern): pattern is string => typeof pattern === 'string')
    .map((pattern) => pattern.replace(/^\.\//, '').replace(/\/+$/, ''));
  const main = typeof pkg.main === 'string' ? pkg.main.replace(/^\.\//, '') : undefined;
  const listed = (path: string) =>
    (!path.includes('/') && ALWAYS_SHIPPED.test(path)) ||
    path === main ||
    patterns.some(
      (pattern) =>
        path === pattern ||
        path.startsWith(`${pattern}/`) ||
        matchesGlob(path, pattern) ||
        matchesGlob(path, `${pattern}/**`),
    );
  const kept = entries.filter((entry) => entry.kind !== 'directory' && listed(entry.path));
  const folders = new Set<string>();
  for (const entry of kept) {
    for (let at = entry.path.lastIndexOf('/'); at > 0; at = entry.path.lastIndexOf('/', at - 1)) {
      folders.add(entry.path.slice(0, at));
    }
  }
  return [...kept, ...entries.filter((entry) => entry.kind === 'directory' && folders.has(entry.path))];
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
