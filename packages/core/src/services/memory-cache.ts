import { LRUCache } from 'lru-cache';
import { type Clock, systemClock } from '../time/clock.js';
import type { Cache, CacheSetOptions } from './cache.js';

/** Options of {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept before the least recently used is evicted; default 10,000. */
  readonly maxEntries?: number;
  /** TTL for entries written without one; default 5 minutes. `0` keeps them until evicted. */
  readonly defaultTtlMs?: number;
  /** Expiry is measured on this clock; default the system clock. */
  readonly clock?: Clock;
}

interface Entry {
  readonly value: unknown;
  readonly tags: readonly string[];
}

/**
 * The default {@link Cache}: a bounded in-process LRU (lru-cache) with TTLs, tags and
 * stampede protection. Enough for one instance; `@trellis/cache` adds Redis and invalidation
 * across instances.
 */
export class MemoryCache implements Cache {
  readonly #store: LRUCache<string, Entry>;
  readonly #tagIndex = new Map<string, Set<string>>();
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #defaultTtlMs: number;
  /** Bumped by every delete and invalidation, so loads that started before one are not cached. */
  #generation = 0;

  constructor(options: MemoryCacheOptions = {}) {
    const clock = options.clock ?? systemClock;
    // lru-cache takes a start time of 0 to mean "no TTL", and a ManualClock starts at 0, so
    // measure from 1 ms before construction: every start time lru-cache records is then positive.
    const origin = clock.now() - 1;
    this.#defaultTtlMs = options.defaultTtlMs ?? 300_000;
    this.#store = new LRUCache<string, Entry>({
      max: options.maxEntries ?? 10_000,
      // ttlResolution 0: read the (possibly manual) clock on every check instead of caching it.
      perf: { now: () => clock.now() - origin },
      ttlResolution: 0,
      dispose: (entry, key) => this.#unindex(key, entry.tags),
    });
  }

  /** Entries currently held (expired ones may count until next touched). */
  get size(): number {
    return this.#store.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.#store.get(key)?.value as T | undefined;
  }

  async set<T>(key: string, value: T, options: CacheSetOptions = {}): Promise<void> {
    this.#setSync(key, value, options);
  }

  async delete(key: string): Promise<boolean> {
    this.#generation += 1;
    return this.#remove(key);
  }

  async getOrSet<T>(key: string, loader: () => T | Promise<T>, options: CacheSetOptions = {}): Promise<T> {
    const hit = this.#store.get(key);
    if (hit) return hit.value as T;
    const pending = this.#inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const generation = this.#generation;
    const load = (async () => {
      const value = await loader();
      // A delete or invalidation during the load makes its value stale: return it, do not cache it.
      if (generation === this.#generation) this.#setSync(key, value, options);
      return value;
    })().finally(() => {
      // Cleared only once `load` is registered: a loader that throws synchronously settles the
      // async function before `set` below runs, and a cleanup inside it would run too early.
      this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, load);
    return load;
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    this.#generation += 1;
    let removed = 0;
    for (const tag of tags) {
      for (const key of [...(this.#tagIndex.get(tag) ?? [])]) {
        if (this.#remove(key)) removed += 1;
      }
    }
    return removed;
  }

  namespace(prefix: string): Cache {
    return new NamespacedCache(this, prefix);
  }

  /** Deletes `key`; true only when a live (unexpired) entry was removed. */
  #remove(key: string): boolean {
    const live = this.#store.has(key);
    // Delete even when expired, so the entry and its tag index entries are released now.
    return this.#store.delete(key) && live;
  }

  #setSync(key: string, value: unknown, options: CacheSetOptions): void {
    const tags = options.tags ?? [];
    this.#store.set(key, { value, tags }, { ttl: options.ttlMs ?? this.#defaultTtlMs });
    for (const tag of tags) {
      const keys = this.#tagIndex.get(tag) ?? new Set<string>();
      this.#tagIndex.set(tag, keys);
      keys.add(key);
    }
  }

  #unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#tagIndex.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#tagIndex.delete(tag);
    }
  }
}

/** A prefix view over any {@link Cache}; keys and tags become `<prefix>:<name>`. */
class NamespacedCache implements Cache {
  constructor(
    private readonly inner: Cache,
    private readonly prefix: string,
  ) {}

  get<T>(key: string): Promise<T | undefined> {
    return this.inner.get<T>(this.#key(key));
  }

  set<T>(key: string, value: T, options: CacheSetOptions = {}): Promise<void> {
    return this.inner.set(this.#key(key), value, this.#options(options));
  }

  delete(key: string): Promise<boolean> {
    return this.inner.delete(this.#key(key));
  }

  getOrSet<T>(key: string, loader: () => T | Promise<T>, options: CacheSetOptions = {}): Promise<T> {
    return this.inner.getOrSet(this.#key(key), loader, this.#options(options));
  }

  invalidateTags(tags: readonly string[]): Promise<number> {
    return this.inner.invalidateTags(tags.map((tag) => this.#key(tag)));
  }

  namespace(prefix: string): Cache {
    return new NamespacedCache(this.inner, this.#key(prefix));
  }

  #key(name: string): string {
    return `${this.prefix}:${name}`;
  }

  #options(options: CacheSetOptions): CacheSetOptions {
    return options.tags ? { ...options, tags: options.tags.map((tag) => this.#key(tag)) } : options;
  }
}
