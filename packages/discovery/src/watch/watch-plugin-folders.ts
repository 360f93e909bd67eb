import { type FSWatcher, statSync, watch } from 'node:fs';
import { sep } from 'node:path';
import { type Clock, type Disposer, systemClock, type TimerHandle, toDisposer } from '@trellis/core';

/** A plugin folder to watch. */
export interface WatchedPluginFolder {
  readonly name: string;
  /** The plugin folder; everything below it is watched. */
  readonly dir: string;
}

/** Options of {@link watchPluginFolders}. */
export interface WatchPluginFoldersOptions {
  /** Quiet period after the last file event before `onChange` is called; default 200 ms. */
  readonly debounceMs?: number;
  /** Called when a folder cannot be watched (it does not exist) or its watcher fails. */
  readonly onError?: (name: string, error: unknown) => void;
  /** Schedules the debounce; default the system clock. */
  readonly clock?: Clock;
}

/**
 * Watches plugin folders for code changes (development hot reload). Each folder gets one
 * recursive `fs.watch`; changes below `node_modules` or to dotfiles and dot-folders (`.git`,
 * editor swap files) are ignored. Events are debounced: `onChange` is called once the folders
 * have been quiet for `debounceMs`, with the name of every plugin that changed meanwhile, in the
 * order of `dirs`.
 *
 * A folder that cannot be watched (missing, not a folder) is reported to `onError` and skipped.
 * Deleting a watched folder counts as a change of its plugin, so the reload that follows reports
 * the missing code and the running version stays; a watcher that fails is closed, reported to
 * `onError`, and also counts as a change.
 *
 * @example
 * ```ts
 * const watching = watchPluginFolders(plugins, (names) => void reloads.reload(names));
 * // later
 * watching.dispose();
 * ```
 * @returns a disposer that closes every watcher and drops a pending notification.
 */
export function watchPluginFolders(
  dirs: readonly WatchedPluginFolder[],
  onChange: (names: string[]) => void,
  options: WatchPluginFoldersOptions = {},
): Disposer {
  const debounceMs = options.debounceMs ?? 200;
  const clock = options.clock ?? systemClock;
  const changed = new Set<string>();
  const watchers: FSWatcher[] = [];
  let timer: TimerHandle | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    const names = dirs.map((folder) => folder.name).filter((name) => changed.has(name));
    changed.clear();
    if (names.length > 0 && !closed) onChange(names);
  };
  const schedule = (name: string) => {
    if (closed) return;
    changed.add(name);
    timer?.cancel();
    timer = clock.setTimeout(flush, debounceMs);
  };

  for (const { name, dir } of dirs) {
    try {
      // Node 24's recursive watch on Linux neither throws nor emits for a missing folder.
      if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
      const watcher = watch(dir, { recursive: true, persistent: false }, (_event, file) => {
        if (file === null || !isIgnored(file)) schedule(name);
      });
      watcher.on('error', (error) => {
        watcher.close();
        options.onError?.(name, error);
        schedule(name);
      });
      watchers.push(watcher);
    } catch (error) {
      options.onError?.(name, error);
    }
  }

  return toDisposer(() => {
    closed = true;
    timer?.cancel();
    for (const watcher of watchers) watcher.close();
  });
}

/** True for a path (relative to the plugin folder) below `node_modules` or a dot-named entry. */
function isIgnored(file: string): boolean {
  return file.split(sep).some((part) => part === 'node_modules' || part.startsWith('.'));
}
