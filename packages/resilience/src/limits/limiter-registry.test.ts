import { describe, expect, it } from '@jest/globals';
import { LocalEventBus, ManualClock, TrellisError, type TrellisEvents } from '@trellis/core';
import { createLimiterRegistry, LimiterRegistry } from './limiter-registry.js';

describe('LimiterRegistry', () => {
  it('gives each plugin its own limiter, created once', () => {
    const registry = createLimiterRegistry();
    const a = registry.forPlugin('a');
    expect(registry.forPlugin('a')).toBe(a);
    expect(registry.forPlugin('b')).not.toBe(a);
    expect(a.name).toBe('plugin:a');
    expect(registry.stats().map((s) => s.name)).toEqual(['plugin:a', 'plugin:b']);
  });

  it('merges per-plugin overrides over the defaults, algorithm sections field by field', () => {
    const registry = new LimiterRegistry({
      defaults: { algorithm: 'aimd', maxLimit: 50, aimd: { timeoutMs: 200 } },
      plugins: { slow: { initialLimit: 4, aimd: { backoffRatio: 0.5 } } },
    });
    const slow = registry.forPlugin('slow').settings;
    expect(slow).toMatchObject({
      algorithm: 'aimd',
      maxLimit: 50,
      initialLimit: 4,
      aimd: { timeoutMs: 200, backoffRatio: 0.5 },
    });
    expect(registry.forPlugin('other').settings).toMatchObject({
      initialLimit: 20,
      aimd: { timeoutMs: 200, backoffRatio: 0.9 },
    });
    expect(registry.get('db', { gradient2: { smoothing: 0.5 } }).settings.gradient2.smoothing).toBe(0.5);
  });

  it('validates every config when built, so a typo fails at boot', () => {
    expect(() => new LimiterRegistry({ plugins: { a: { maxLimit: 0 } } })).toThrow(TrellisError);
    expect(() => new LimiterRegistry({ defaults: { initialLimit: -1 } })).toThrow(TrellisError);
  });

  it('passes the clock and bus to its limiters, and forgets deleted ones', () => {
    const bus = new LocalEventBus<TrellisEvents>();
    const seen: string[] = [];
    bus.on('resilience.reject', (e) => seen.push(e.policy));
    const registry = new LimiterRegistry({ defaults: { initialLimit: 1 }, clock: new ManualClock(), bus });
    const limiter = registry.forPlugin('a');
    limiter.tryAcquire();
    limiter.tryAcquire();
    expect(seen).toEqual(['plugin:a']);
    expect(registry.delete('plugin:a')).toBe(true);
    expect(registry.forPlugin('a')).not.toBe(limiter);
  });
});
