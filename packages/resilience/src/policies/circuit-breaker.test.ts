import '../events/resilience-events.js';
import { describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus, ManualClock, type TrellisEvents } from '@trellis/core';
import type { ResilienceEvents } from '../events/resilience-events.js';
import { type BreakerTransition, CircuitBreaker, REFUSED } from './circuit-breaker.js';
import { BreakerOpenError } from './policy-errors.js';
import { type BreakerConfig, BreakerSchema } from './policy-schema.js';

function setup(over: Partial<BreakerConfig> = {}) {
  const clock = new ManualClock(1_000);
  const bus = new LocalEventBus<TrellisEvents>();
  const events: ResilienceEvents['resilience.breaker'][] = [];
  bus.on('resilience.breaker', (e) => void events.push(e));
  const breaker = new CircuitBreaker('db/query', BreakerSchema.parse(over), { clock, bus });
  /** Runs one admitted call with the given outcome; returns false when refused. */
  const call = (ok: boolean): boolean => {
    const ticket = breaker.tryAcquire();
    if (ticket === REFUSED) return false;
    if (ok) breaker.onSuccess(ticket);
    else breaker.onFailure(ticket);
    return true;
  };
  return { clock, bus, events, breaker, call };
}

describe('CircuitBreaker, consecutive mode', () => {
  it('opens after `threshold` failures in a row; a success resets the count', () => {
    const { breaker, call, events } = setup({ threshold: 3 });
    call(false);
    call(false);
    call(true);
    call(false);
    call(false);
    expect(breaker.state).toBe('closed');
    call(false);
    expect(breaker.state).toBe('open');
    expect(breaker.blocked).toBe(true);
    expect(breaker.openUntil).toBe(6_000);
    expect(events).toEqual([
      { policy: 'db/query', from: 'closed', to: 'open', reason: '3 consecutive failures' },
    ]);
  });

  it('refuses while open with one pre-built error and rejected promise', async () => {
    const { breaker, call } = setup({ threshold: 1 });
    call(false);
    expect(breaker.tryAcquire()).toBe(REFUSED);
    const rejection = breaker.rejection;
    expect(breaker.rejection).toBe(rejection);
    await expect(rejection).rejects.toBe(breaker.error);
    expect(breaker.error).toBeInstanceOf(BreakerOpenError);
    expect(breaker.error.details).toMatchObject({ policy: 'db/query', openUntil: 6_000 });
  });

  it('half-opens on a timer while idle, lets one probe through, and closes when it succeeds', () => {
    const { breaker, call, clock, events } = setup({ threshold: 1, halfOpenAfterMs: 500 });
    call(false);
    clock.advance(499);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    // Nobody called: the timer alone moved it.
    expect(breaker.state).toBe('half-open');
    expect(breaker.blocked).toBe(false);
    const probe = breaker.tryAcquire();
    expect(probe).not.toBe(REFUSED);
    expect(breaker.tryAcquire()).toBe(REFUSED);
    breaker.onSuccess(probe);
    expect(breaker.state).toBe('closed');
    expect(events.map((e) => e.to)).toEqual(['open', 'half-open', 'closed']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reopens when the probe fails, for another halfOpenAfterMs', () => {
    const { breaker, call, clock } = setup({ threshold: 1, halfOpenAfterMs: 500 });
    call(false);
    clock.advance(500);
    call(false);
    expect(breaker.state).toBe('open');
    expect(breaker.openUntil).toBe(clock.now() + 500);
    clock.advance(500);
    expect(breaker.state).toBe('half-open');
  });

  it('needs every probe to succeed when halfOpenProbes > 1', () => {
    const { breaker, clock, call } = setup({ threshold: 1, halfOpenProbes: 2, halfOpenAfterMs: 10 });
    call(false);
    clock.advance(10);
    const first = breaker.tryAcquire();
    const second = breaker.tryAcquire();
    expect(breaker.tryAcquire()).toBe(REFUSED);
    breaker.onSuccess(first);
    expect(breaker.state).toBe('half-open');
    breaker.onSuccess(second);
    expect(breaker.state).toBe('closed');
  });

  it('ignores outcomes of calls admitted before the last state change', () => {
    const { breaker, call, clock } = setup({ threshold: 1, halfOpenAfterMs: 10 });
    const slow = breaker.tryAcquire();
    call(false);
    clock.advance(10);
    // The slow call started while closed; its success must not pass for the probe.
    breaker.onSuccess(slow);
    expect(breaker.state).toBe('half-open');
    breaker.onFailure(slow);
    expect(breaker.state).toBe('half-open');
  });

  it('frees the probe slot for a call that ended without a verdict', () => {
    const { breaker, call, clock } = setup({ threshold: 1, halfOpenAfterMs: 10 });
    call(false);
    clock.advance(10);
    const probe = breaker.tryAcquire();
    breaker.onIgnored(probe);
    expect(breaker.tryAcquire()).not.toBe(REFUSED);
  });
});

describe('CircuitBreaker, sampling mode', () => {
  it('opens when the failure ratio over the window reaches `ratio` at enough volume', () => {
    const { breaker, call } = setup({ mode: 'sampling', ratio: 0.5, minThroughput: 10, threshold: 100 });
    for (let i = 0; i < 5; i++) call(true);
    for (let i = 0; i < 4; i++) call(false);
    expect(breaker.state).toBe('closed');
    call(false);
    expect(breaker.state).toBe('open');
  });

  it('does not open on the ratio once old calls left the window', () => {
    const { breaker, call, clock } = setup({
      mode: 'sampling',
      ratio: 0.5,
      minThroughput: 4,
      windowMs: 1_000,
      threshold: 100,
    });
    call(false);
    call(false);
    call(false);
    clock.advance(2_000);
    call(true);
    call(true);
    call(true);
    call(false);
    expect(breaker.state).toBe('closed');
  });

  it('falls back to consecutive failures at low traffic, so a quiet service can still open', () => {
    const { breaker, call, events } = setup({ mode: 'sampling', minThroughput: 100, threshold: 3 });
    call(false);
    call(false);
    expect(breaker.state).toBe('closed');
    call(false);
    expect(breaker.state).toBe('open');
    expect(events[0]?.reason).toBe('3 consecutive failures at low traffic (3 calls)');
  });

  it('without the fallback never opens below minThroughput (the trap it fixes)', () => {
    const { breaker, call } = setup({
      mode: 'sampling',
      minThroughput: 100,
      threshold: 3,
      lowTrafficFallback: false,
    });
    for (let i = 0; i < 50; i++) call(false);
    expect(breaker.state).toBe('closed');
  });

  it('forgets the window when it closes', () => {
    const { breaker, call, clock } = setup({
      mode: 'sampling',
      ratio: 0.5,
      minThroughput: 4,
      threshold: 100,
      halfOpenAfterMs: 10,
    });
    for (let i = 0; i < 4; i++) call(false);
    clock.advance(10);
    call(true);
    expect(breaker.state).toBe('closed');
    call(false);
    expect(breaker.state).toBe('closed');
  });
});

describe('CircuitBreaker, manual control and sharing', () => {
  it('open() and reset() by hand', () => {
    const { breaker, clock } = setup({ halfOpenAfterMs: 100 });
    breaker.open('predicted failure');
    expect(breaker.state).toBe('open');
    expect(breaker.error.message).toContain('predicted failure');
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(clock.pendingTimers).toBe(0);
    breaker.reset();
    expect(breaker.state).toBe('closed');
  });

  it('isolate() holds it open until every handle is released', async () => {
    const { breaker, clock, events } = setup({ halfOpenAfterMs: 10 });
    breaker.open();
    const a = breaker.isolate();
    const b = breaker.isolate();
    expect(breaker.state).toBe('isolated');
    clock.advance(100);
    expect(breaker.state).toBe('isolated');
    expect(breaker.tryAcquire()).toBe(REFUSED);
    await expect(breaker.rejection).rejects.toMatchObject({ details: { reason: 'isolated by hand' } });
    breaker.open();
    breaker.applyRemote('closed', 0, 'x');
    expect(breaker.state).toBe('isolated');
    a.dispose();
    a.dispose();
    expect(breaker.state).toBe('isolated');
    b.dispose();
    expect(breaker.state).toBe('closed');
    expect(events.map((e) => e.to)).toEqual(['open', 'isolated', 'closed']);
  });

  it('applyRemote adopts openings (extending to the later one) and closings, flagged remote', () => {
    const { breaker, clock } = setup({ halfOpenAfterMs: 100 });
    const seen: BreakerTransition[] = [];
    const listening = breaker.onTransition((t) => void seen.push(t));
    breaker.applyRemote('open', clock.now() + 1_000, 'instance b');
    expect(breaker.openUntil).toBe(2_000);
    breaker.applyRemote('open', clock.now() + 500, 'instance c');
    expect(breaker.openUntil).toBe(2_000);
    breaker.applyRemote('open', clock.now() + 3_000, 'instance c');
    expect(breaker.openUntil).toBe(4_000);
    breaker.applyRemote('open', clock.now() - 1, 'stale');
    breaker.applyRemote('closed', 0, 'instance b');
    expect(breaker.state).toBe('closed');
    breaker.applyRemote('closed', 0, 'instance b');
    breaker.applyRemote('open', 0, 'expired');
    expect(breaker.state).toBe('closed');
    expect(seen.map((t) => [t.to, t.remote, t.reason])).toEqual([
      ['open', true, 'opened by instance b'],
      ['open', true, 'opened by instance c'],
      ['closed', true, 'closed by instance b'],
    ]);
    listening.dispose();
    breaker.open();
    expect(seen).toHaveLength(3);
  });

  it('a throwing transition listener does not break the breaker', () => {
    const { breaker } = setup();
    breaker.onTransition(() => {
      throw new Error('relay down');
    });
    breaker.open();
    expect(breaker.state).toBe('open');
  });

  it('builds no event payload while nobody listens', () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const emit = jest.spyOn(bus, 'emit');
    const breaker = new CircuitBreaker('quiet', BreakerSchema.parse({ threshold: 1 }), { clock, bus });
    breaker.onFailure(breaker.tryAcquire());
    expect(breaker.state).toBe('open');
    expect(emit).not.toHaveBeenCalled();
  });

  it('dispose() cancels the half-open timer', () => {
    const { breaker, clock } = setup({ threshold: 1 });
    breaker.open();
    breaker.dispose();
    expect(clock.pendingTimers).toBe(0);
  });

  it('works on the system clock by default', () => {
    const breaker = new CircuitBreaker('system', BreakerSchema.parse({ halfOpenAfterMs: 60_000 }));
    breaker.open();
    expect(breaker.openUntil).toBeGreaterThan(Date.now());
    breaker.dispose();
  });
});
