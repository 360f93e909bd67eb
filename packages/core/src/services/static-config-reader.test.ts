import { describe, expect, it, jest } from '@jest/globals';
import { TrellisError } from '../errors/trellis-error.js';
import { ConfigValueMissingError } from '../errors.js';
import type { ConfigChange } from './config-reader.js';
import { StaticConfigReader } from './static-config-reader.js';

const values = {
  name: 'shop',
  cache: { ttlMs: 500, redis: { host: 'localhost', port: 6379 } },
  features: ['a', 'b'],
  enabled: false,
  retries: 0,
  empty: null,
};

describe('StaticConfigReader', () => {
  describe('get', () => {
    it('reads a top-level value', () => {
      expect(new StaticConfigReader(values).get('name')).toBe('shop');
    });

    it('reads a nested value by dotted path', () => {
      const reader = new StaticConfigReader(values);
      expect(reader.get('cache.ttlMs')).toBe(500);
      expect(reader.get('cache.redis.host')).toBe('localhost');
    });

    it('returns a whole subtree for a path to an object', () => {
      expect(new StaticConfigReader(values).get('cache.redis')).toEqual({ host: 'localhost', port: 6379 });
    });

    it('reads array items by index', () => {
      expect(new StaticConfigReader(values).get('features.1')).toBe('b');
    });

    it('returns falsy values as they are', () => {
      const reader = new StaticConfigReader(values);
      expect(reader.get('enabled')).toBe(false);
      expect(reader.get('retries')).toBe(0);
      expect(reader.get('empty')).toBeNull();
    });

    it('returns undefined for a missing key', () => {
      expect(new StaticConfigReader(values).get('cache.missing')).toBeUndefined();
    });

    it('returns undefined for a path through a leaf value', () => {
      expect(new StaticConfigReader(values).get('name.length')).toBeUndefined();
    });

    it('returns undefined for a path through null', () => {
      expect(new StaticConfigReader(values).get('empty.x')).toBeUndefined();
    });

    it('does not read inherited properties', () => {
      const reader = new StaticConfigReader(values);
      expect(reader.get('cache.toString')).toBeUndefined();
      expect(reader.get('__proto__')).toBeUndefined();
    });

    it('is empty when created without values', () => {
      expect(new StaticConfigReader().get('anything')).toBeUndefined();
    });
  });

  describe('has', () => {
    it('is true for a present value, including falsy ones', () => {
      const reader = new StaticConfigReader(values);
      expect(reader.has('cache.redis.port')).toBe(true);
      expect(reader.has('enabled')).toBe(true);
      expect(reader.has('empty')).toBe(true);
    });

    it('is false for a missing path', () => {
      expect(new StaticConfigReader(values).has('cache.redis.password')).toBe(false);
    });

    it('is false for a key whose value is undefined', () => {
      expect(new StaticConfigReader({ unset: undefined }).has('unset')).toBe(false);
    });
  });

  describe('require', () => {
    it('returns a present value', () => {
      expect(new StaticConfigReader(values).require('cache.ttlMs')).toBe(500);
    });

    it('returns a falsy present value without throwing', () => {
      expect(new StaticConfigReader(values).require('retries')).toBe(0);
    });

    it('throws ConfigValueMissingError with code CONFIG_VALUE_MISSING for a missing path', () => {
      const reader = new StaticConfigReader(values);
      expect(() => reader.require('db.url')).toThrow(ConfigValueMissingError);
      let caught: unknown;
      try {
        reader.require('db.url');
      } catch (error) {
        caught = error;
      }
      expect(TrellisError.is(caught, 'CONFIG_VALUE_MISSING')).toBe(true);
    });

    it('names the missing path in the message and details', () => {
      const reader = new StaticConfigReader(values);
      expect(() => reader.require('db.url')).toThrow(
        expect.objectContaining({
          message: expect.stringContaining('"db.url"'),
          details: { path: 'db.url' },
        }),
      );
    });
  });

  describe('replace and onChange', () => {
    it('serves the new values after replace', () => {
      const reader = new StaticConfigReader({ a: 1 });
      reader.replace({ a: 2 });
      expect(reader.get('a')).toBe(2);
    });

    it('notifies listeners with the changed leaf paths only', () => {
      const reader = new StaticConfigReader(values);
      const changes: ConfigChange[] = [];
      reader.onChange((change) => changes.push(change));
      reader.replace({ ...values, cache: { ...values.cache, redis: { host: 'redis', port: 6379 } } });
      expect(changes).toEqual([{ paths: ['cache.redis.host'] }]);
    });

    it('reports added and removed paths', () => {
      const reader = new StaticConfigReader({ keep: 1, gone: 2 });
      const listener = jest.fn();
      reader.onChange(listener);
      reader.replace({ keep: 1, added: 3 });
      expect(listener).toHaveBeenCalledWith({ paths: ['gone', 'added'] });
    });

    it('reports every changed leaf of a nested object', () => {
      const reader = new StaticConfigReader({ db: { host: 'a', port: 1, user: 'u' } });
      const listener = jest.fn();
      reader.onChange(listener);
      reader.replace({ db: { host: 'b', port: 2, user: 'u' } });
      expect(listener).toHaveBeenCalledWith({ paths: ['db.host', 'db.port'] });
    });

    it('reports an array as one path when any item changes', () => {
      const reader = new StaticConfigReader({ list: [1, 2] });
      const listener = jest.fn();
      reader.onChange(listener);
      reader.replace({ list: [1, 3] });
      expect(listener).toHaveBeenCalledWith({ paths: ['list'] });
    });

    it('reports the path of an object replaced by a plain value', () => {
      const reader = new StaticConfigReader({ cache: { ttlMs: 1 } });
      const listener = jest.fn();
      reader.onChange(listener);
      reader.replace({ cache: false });
      expect(listener).toHaveBeenCalledWith({ paths: ['cache'] });
    });

    it('does not notify when nothing changed', () => {
      const reader = new StaticConfigReader(values);
      const listener = jest.fn();
      reader.onChange(listener);
      reader.replace(structuredClone(values));
      expect(listener).not.toHaveBeenCalled();
    });

    it('notifies every listener', () => {
      const reader = new StaticConfigReader({ a: 1 });
      const first = jest.fn();
      const second = jest.fn();
      reader.onChange(first);
      reader.onChange(second);
      reader.replace({ a: 2 });
      expect(first).toHaveBeenCalledTimes(1);
      expect(second).toHaveBeenCalledTimes(1);
    });

    it('lets a listener read the new values', () => {
      const reader = new StaticConfigReader({ a: 1 });
      let seen: unknown;
      reader.onChange(() => {
        seen = reader.get('a');
      });
      reader.replace({ a: 2 });
      expect(seen).toBe(2);
    });

    it('stops notifying a listener once it is disposed', () => {
      const reader = new StaticConfigReader({ a: 1 });
      const listener = jest.fn();
      const subscription = reader.onChange(listener);
      reader.replace({ a: 2 });
      subscription.dispose();
      reader.replace({ a: 3 });
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it('keeps other listeners when one is disposed, even if disposed twice', () => {
      const reader = new StaticConfigReader({ a: 1 });
      const kept = jest.fn();
      const removed = reader.onChange(jest.fn());
      reader.onChange(kept);
      removed.dispose();
      removed.dispose();
      reader.replace({ a: 2 });
      expect(kept).toHaveBeenCalledTimes(1);
    });
  });
});
