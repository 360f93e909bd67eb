import { describe, expect, it, jest } from '@jest/globals';
import { type ConfigChange, type ConfigReader, ManualClock, toDisposer } from '@trellis/core';
import { PolicyConfigInvalidError } from './policy-errors.js';
import { DEFAULT_POLICIES_PATH, PolicyRegistry } from './policy-registry.js';

/** A ConfigReader over a mutable object, announcing changes by hand. */
function reader(initial: Record<string, unknown>) {
  let values = initial;
  let listener: (change: ConfigChange) => void = () => {};
  const config: ConfigReader = {
    get: <T>(path: string) => values[path] as T | undefined,
    require: <T>(path: string) => values[path] as T,
    has: (path) => path in values,
    onChange: (l) => {
      listener = l;
      return toDisposer(() => {
        listener = () => {};
      });
    },
  };
  const change = (next: Record<string, unknown>, paths: string[]) => {
    values = next;
    listener({ paths });
  };
  return { config, change };
}

describe('PolicyRegistry', () => {
  it('builds one policy per (plugin, call site), named plugin/callSite, and caches it', () => {
    const registry = new PolicyRegistry({ callSites: { q: { breaker: {} } } }, { clock: new ManualClock() });
    const a = registry.get('search', 'q');
    expect(a.name).toBe('search/q');
    expect(registry.get('search', 'q')).toBe(a);
    expect(registry.get('other', 'q')).not.toBe(a);
    expect(registry.size).toBe(2);
    expect(a.breaker).toBeDefined();
    expect(registry.resolve('search', 'q').breaker).toMatchObject({ threshold: 5 });
  });

  it('rejects invalid configuration up front', () => {
    expect(() => new PolicyRegistry({ defaults: { bulkhead: { limit: 0 } } })).toThrow(
      PolicyConfigInvalidError,
    );
  });

  it('update() disposes the built policies and rebuilds from the new configuration', () => {
    const clock = new ManualClock();
    const registry = new PolicyRegistry({ defaults: { breaker: { threshold: 1 } } }, { clock });
    const old = registry.get('p', 'c');
    old.breaker?.open();
    expect(clock.pendingTimers).toBe(1);
    registry.update({ defaults: { breaker: { threshold: 9 } } });
    expect(clock.pendingTimers).toBe(0);
    const fresh = registry.get('p', 'c');
    expect(fresh).not.toBe(old);
    expect(fresh.breaker?.config.threshold).toBe(9);
    expect(fresh.state).toBe('closed');
  });

  it('an invalid update throws and keeps the current policies', () => {
    const registry = new PolicyRegistry({});
    const policy = registry.get('p', 'c');
    expect(() => registry.update({ defaults: { timeout: { ms: 0 } } })).toThrow(PolicyConfigInvalidError);
    expect(registry.get('p', 'c')).toBe(policy);
    registry.dispose();
    expect(registry.size).toBe(0);
  });

  it('watch() applies the configuration under its path and every change that touches it', () => {
    const { config, change } = reader({ [DEFAULT_POLICIES_PATH]: { defaults: { timeout: { ms: 100 } } } });
    const registry = new PolicyRegistry();
    const errors: unknown[] = [];
    const watching = registry.watch(config, DEFAULT_POLICIES_PATH, (e) => void errors.push(e));
    expect(registry.resolve('p', 'c').timeout).toEqual({ ms: 100 });
    const before = registry.get('p', 'c');
    change({ [DEFAULT_POLICIES_PATH]: { defaults: { timeout: { ms: 200 } } } }, ['cache.ttlMs']);
    expect(registry.get('p', 'c')).toBe(before);
    change({ [DEFAULT_POLICIES_PATH]: { defaults: { timeout: { ms: 200 } } } }, [
      'resilience.policies.defaults.timeout.ms',
    ]);
    expect(registry.get('p', 'c').timeout?.ms).toBe(200);
    change({ [DEFAULT_POLICIES_PATH]: { defaults: { timeout: { ms: 300 } } } }, ['resilience']);
    expect(registry.resolve('p', 'c').timeout).toEqual({ ms: 300 });
    change({ [DEFAULT_POLICIES_PATH]: { defaults: { timeout: { ms: -5 } } } }, [DEFAULT_POLICIES_PATH]);
    expect(errors).toEqual([expect.any(PolicyConfigInvalidError)]);
    expect(registry.resolve('p', 'c').timeout).toEqual({ ms: 300 });
    change({}, [DEFAULT_POLICIES_PATH]);
    expect(registry.resolve('p', 'c')).toEqual({});
    watching.dispose();
  });

  it('watch() warns by default about an invalid change', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { config } = reader({ [DEFAULT_POLICIES_PATH]: { nope: true } });
    new PolicyRegistry().watch(config).dispose();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Invalid resilience policy configuration'));
    warn.mockRestore();
  });
});

describe('PolicyRegistry.ofPlugin', () => {
  it('lists the built policies of one plugin, every call site, and no other plugin', () => {
    const registry = new PolicyRegistry({});
    const a = registry.get('weather', 'upstream');
    const b = registry.get('weather', 'geocoder');
    registry.get('weatherman', 'upstream');
    expect(registry.ofPlugin('weather')).toEqual([a, b]);
    expect(registry.ofPlugin('nobody')).toEqual([]);
  });
});
