import { describe, expect, it } from '@jest/globals';
import { LocalEventBus, ManualClock, type TrellisEvents } from '@trellis/core';
import type { BreakerState } from '../events/resilience-events.js';
import { type BreakerLike, registerBreakerHealth } from './breaker-health.js';
import { ResilienceHealthRegistry } from './resilience-health-registry.js';

function breaker(name: string, state: BreakerState = 'closed', critical?: boolean) {
  const b = { name, current: state, state: () => b.current, ...(critical !== undefined ? { critical } : {}) };
  return b;
}

describe('registerBreakerHealth', () => {
  it('reports an open breaker as degraded, or failing when critical, read live', async () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock() });
    const payments = breaker('payments', 'closed', true);
    const search = breaker('search');
    const email = breaker('email');
    registerBreakerHealth(registry, [payments, search, email], { critical: ['email'] });
    expect((await registry.check('readiness')).status).toBe('pass');

    search.current = 'open';
    let report = await registry.check('readiness'); // no cache: state is read every time
    expect(report).toMatchObject({
      status: 'warn',
      reasons: { 'breaker:search': 'open: calls are refused' },
    });
    expect(report.checks['breaker:search']).toMatchObject({ status: 'warn', details: { state: 'open' } });

    search.current = 'half-open';
    report = await registry.check('readiness');
    expect(report.checks['breaker:search']).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/^half-open/),
    });

    payments.current = 'isolated';
    report = await registry.check('readiness');
    expect(report.status).toBe('fail');
    expect(report.reasons['breaker:payments']).toMatch(/^isolated/);

    payments.current = 'closed';
    email.current = 'open';
    expect((await registry.check('readiness')).status).toBe('fail');
  });

  it('follows a function source on sync() and on resilience.breaker events', async () => {
    const registry = new ResilienceHealthRegistry({ clock: new ManualClock() });
    const bus = new LocalEventBus<TrellisEvents>();
    let breakers: BreakerLike[] = [breaker('a')];
    const binding = registerBreakerHealth(registry, () => breakers, {
      bus,
      prefix: 'cb:',
      probes: ['liveness'],
      critical: (name) => name === 'b',
    });
    expect(binding.names()).toEqual(['cb:a']);

    const b = breaker('b', 'open');
    breakers = [...breakers, b];
    bus.emit('resilience.breaker', { policy: 'b', from: 'closed', to: 'open', reason: 'failures' });
    expect(binding.names()).toEqual(['cb:a', 'cb:b']);
    expect((await registry.check('liveness')).status).toBe('fail');

    // A rebuilt breaker (new object, same name) replaces the old check; a removed one is dropped.
    breakers = [breaker('b', 'closed')];
    binding.sync();
    expect(binding.names()).toEqual(['cb:b']);
    expect((await registry.check('liveness')).status).toBe('pass');

    binding.dispose();
    expect(registry.names()).toEqual([]);
    expect(bus.listenerCount('resilience.breaker')).toBe(0);
  });
});
