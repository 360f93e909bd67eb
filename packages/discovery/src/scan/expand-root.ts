import { join, resolve, sep } from 'node:path';
import { PluginScanError } from '../errors.js';
import { describeFsError, describeLinkError, errorCode } from './describe-fs-error.js';
import { compileGlobSegment, hasGlobMagic } from './glob-pattern.js';
import type { ScanContext } from './scan-context.js';
import type { ScanDirEntry } from './scan-fs.js';

/** A folder to scan, from one entry of `roots`. */
export interface ScanRoot {
  /** Absolute path of the folder. */
  readonly path: string;
  /** The folder's path with every symlink resolved. */
  readonly realPath: string;
  /**
   * Path relative to the root entry's base folder (the part before its first wildcard), with `/`
   * separators; ignore patterns are matched against it. Empty for the base folder itself.
   */
  readonly relativePath: string;
  /** True when a wildcard matched the folder; such a match may turn out to be a link to a file. */
  readonly fromGlob: boolean;
}

/**
 * Expands one `roots` entry, a folder or a glob like `plugins/*`, to the folders it names. `*` and `?` match within a name and skip names starting with `.`
 * unless the pattern does; `**` matches any depth of real folders (symlinks are not followed by
 * `**`, so it cannot loop). Ignored folders are not entered.
 *
 * Problems (a missing base folder, an unreadable folder, a broken link) go to `context.problems`.
 */
export async function expandRoot(pattern: string, cwd: string, context: ScanContext): Promise<ScanRoot[]> {
  const segments = resolve(cwd, pattern).split(sep);
  const firstGlob = segments.findIndex(hasGlobMagic);
  const base = (firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join(sep) || sep;
  const realBase = await realPathOf(base, context);
  if (realBase === undefined) return [];
  if (firstGlob === -1) return [{ path: base, realPath: realBase, relativePath: '', fromGlob: false }];

  const rest = segments.slice(firstGlob).filter((segment) => segment !== '');
  const matchers = rest.map((segment) => (segment === '**' ? undefined : compileGlobSegment(segment)));
  const listings = new Map<string, Promise<readonly ScanDirEntry[] | undefined>>();
  const list = (dir: string) => {
    let listing = listings.get(dir);
    if (listing === undefined) {
      listing = listFolder(dir, context);
      listings.set(dir, listing);
    }
    return listing;
  };
  const found: ScanRoot[] = [];

  const expand = async (
    path: string,
    realPath: string,
    relativePath: string,
    index: number,
  ): Promise<void> => {
    const segment = rest[index];
    if (segment === undefined) {
      found.push({ path, realPath, relativePath, fromGlob: true });
      return;
    }
    const entries = await list(path);
    if (entries === undefined) return;
    const matcher = matchers[index];
    const tasks: Promise<void>[] = [];
    if (matcher === undefined) tasks.push(expand(path, realPath, relativePath, index + 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
      if (matcher !== undefined && !matcher.test(entry.name)) continue;
      const childRelative = relativePath === '' ? entry.name : `${relativePath}/${entry.name}`;
      if (context.isIgnored(childRelative)) continue;
      const childPath = join(path, entry.name);
      const next = matcher === undefined ? index : index + 1;
      if (entry.isDirectory()) {
        tasks.push(expand(childPath, join(realPath, entry.name), childRelative, next));
      } else if (matcher !== undefined && entry.isSymbolicLink()) {
        tasks.push(
          realPathOf(childPath, context, true).then((childReal) =>
            childReal === undefined ? undefined : expand(childPath, childReal, childRelative, next),
          ),
        );
      }
    }
    await Promise.all(tasks);
  };

  await expand(base, realBase, '', 0);
  return found;
}

async function realPathOf(path: string, context: ScanContext, isLink = false): Promise<string | undefined> {
  try {
    return await context.limit(() => context.fs.realpath(path));
  } catch (error) {
    context.problems.push(
      new PluginScanError(path, isLink ? describeLinkError(error) : describeFsError(error), error),
    );
    return undefined;
  }
}

async function listFolder(dir: string, context: ScanContext): Promise<readonly ScanDirEntry[] | undefined> {
  try {
    return await context.limit(() => context.fs.readdir(dir));
  } catch (error) {
    // A wildcard may match a link to a file: that is simply not a folder to scan.
    if (errorCode(error) !== 'ENOTDIR')
      context.problems.push(new PluginScanError(dir, describeFsError(error), error));
    return undefined;
  }
}
