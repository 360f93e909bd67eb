import { join, sep } from 'node:path';
import { ManifestInvalidError, PluginScanError } from '../errors.js';
import { PLUGIN_MANIFEST_FILE, readManifestCandidates } from '../manifest/read-manifest.js';
import { describeFsError, describeLinkError, errorCode } from './describe-fs-error.js';
import type { ScanRoot } from './expand-root.js';
import type { ScanContext } from './scan-context.js';

interface Folder {
  readonly path: string;
  readonly realPath: string;
  readonly relativePath: string;
  readonly depth: number;
  /** Real paths of this folder and every folder above it up to the root, to detect link loops. */
  readonly chain: readonly string[];
  /** Reached through a link or a wildcard: being a file instead of a folder is not a problem. */
  readonly mayBeFile: boolean;
}

/**
 * Finds the plugins under one root: a folder with a manifest is a plugin and is not entered;
 * a folder without one is entered down to `maxDepth` levels below the root. Symlinks to folders
 * are followed unless they lead back to a folder on the way down (a loop, reported).
 *
 * Costs one listing per folder and one read per manifest file; found plugins and problems go to
 * the context.
 */
export async function walkRoot(root: ScanRoot, context: ScanContext): Promise<void> {
  await visit(context, {
    path: root.path,
    realPath: root.realPath,
    relativePath: root.relativePath,
    depth: 0,
    chain: [root.realPath],
    mayBeFile: root.fromGlob,
  });
}

async function visit(context: ScanContext, folder: Folder): Promise<void> {
  let entries: Awaited<ReturnType<ScanContext['fs']['readdir']>>;
  try {
    entries = await context.limit(() => context.fs.readdir(folder.path));
  } catch (error) {
    if (folder.mayBeFile && errorCode(error) === 'ENOTDIR') return;
    context.problems.push(new PluginScanError(folder.path, describeFsError(error), error));
    return;
  }

  let pluginJson = false;
  let packageJson = false;
  for (const entry of entries) {
    if (entry.name === PLUGIN_MANIFEST_FILE) pluginJson = !entry.isDirectory();
    else if (entry.name === 'package.json') packageJson = !entry.isDirectory();
  }
  if (pluginJson || packageJson) {
    try {
      const found = await readManifestCandidates(folder.path, { pluginJson, packageJson }, (file) =>
        context.limit(() => context.fs.readFile(file)),
      );
      if (found !== undefined) {
        context.plugins.push({ found, realDir: folder.realPath });
        return;
      }
    } catch (error) {
      if (!(error instanceof ManifestInvalidError)) throw error;
      context.problems.push(error);
      return;
    }
  }
  if (folder.depth >= context.maxDepth) return;

  const children: Promise<void>[] = [];
  for (const entry of entries) {
    const isFolder = entry.isDirectory();
    if (!isFolder && !entry.isSymbolicLink()) continue;
    const relativePath = folder.relativePath === '' ? entry.name : `${folder.relativePath}/${entry.name}`;
    if (context.isIgnored(relativePath)) continue;
    const path = join(folder.path, entry.name);
    if (isFolder) {
      const realPath = join(folder.realPath, entry.name);
      children.push(
        visit(context, {
          path,
          realPath,
          relativePath,
          depth: folder.depth + 1,
          chain: [...folder.chain, realPath],
          mayBeFile: false,
        }),
      );
    } else {
      children.push(followLink(context, folder, path, relativePath));
    }
  }
  await Promise.all(children);
}

async function followLink(
  context: ScanContext,
  parent: Folder,
  path: string,
  relativePath: string,
): Promise<void> {
  let realPath: string;
  try {
    realPath = await context.limit(() => context.fs.realpath(path));
  } catch (error) {
    context.problems.push(new PluginScanError(path, describeLinkError(error), error));
    return;
  }
  const inside = realPath.endsWith(sep) ? realPath : `${realPath}${sep}`;
  if (parent.chain.some((above) => above === realPath || above.startsWith(inside))) {
    context.problems.push(
      new PluginScanError(path, `symlink loop (it points to ${realPath}, a folder this link is inside of)`),
    );
    return;
  }
  await visit(context, {
    path,
    realPath,
    relativePath,
    depth: parent.depth + 1,
    chain: [...parent.chain, realPath],
    mayBeFile: true,
  });
}
