import pLimit from 'p-limit';
import { DesiredSourceUnreadableError } from './desired-state-errors.js';
import type { DesiredSourceManifest } from './desired-state-plan.js';
import type { DesiredState } from './desired-state-schema.js';

/** Reads the manifest (and content digest) of one source: a plugin folder or an npm-pack `.tgz`. */
export type ReadSourceManifest = (source: string) => Promise<DesiredSourceManifest>;

/** Options of {@link readDesiredSources}. */
export interface ReadDesiredSourcesOptions {
  /** How many sources are read at once; default 8, enough to overlap I/O without a file-handle storm. */
  readonly concurrency?: number;
}

/**
 * Reads the manifest of every distinct `source` of a desired state, each once, at most
 * `concurrency` at a time, through `readManifest` (so this module stays free of I/O and tests can
 * pass a fake). The result is the `sources` option of {@link planDesiredState}.
 *
 * @throws {@link DesiredSourceUnreadableError} listing every source that failed, with the
 * plugins that use it, after all reads have settled.
 * @example
 * ```ts
 * const sources = await readDesiredSources(desired, readSourceManifest); // yours: name, version, digest, dependencies of a source
 * ```
 */
export async function readDesiredSources(
  desired: DesiredState,
  readManifest: ReadSourceManifest,
  options: ReadDesiredSourcesOptions = {},
): Promise<ReadonlyMap<string, DesiredSourceManifest>> {
  const users = new Map<string, string[]>();
  for (const plugin of desired.plugins) {
    if (plugin.source === undefined) continue;
    const names = users.get(plugin.source);
    if (names === undefined) users.set(plugin.source, [plugin.name]);
    else names.push(plugin.name);
  }
  const limit = pLimit(Math.max(1, Math.floor(options.concurrency ?? 8)));
  const sources = [...users.keys()].sort();
  const settled = await Promise.allSettled(sources.map((source) => limit(() => readManifest(source))));
  const manifests = new Map<string, DesiredSourceManifest>();
  const failures = [];
  for (const [i, source] of sources.entries()) {
    const result = settled[i] as PromiseSettledResult<DesiredSourceManifest>;
    if (result.status === 'fulfilled') manifests.set(source, result.value);
    else failures.push({ source, plugins: users.get(source) ?? [], error: result.reason });
  }
  if (failures.length > 0) throw new DesiredSourceUnreadableError(failures);
  return manifests;
}
