import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type Disposer, toDisposer } from '@trellis/core';
import type { Config, ReloadResult } from './config.js';
import type { ConfigSourcePaths } from './load-config.js';

/** Options of {@link watchConfig}. */
export interface WatchConfigOptions {
  /** Quiet period after the last file event before reloading; default 100 ms. */
  readonly debounceMs?: number;
  /** Called after every reload attempt, applied or not. */
  readonly onReload?: (result: ReloadResult) => void;
}

/**
 * Reloads `config` when its files change. It watches the config folder itself rather than each
 * file: a Kubernetes ConfigMap mount changes by renaming a `..data` symlink, which leaves every
 * file's own inode untouched, so file watchers (and chokidar's defaults) miss it, while a folder
 * watch sees the rename. Every event leads to one debounced `reload()`, which applies only a
 * valid and actually different configuration; an invalid edit is reported through
 * `config.onError` and the last good configuration stays. A watch error (the folder was removed)
 * closes that folder's watcher; the next `reload()` reports the missing files.
 *
 * @returns a disposer that stops watching.
 */
export function watchConfig<T>(
  config: Config<T>,
  paths: ConfigSourcePaths,
  options: WatchConfigOptions = {},
): Disposer {
  const debounceMs = options.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const reload = () => {
    if (running) {
      again = true; // a change landed mid-reload: read once more when it finishes
      return;
    }
    running = config
      .reload('file change')
      .then((result) => options.onReload?.(result))
      // reload() never rejects; a throwing onReload must not stop the watcher for good.
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (again && !closed) {
          again = false;
          reload();
        }
      });
  };
  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };

  const watchers: FSWatcher[] = [];
  const watchDir = (dir: string, filter?: string) => {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (!filter || name === null || name === filter) schedule();
      });
      // A watched folder that disappears stops its watcher; the next load reports it.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // A folder that does not exist has nothing to watch; its files are optional layers.
    }
  };
  watchDir(paths.dir);
  if (paths.envFile && dirname(paths.envFile) !== paths.dir)
    watchDir(dirname(paths.envFile), basename(paths.envFile));

  return toDisposer(() => {
    closed = true;
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  });
}
