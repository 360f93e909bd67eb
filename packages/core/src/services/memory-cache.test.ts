import { describe, expect, it, jest } from '@jest/globals';
import { ManualClock } from '../time/manual-clock.js';
import { MemoryCache } from './memory-cache.js';

/** A promise with its resolve and reject functions, to settle loaders from the test. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('MemoryCache', () => {
  describe('get, set and delete', () => {
    it('returns a stored value', async () => {
      const cache = new MemoryCache();
      await cache.set('greeting', { text: 'hello' });
      await expect(cache.get('greeting')).resolves.toEqual({ text: 'hello' });
    });

    it('returns undefined for a key never written', async () => {
      const cache = new MemoryCache();
      await expect(cache.get('missing')).resolves.toBeUndefined();
    });

    it('replaces the value when a key is written again', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 1);
      await cache.set('k', 2);
      await expect(cache.get('k')).resolves.toBe(2);
      expect(cache.size).toBe(1);
    });

    it('keeps falsy values distinct from a miss', async () => {
      const cache = new MemoryCache();
      await cache.set('zero', 0);
      await cache.set('null', null);
      await expect(cache.get('zero')).resolves.toBe(0);
      await expect(cache.get('null')).resolves.toBeNull();
    });

    it('delete removes the entry and resolves true', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 1);
      await expect(cache.delete('k')).resolves.toBe(true);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('delete resolves false when there was no entry', async () => {
      const cache = new MemoryCache();
      await expect(cache.delete('missing')).resolves.toBe(false);
    });

    it('size counts the entries held', async () => {
      const cache = new MemoryCache();
      await cache.set('a', 1);
      await cache.set('b', 2);
      expect(cache.size).toBe(2);
    });
  });

  describe('TTL', () => {
    it('expires an entry once its ttlMs has passed on the injected clock', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.set('k', 'v', { ttlMs: 100 });
      clock.advance(99);
      await expect(cache.get('k')).resolves.toBe('v');
      clock.advance(2);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('expires entries written at clock time 0 (a fresh ManualClock)', async () => {
      const clock = new ManualClock(0);
      const cache = new MemoryCache({ clock });
      await cache.set('k', 'v', { ttlMs: 10 });
      clock.advance(1_000);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('measures expiry from the clock, not from construction time', async () => {
      const clock = new ManualClock(1_700_000_000_000);
      const cache = new MemoryCache({ clock });
      clock.advance(500);
      await cache.set('k', 'v', { ttlMs: 100 });
      clock.advance(99);
      await expect(cache.get('k')).resolves.toBe('v');
      clock.advance(2);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('applies defaultTtlMs to entries written without a TTL', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock, defaultTtlMs: 50 });
      await cache.set('k', 'v');
      clock.advance(49);
      await expect(cache.get('k')).resolves.toBe('v');
      clock.advance(2);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('defaults the TTL to five minutes', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.set('k', 'v');
      clock.advance(299_999);
      await expect(cache.get('k')).resolves.toBe('v');
      clock.advance(2);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('keeps entries with ttlMs 0 until they are evicted', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.set('k', 'v', { ttlMs: 0 });
      clock.advance(365 * 24 * 3_600_000);
      await expect(cache.get('k')).resolves.toBe('v');
    });

    it('keeps entries forever when defaultTtlMs is 0', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock, defaultTtlMs: 0 });
      await cache.set('k', 'v');
      clock.advance(365 * 24 * 3_600_000);
      await expect(cache.get('k')).resolves.toBe('v');
    });

    it('delete resolves false for an entry that has already expired', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.set('k', 'v', { ttlMs: 10 });
      clock.advance(20);
      await expect(cache.delete('k')).resolves.toBe(false);
    });

    it('getOrSet reloads a value that has expired', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      const loader = jest.fn(() => 'fresh');
      await cache.set('k', 'stale', { ttlMs: 10 });
      clock.advance(20);
      await expect(cache.getOrSet('k', loader)).resolves.toBe('fresh');
      expect(loader).toHaveBeenCalledTimes(1);
    });
  });

  describe('LRU eviction', () => {
    it('evicts the oldest entry when maxEntries is exceeded', async () => {
      const cache = new MemoryCache({ maxEntries: 2 });
      await cache.set('a', 1);
      await cache.set('b', 2);
      await cache.set('c', 3);
      await expect(cache.get('a')).resolves.toBeUndefined();
      await expect(cache.get('b')).resolves.toBe(2);
      await expect(cache.get('c')).resolves.toBe(3);
      expect(cache.size).toBe(2);
    });

    it('evicts the least recently used entry, counting reads as use', async () => {
      const cache = new MemoryCache({ maxEntries: 2 });
      await cache.set('a', 1);
      await cache.set('b', 2);
      await cache.get('a');
      await cache.set('c', 3);
      await expect(cache.get('a')).resolves.toBe(1);
      await expect(cache.get('b')).resolves.toBeUndefined();
    });

    it('drops an evicted entry from its tags, so invalidation does not count it', async () => {
      const cache = new MemoryCache({ maxEntries: 1 });
      await cache.set('a', 1, { tags: ['t'] });
      await cache.set('b', 2);
      await expect(cache.invalidateTags(['t'])).resolves.toBe(0);
      await expect(cache.get('b')).resolves.toBe(2);
    });
  });

  describe('tags', () => {
    it('invalidateTags removes every entry carrying the tag and resolves to the count', async () => {
      const cache = new MemoryCache();
      await cache.set('user:1', 'ann', { tags: ['users'] });
      await cache.set('user:2', 'bob', { tags: ['users'] });
      await cache.set('order:1', 'book', { tags: ['orders'] });
      await expect(cache.invalidateTags(['users'])).resolves.toBe(2);
      await expect(cache.get('user:1')).resolves.toBeUndefined();
      await expect(cache.get('user:2')).resolves.toBeUndefined();
      await expect(cache.get('order:1')).resolves.toBe('book');
    });

    it('counts an entry carrying several of the given tags once', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 'v', { tags: ['a', 'b'] });
      await expect(cache.invalidateTags(['a', 'b'])).resolves.toBe(1);
    });

    it('resolves 0 for a tag nothing carries', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 'v', { tags: ['a'] });
      await expect(cache.invalidateTags(['unknown'])).resolves.toBe(0);
      await expect(cache.get('k')).resolves.toBe('v');
    });

    it('does not count entries that had already expired', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.set('short', 1, { tags: ['t'], ttlMs: 10 });
      await cache.set('long', 2, { tags: ['t'], ttlMs: 1_000 });
      clock.advance(20);
      await expect(cache.invalidateTags(['t'])).resolves.toBe(1);
    });

    it('forgets a deleted entry, so invalidating its tag later removes nothing', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 'v', { tags: ['t'] });
      await cache.delete('k');
      await expect(cache.invalidateTags(['t'])).resolves.toBe(0);
    });

    it('re-indexes tags when an entry is overwritten with different tags', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 'v1', { tags: ['old'] });
      await cache.set('k', 'v2', { tags: ['new'] });
      await expect(cache.invalidateTags(['old'])).resolves.toBe(0);
      await expect(cache.get('k')).resolves.toBe('v2');
      await expect(cache.invalidateTags(['new'])).resolves.toBe(1);
      await expect(cache.get('k')).resolves.toBeUndefined();
    });

    it('keeps a tag that the overwrite repeats', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 'v1', { tags: ['shared', 'old'] });
      await cache.set('k', 'v2', { tags: ['shared'] });
      await expect(cache.invalidateTags(['shared'])).resolves.toBe(1);
    });
  });

  describe('getOrSet', () => {
    it('returns a cached value without calling the loader', async () => {
      const cache = new MemoryCache();
      await cache.set('k', 'cached');
      const loader = jest.fn(() => 'loaded');
      await expect(cache.getOrSet('k', loader)).resolves.toBe('cached');
      expect(loader).not.toHaveBeenCalled();
    });

    it('stores and returns what the loader produces on a miss', async () => {
      const cache = new MemoryCache();
      await expect(cache.getOrSet('k', async () => 'loaded')).resolves.toBe('loaded');
      await expect(cache.get('k')).resolves.toBe('loaded');
    });

    it('accepts a synchronous loader', async () => {
      const cache = new MemoryCache();
      await expect(cache.getOrSet('k', () => 42)).resolves.toBe(42);
      await expect(cache.get('k')).resolves.toBe(42);
    });

    it('treats a cached undefined from a loader as a hit', async () => {
      const cache = new MemoryCache();
      const loader = jest.fn(() => undefined);
      await cache.getOrSet('k', loader);
      await cache.getOrSet('k', loader);
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('stores the loaded value with the given TTL and tags', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.getOrSet('a', () => 1, { tags: ['t'] });
      await cache.getOrSet('b', () => 2, { ttlMs: 10 });
      clock.advance(20);
      await expect(cache.get('b')).resolves.toBeUndefined();
      await expect(cache.invalidateTags(['t'])).resolves.toBe(1);
    });

    it('shares one loader call between concurrent calls for the same key', async () => {
      const cache = new MemoryCache();
      const pending = deferred<string>();
      const loader = jest.fn(() => pending.promise);
      const first = cache.getOrSet('k', loader);
      const second = cache.getOrSet('k', loader);
      const third = cache.getOrSet('k', loader);
      pending.resolve('value');
      await expect(Promise.all([first, second, third])).resolves.toEqual(['value', 'value', 'value']);
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('runs separate loaders for different keys', async () => {
      const cache = new MemoryCache();
      const loader = jest.fn(async () => 'v');
      await Promise.all([cache.getOrSet('a', loader), cache.getOrSet('b', loader)]);
      expect(loader).toHaveBeenCalledTimes(2);
    });

    it('rejects every waiting caller with the loader error', async () => {
      const cache = new MemoryCache();
      const pending = deferred<string>();
      const first = cache.getOrSet('k', () => pending.promise);
      const second = cache.getOrSet('k', () => 'unused');
      pending.reject(new Error('backend down'));
      await expect(first).rejects.toThrow('backend down');
      await expect(second).rejects.toThrow('backend down');
    });

    it('does not cache a rejection: the next call runs the loader again', async () => {
      const cache = new MemoryCache();
      await expect(cache.getOrSet('k', async () => Promise.reject(new Error('once')))).rejects.toThrow(
        'once',
      );
      await expect(cache.get('k')).resolves.toBeUndefined();
      const retry = jest.fn(async () => 'recovered');
      await expect(cache.getOrSet('k', retry)).resolves.toBe('recovered');
      expect(retry).toHaveBeenCalledTimes(1);
    });

    it('does not keep a loader that throws synchronously in flight', async () => {
      const cache = new MemoryCache();
      await expect(
        cache.getOrSet('k', () => {
          throw new Error('sync failure');
        }),
      ).rejects.toThrow('sync failure');
      await expect(cache.getOrSet('k', () => 'recovered')).resolves.toBe('recovered');
    });

    it('clears the in-flight load once it resolves, so a later miss loads again', async () => {
      const cache = new MemoryCache();
      const loader = jest.fn(async () => 'v');
      await cache.getOrSet('k', loader);
      await cache.delete('k');
      await cache.getOrSet('k', loader);
      expect(loader).toHaveBeenCalledTimes(2);
    });
  });

  describe('namespace', () => {
    it('stores keys under "<prefix>:<key>" in the parent cache', async () => {
      const cache = new MemoryCache();
      const scoped = cache.namespace('plugin:hello');
      await scoped.set('greeting', 'hi');
      await expect(cache.get('plugin:hello:greeting')).resolves.toBe('hi');
      await expect(cache.get('greeting')).resolves.toBeUndefined();
    });

    it('reads only its own keys', async () => {
      const cache = new MemoryCache();
      await cache.set('a:k', 'from a');
      await cache.set('b:k', 'from b');
      await expect(cache.namespace('a').get('k')).resolves.toBe('from a');
      await expect(cache.namespace('b').get('k')).resolves.toBe('from b');
    });

    it('deletes its own key', async () => {
      const cache = new MemoryCache();
      const scoped = cache.namespace('ns');
      await cache.set('k', 'outer');
      await scoped.set('k', 'inner');
      await expect(scoped.delete('k')).resolves.toBe(true);
      await expect(cache.get('ns:k')).resolves.toBeUndefined();
      await expect(cache.get('k')).resolves.toBe('outer');
    });

    it('prefixes tags, so invalidating in the namespace leaves other namespaces alone', async () => {
      const cache = new MemoryCache();
      const a = cache.namespace('a');
      const b = cache.namespace('b');
      await a.set('k', 1, { tags: ['users'] });
      await b.set('k', 2, { tags: ['users'] });
      await expect(a.invalidateTags(['users'])).resolves.toBe(1);
      await expect(a.get('k')).resolves.toBeUndefined();
      await expect(b.get('k')).resolves.toBe(2);
    });

    it('writes prefixed tags that the parent can invalidate', async () => {
      const cache = new MemoryCache();
      await cache.namespace('a').set('k', 1, { tags: ['users'] });
      await expect(cache.invalidateTags(['users'])).resolves.toBe(0);
      await expect(cache.invalidateTags(['a:users'])).resolves.toBe(1);
    });

    it('passes the TTL through', async () => {
      const clock = new ManualClock();
      const cache = new MemoryCache({ clock });
      await cache.namespace('ns').set('k', 'v', { ttlMs: 10 });
      clock.advance(20);
      await expect(cache.get('ns:k')).resolves.toBeUndefined();
    });

    it('getOrSet stores under the prefixed key with prefixed tags', async () => {
      const cache = new MemoryCache();
      const scoped = cache.namespace('ns');
      await expect(scoped.getOrSet('k', () => 'loaded', { tags: ['t'] })).resolves.toBe('loaded');
      await expect(cache.get('ns:k')).resolves.toBe('loaded');
      await expect(cache.invalidateTags(['ns:t'])).resolves.toBe(1);
    });

    it('getOrSet shares the stampede protection of the parent cache', async () => {
      const cache = new MemoryCache();
      const pending = deferred<string>();
      const loader = jest.fn(() => pending.promise);
      const viaNamespace = cache.namespace('ns').getOrSet('k', loader);
      const viaParent = cache.getOrSet('ns:k', loader);
      pending.resolve('v');
      await expect(Promise.all([viaNamespace, viaParent])).resolves.toEqual(['v', 'v']);
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('nests: a namespace of a namespace joins both prefixes', async () => {
      const cache = new MemoryCache();
      const nested = cache.namespace('plugin:hello').namespace('sessions');
      await nested.set('k', 'v', { tags: ['t'] });
      await expect(cache.get('plugin:hello:sessions:k')).resolves.toBe('v');
      await expect(cache.invalidateTags(['plugin:hello:sessions:t'])).resolves.toBe(1);
    });
  });
});

describe('MemoryCache loads that race an invalidation', () => {
  it('returns but does not cache a value loaded across an invalidateTags or delete', async () => {
    const cache = new MemoryCache();
    let release: (value: string) => void = () => {};
    const loading = cache.getOrSet('k', () => new Promise<string>((resolve) => (release = resolve)), {
      tags: ['t'],
    });
    await cache.invalidateTags(['t']);
    release('stale');
    await expect(loading).resolves.toBe('stale');
    await expect(cache.get('k')).resolves.toBeUndefined();
    await expect(cache.getOrSet('k', () => 'fresh')).resolves.toBe('fresh');
    await expect(cache.get('k')).resolves.toBe('fresh');
  });
});
