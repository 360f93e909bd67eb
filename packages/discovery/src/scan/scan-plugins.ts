import { resolve } from 'node:path';
import { ScanOptionsInvalidError } from '../errors.js';
import type { FoundManifest } from '../manifest/read-manifest.js';
import { expandRoot } from './expand-root.js';
import { compileGlob } from './glob-pattern.js';
import { createLimiter } from './limiter.js';
import { compareText, pickWinners } from './pick-winners.js';
import type { ScanContext, ScannedPlugin, ScanProblem } from './scan-context.js';
import { nodeScanFs } from './scan-fs.js';
import { scanNodeModules } from './scan-node-modules.js';
import { type ScanOptions, ScanOptionsSchema } from './scan-options.js';
import { walkRoot } from './walk-root.js';

/** What {@link scanPlugins} found. */
export interface ScanResult {
  /** One plugin per name (duplicates resolved), sorted by name. */
  readonly plugins: readonly FoundManifest[];
  /**
   * Everything that did not stop the scan, sorted by the path it concerns: invalid manifests,
   * folders that could not be scanned (unreadable, symlink loops), and names declared twice.
   */
  readonly problems: readonly ScanProblem[];
  /** Wall time of the scan, in ms. */
  readonly durationMs: number;
}

/**
 * Finds and validates every plugin under the configured roots and in the configured
 * `node_modules` folders.
 *
 * A plugin is a folder holding `trellis.plugin.json`, or a `package.json` with a `trellis` field;
 * see {@link readManifest}. Folders without a manifest are entered down to `maxDepth`; ignored
 * folders are not entered. Every problem is collected rather than thrown, so one broken plugin or
 * unreadable folder never hides the others. When two plugins declare one name, the higher version
 * wins, then the folder path that sorts first; the loser is reported with a
 * {@link PluginNameTakenError}. A folder reached twice (through a link, or two overlapping roots)
 * counts once. The result does not depend on the order the file system lists folders in.
 *
 * File-system calls are bounded by `concurrency`: one listing per folder, one read per manifest
 * file, one `realpath` per followed link.
 *
 * @throws TypeError when the options do not match {@link ScanOptionsSchema}.
 * @example
 * ```ts
 * const { plugins, problems } = await scanPlugins({
 *   roots: ['plugins', 'extensions/*'],
 *   nodeModules: ['node_modules'],
 * });
 * for (const problem of problems) logger.warn(problem.message);
 * ```
 */
export async function scanPlugins(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const parsed = ScanOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ScanOptionsInvalidError(lines);
  }
  const { roots, nodeModules, ignore, concurrency, maxDepth } = parsed.data;
  const cwd = parsed.data.cwd ?? process.cwd();
  const ignoreMatchers = ignore.map(compileGlob);
  const context: ScanContext = {
    fs: parsed.data.fs ?? nodeScanFs,
    limit: createLimiter(concurrency),
    isIgnored: (relativePath) => ignoreMatchers.some((matcher) => matcher.test(relativePath)),
    maxDepth,
    plugins: [],
    problems: [],
  };

  await Promise.all([
    ...[...new Set(roots)].map(async (root) => {
      const folders = await expandRoot(root, cwd, context);
      await Promise.all(folders.map((folder) => walkRoot(folder, context)));
    }),
    ...[...new Set(nodeModules)].map((dir) => scanNodeModules(resolve(cwd, dir), context)),
  ]);

  const { winners, conflicts } = pickWinners(oncePerFolder(context.plugins));
  return {
    plugins: winners,
    problems: sortProblems([...context.problems, ...conflicts]),
    durationMs: performance.now() - started,
  };
}

/** Drops plugins found again under another path to the same real folder, keeping the first path. */
function oncePerFolder(plugins: readonly ScannedPlugin[]): FoundManifest[] {
  const byRealDir = new Map<string, FoundManifest>();
  for (const { found, realDir } of plugins) {
    const kept = byRealDir.get(realDir);
    if (kept === undefined || compareText(found.dir, kept.dir) < 0) byRealDir.set(realDir, found);
  }
  return [...byRealDir.values()];
}

/** Sorts problems by the path they name, dropping repeats (one folder reached through two roots). */
function sortProblems(problems: readonly ScanProblem[]): ScanProblem[] {
  const unique = new Map<string, ScanProblem>();
  for (const problem of problems) unique.set(`${problem.code}\0${problem.message}`, problem);
  const keyed = [...unique.values()].map((problem) => ({
    problem,
    key: `${problemPath(problem)}\0${problem.message}`,
  }));
  return keyed.sort((a, b) => compareText(a.key, b.key)).map(({ problem }) => problem);
}

function problemPath(problem: ScanProblem): string {
  const { file, path, loser } = problem.details;
  return String(file ?? path ?? loser ?? '');
}
