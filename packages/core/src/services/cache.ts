/** Options when writing a cache entry. */
export interface CacheSetOptions {
  /** Time to live in milliseconds; default the cache's own default. */
  readonly ttlMs?: number;
  /** Tags to invalidate the entry by, with {@link Cache.invalidateTags}. */
  readonly tags?: readonly string[];
}

/**
 * Cache contract (token `CACHE`). Values must be structured-clone safe so that a Redis-backed
 * implementation can serialise them. `@trellis/cache` provides the multi-tier implementation.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: CacheSetOptions): Promise<void>;
  /** True when an entry was removed. */
  delete(key: string): Promise<boolean>;
  /**
   * The cached value, or the loader's result stored and returned. Concurrent calls for one missing
   * key share a single loader call (stampede protection).
   */
  getOrSet<T>(key: string, loader: () => T | Promise<T>, options?: CacheSetOptions): Promise<T>;
  /** Removes every entry carrying one of `tags`; resolves to how many were removed. */
  invalidateTags(tags: readonly string[]): Promise<number>;
  /** A view whose keys and tags live under `prefix`, e.g. one per plugin. */
  namespace(prefix: string): Cache;
}
