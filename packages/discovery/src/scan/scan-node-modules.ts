import { join } from 'node:path';
import { ManifestInvalidError, PluginScanError } from '../errors.js';
import { readManifestCandidates } from '../manifest/read-manifest.js';
import { describeFsError } from './describe-fs-error.js';
import type { ScanContext } from './scan-context.js';
import type { ScanDirEntry } from './scan-fs.js';

const PACKAGE_JSON_ONLY = { pluginJson: false, packageJson: true } as const;

/**
 * Finds the installed packages of one `node_modules` folder, scoped ones (`@scope/name`)
 * included, whose `package.json` has a `trellis` field. Links (as pnpm installs packages) are
 * followed. Names starting with `.` (`.bin`, `.pnpm`) are skipped.
 */
export async function scanNodeModules(dir: string, context: ScanContext): Promise<void> {
  const listing = await list(dir, context);
  if (listing === undefined) return;
  const realDir = await realPath(dir, context);
  await Promise.all(
    listing.map((entry) => {
      if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) return undefined;
      const path = join(dir, entry.name);
      const real = entry.isDirectory() && realDir !== undefined ? join(realDir, entry.name) : undefined;
      return entry.name.startsWith('@') ? scanScope(path, real, context) : readPackage(path, real, context);
    }),
  );
}

async function scanScope(dir: string, realDir: string | undefined, context: ScanContext): Promise<void> {
  const listing = await list(dir, context);
  if (listing === undefined) return;
  await Promise.all(
    listing.map((entry) => {
      if (!(entry.isDirectory() || entry.isSymbolicLink())) return undefined;
      const real = entry.isDirectory() && realDir !== undefined ? join(realDir, entry.name) : undefined;
      return readPackage(join(dir, entry.name), real, context);
    }),
  );
}

/** Reads one package's manifest; `knownRealDir` is given when the package folder is no link. */
async function readPackage(
  dir: string,
  knownRealDir: string | undefined,
  context: ScanContext,
): Promise<void> {
  try {
    const found = await readManifestCandidates(dir, PACKAGE_JSON_ONLY, (file) =>
      context.limit(() => context.fs.readFile(file)),
    );
    if (found === undefined) return;
    const realDir = knownRealDir ?? (await realPath(dir, context)) ?? dir;
    context.plugins.push({ found, realDir });
  } catch (error) {
    if (!(error instanceof ManifestInvalidError)) throw error;
    context.problems.push(error);
  }
}

async function list(dir: string, context: ScanContext): Promise<readonly ScanDirEntry[] | undefined> {
  try {
    return await context.limit(() => context.fs.readdir(dir));
  } catch (error) {
    context.problems.push(new PluginScanError(dir, describeFsError(error), error));
    return undefined;
  }
}

async function realPath(path: string, context: ScanContext): Promise<string | undefined> {
  try {
    return await context.limit(() => context.fs.realpath(path));
  } catch {
    // The folder was just read, so this can only fail if it vanished meanwhile; use the path as is.
    return undefined;
  }
}
