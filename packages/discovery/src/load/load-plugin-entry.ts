import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { describeError, isPlugin, type Plugin } from '@trellis/core';
import { PluginLoadError } from '../errors.js';
import { entryFormat } from './entry-format.js';

/** Where a plugin's code lives: the input of {@link loadPluginEntry}. */
export interface PluginEntry {
  /** The plugin's name, used in error messages. */
  readonly name: string;
  /** The plugin folder (absolute). */
  readonly dir: string;
  /** The entry file relative to `dir`, e.g. `index.js` or `dist/index.cjs`; it may not leave `dir`. */
  readonly main: string;
}

/** Options of {@link loadPluginEntry}. */
export interface LoadPluginEntryOptions {
  /**
   * Evaluate the entry again even if it was imported before (hot reload). Default `false`:
   * a second load returns the module Node already holds.
   */
  readonly fresh?: boolean;
}

/** A plugin's code loaded and checked. */
export interface PluginLoaded {
  readonly ok: true;
  /** The `definePlugin(...)` result the entry exports. */
  readonly plugin: Plugin;
  /** The absolute entry file. */
  readonly file: string;
  /** How long the import took, in ms. */
  readonly durationMs: number;
}

/** A plugin's code could not be loaded; `error.details.stack` holds the original stack. */
export interface PluginLoadFailed {
  readonly ok: false;
  readonly error: PluginLoadError;
}

/** What {@link loadPluginEntry} returns: the plugin, or why it could not be loaded. */
export type LoadResult = PluginLoaded | PluginLoadFailed;

// One counter for the whole process: every fresh import gets a URL no earlier import used.
let freshVersion = 0;

/**
 * Loads a plugin's entry file and returns the `definePlugin(...)` result it exports. Never
 * throws for a plugin's fault: a missing file, a syntax error, code that throws while it is
 * evaluated, an export of the wrong shape and a `main` outside the plugin folder all come back as
 * `{ ok: false, error }` with a {@link PluginLoadError} (original stack in `error.details.stack`).
 *
 * An ESM entry (`.mjs`, or `.js` under `"type": "module"`) is loaded with `import()`; a CommonJS
 * entry (`.cjs`, or `.js` without it) with `require()`. The plugin is the
 * first of these that {@link isPlugin} accepts: the named export `plugin`, the default export
 * (for CommonJS: `module.exports`), `default.plugin` (CommonJS `exports.plugin`) and
 * `default.default` (CommonJS compiled from `export default`).
 *
 * With `fresh: true` the entry is evaluated again, for hot reload:
 * - CommonJS: every module of the plugin folder (outside its `node_modules`) is removed from
 *   `require.cache` first, so the entry and the files it requires are read again, and the old
 *   copies can be garbage-collected once nothing references the old plugin.
 * - ESM: the entry is imported under a new URL (`?v=<n>`). Only the entry is evaluated again: the
 *   modules it imports keep their URLs, and Node hands back the copies it already has, so bundle
 *   an ESM plugin into one file to hot-reload it. Every version also stays in memory for good,
 *   because Node's ESM loader never evicts a module: each reload of an `inline` ESM plugin grows
 *   the heap by one copy of its code (measured on Node 24: 50 reloads of a 1 MB module, +50 MB;
 *   the same through CommonJS `require()`, +0.3 MB). Plugins with `worker` isolation avoid the
 *   growth: a reload terminates the worker, which frees its whole isolate with every module in
 *   it, and loads the new code in a new worker.
 *
 * CommonJS is not loaded with `import()` because that keeps a module record per URL, like ESM:
 * a fresh import of CommonJS with `?v=<n>` grows memory the same way, and without clearing
 * `require.cache` it even returns the old exports.
 *
 * @example
 * ```ts
 * const result = await loadPluginEntry({ name: 'hello', dir: '/srv/plugins/hello', main: 'index.js' });
 * if (!result.ok) logger.error(result.error.message, result.error.details);
 * ```
 */
export async function loadPluginEntry(
  input: PluginEntry,
  options: LoadPluginEntryOptions = {},
): Promise<LoadResult> {
  const dir = resolve(input.dir);
  const file = resolve(dir, input.main);
  if (isAbsolute(input.main) || !isInside(dir, file)) {
    return failure(input.name, file, `"main" (${input.main}) must be a path inside the plugin folder ${dir}`);
  }
  const started = performance.now();
  let exports: unknown;
  try {
    if ((await entryFormat(file)) === 'commonjs') {
      const require = createRequire(file);
      if (options.fresh === true) forgetCommonJsModules(require.cache, dir);
      // The shape import() gives CommonJS, so both formats are searched alike.
      exports = { default: require(file) };
    } else {
      let url = pathToFileURL(file).href;
      if (options.fresh === true) {
        freshVersion += 1;
        url += `?v=${freshVersion}`;
      }
      exports = await import(url);
    }
  } catch (error) {
    return failure(input.name, file, describeError(error), error);
  }
  const plugin = findPlugin(exports);
  if (plugin === undefined) {
    return failure(
      input.name,
      file,
      `it exports no definePlugin(...) result as \`plugin\` or default (found: ${describeExports(exports)})`,
    );
  }
  return { ok: true, plugin, file, durationMs: performance.now() - started };
}

function failure(name: string, file: string, problem: string, cause?: unknown): PluginLoadFailed {
  return { ok: false, error: new PluginLoadError(name, file, problem, cause) };
}

function isInside(dir: string, file: string): boolean {
  const path = relative(dir, file);
  return path !== '' && path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

/** Drops the plugin's own CommonJS modules (not its `node_modules`) from `require.cache`. */
function forgetCommonJsModules(cache: NodeJS.Require['cache'], dir: string): void {
  for (const key of Object.keys(cache)) {
    if (isInside(dir, key) && !relative(dir, key).split(sep).includes('node_modules')) delete cache[key];
  }
}

function findPlugin(exports: unknown): Plugin | undefined {
  const namespace = asRecord(exports);
  const fallback = asRecord(namespace?.default);
  const candidates = [namespace?.plugin, namespace?.default, fallback?.plugin, fallback?.default];
  return candidates.find(isPlugin);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function describeExports(exports: unknown): string {
  const namespace = asRecord(exports) ?? {};
  const names = Object.keys(namespace).flatMap((name) => {
    const nested = name === 'default' ? asRecord(namespace.default) : undefined;
    return nested === undefined ? [name] : [name, ...Object.keys(nested).map((key) => `${name}.${key}`)];
  });
  const shown = names.filter((name) => name !== 'module.exports');
  if (shown.length === 0) return 'no exports';
  return shown.length > 10 ? `${shown.slice(0, 10).join(', ')}, …` : shown.join(', ');
}
