import type { Disposer } from '../disposer.js';

/** What changed in a configuration update. */
export interface ConfigChange {
  /** Dotted paths whose values changed, e.g. `['cache.ttlMs']`. */
  readonly paths: readonly string[];
}

/**
 * Read-only configuration contract (token `CONFIG_READER`), addressed by dotted paths.
 * `@trellis/config` provides the layered, validated, hot-reloading implementation.
 */
export interface ConfigReader {
  /** The value at `path` (`'cache.ttlMs'`), or `undefined`. */
  get<T = unknown>(path: string): T | undefined;
  /** The value at `path`; throws `CONFIG_VALUE_MISSING` naming the path when it is absent. */
  require<T = unknown>(path: string): T;
  has(path: string): boolean;
  /** Called after each change with the changed paths. */
  onChange(listener: (change: ConfigChange) => void): Disposer;
}
