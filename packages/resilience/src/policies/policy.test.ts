import '../events/resilience-events.js';
import { describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus, ManualClock, TrellisError, type TrellisEvents } from '@trellis/core';
import type { AttemptContext } from './attempt-context.js';
import { composePolicy, type PolicyDeps } from './compose.js';
import {
  BreakerOpenError,
  BulkheadFullError,
  PolicyTimeoutError,
  RetryBudgetExhaustedError,
} from './policy-errors.js';
import { type PolicyConfigInput, PolicyConfigSchema } from './policy-schema.js';

const noJitter = { jitter: 'none' as const, initialMs: 100, maxMs: 1_000 };

function setup(config: PolicyConfigInput, deps: PolicyDeps = {}) {
  const clock = new ManualClock();
  const bus = new LocalEventBus<TrellisEvents>();
  const policy = composePolicy('svc/call', PolicyConfigSchema.parse(config), {
    clock,
    bus,
    random: () => 0.5,
    ...deps,
  });
  return { clock, bus, policy };
}

/** A function failing `failures` times with `error`, then returning `value`; records attempt times. */
function flaky<T>(
  failures: number,
  value: T,
  clock: ManualClock,
  error: () => unknown = () => new Error('flaky'),
) {
  const calls: { attempt: number; at: number }[] = [];
  const fn = async (ctx: AttemptContext) => {
    calls.push({ attempt: ctx.attempt, at: clock.now() });
    if (calls.length <= failures) throw error();
    return value;
  };
  return { fn, calls };
}

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('Policy without sections', () => {
  it('runs the function once with the attempt number and the caller signal', async () => {
    const { policy } = setup({});
    const controller = new AbortController();
    await expect(
      policy.execute((ctx) => [ctx.attempt, ctx.signal === controller.signal], { signal: controller.signal }),
    ).resolves.toEqual([1, true]);
    await expect(policy.execute((ctx) => ctx.signal.aborted)).resolves.toBe(false);
    await expect(policy.execute(() => Promise.reject(new Error('no retry')))).rejects.toThrow('no retry');
    expect(policy.state).toBe('closed');
    expect(policy.stats()).toMatchObject({ calls: 3, successes: 2, failures: 1, retries: 0 });
  });
});

describe('Policy retry', () => {
  it('maxAttempts counts attempts: 3 means the first call and two retries, backing off on the clock', async () => {
    const { policy, clock } = setup({ retry: { maxAttempts: 3, backoff: noJitter } });
    const { fn, calls } = flaky(2, 'ok', clock);
    const result = policy.execute(fn);
    await clock.advanceAsync(0);
    expect(calls).toEqual([{ attempt: 1, at: 0 }]);
    await clock.advanceAsync(99);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(calls).toHaveLength(2);
    await clock.advanceAsync(200);
    await expect(result).resolves.toBe('ok');
    expect(calls).toEqual([
      { attempt: 1, at: 0 },
      { attempt: 2, at: 100 },
      { attempt: 3, at: 300 },
    ]);
    expect(policy.stats()).toMatchObject({ calls: 1, successes: 1, retries: 2 });
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { policy, clock } = setup({ retry: { maxAttempts: 2, backoff: noJitter } });
    let n = 0;
    const result = policy.execute(async () => {
      throw new Error(`failure ${++n}`);
    });
    const assertion = expect(result).rejects.toThrow('failure 2');
    await clock.advanceAsync(100);
    await assertion;
  });

  it('maxAttempts 1 never retries', async () => {
    const { policy, clock } = setup({ retry: { maxAttempts: 1 } });
    const { fn, calls } = flaky(1, 'ok', clock);
    await expect(policy.execute(fn)).rejects.toThrow('flaky');
    expect(calls).toHaveLength(1);
  });

  it('retries only the listed codes when retryOn is set', async () => {
    const { policy, clock } = setup({ retry: { retryOn: ['ECONNRESET'], backoff: noJitter } });
    const reset = flaky(1, 'ok', clock, () => coded('ECONNRESET'));
    const result = policy.execute(reset.fn);
    await clock.advanceAsync(100);
    await expect(result).resolves.toBe('ok');
    const invalid = flaky(1, 'ok', clock, () => coded('EINVAL'));
    await expect(policy.execute(invalid.fn)).rejects.toThrow('EINVAL');
    await expect(policy.execute(flaky(1, 'ok', clock, () => 'a string').fn)).rejects.toBe('a string');
  });

  it('emits resilience.retry with the failed attempt and delay, and nothing when nobody listens', async () => {
    const { policy, clock, bus } = setup({ retry: { backoff: noJitter } });
    const emit = jest.spyOn(bus, 'emit');
    const quiet = policy.execute(flaky(1, 'ok', clock, () => coded('ECONNRESET')).fn);
    await clock.advanceAsync(100);
    await quiet;
    expect(emit).not.toHaveBeenCalled();
    const heard: unknown[] = [];
    bus.on('resilience.retry', (e) => void heard.push(e));
    const loud = policy.execute(flaky(2, 'ok', clock, () => 'not an error').fn);
    await clock.advanceAsync(300);
    await loud;
    expect(heard).toEqual([
      { policy: 'svc/call', attempt: 1, delayMs: 100, error: { code: 'NON_ERROR', message: 'not an error' } },
      { policy: 'svc/call', attempt: 2, delayMs: 200, error: { code: 'NON_ERROR', message: 'not an error' } },
    ]);
    const named = policy.execute(flaky(1, 'ok', clock, () => new RangeError('bad')).fn);
    await clock.advanceAsync(100);
    await named;
    expect(heard[2]).toMatchObject({ error: { code: 'RangeError', message: 'bad' } });
  });

  it('stops retrying when the caller aborts during the backoff', async () => {
    const { policy, clock } = setup({ retry: { backoff: noJitter } });
    const controller = new AbortController();
    const { fn, calls } = flaky(5, 'ok', clock);
    const result = policy.execute(fn, { signal: controller.signal });
    const assertion = expect(result).rejects.toThrow('caller gave up');
    await clock.advanceAsync(50);
    controller.abort(new Error('caller gave up'));
    await assertion;
    expect(calls).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    await expect(policy.execute(fn, { signal: controller.signal })).rejects.toThrow('caller gave up');
  });
});

describe('Policy retry budget', () => {
  it('refuses retries beyond 20% of recent calls with RetryBudgetExhaustedError carrying the failure', async () => {
    const { policy, clock, bus } = setup({
      retry: { backoff: noJitter, budget: { minRetriesPerSecond: 0 } },
    });
    const rejects: unknown[] = [];
    bus.on('resilience.reject', (e) => void rejects.push(e));
    for (let i = 0; i < 4; i++) await policy.execute(async () => i);
    // 5 calls → 1 retry allowed.
    const first = policy.execute(flaky(1, 'ok', clock).fn);
    await clock.advanceAsync(100);
    await expect(first).resolves.toBe('ok');
    const second = policy.execute(flaky(1, 'ok', clock).fn);
    await expect(second).rejects.toBeInstanceOf(RetryBudgetExhaustedError);
    await expect(second).rejects.toMatchObject({
      cause: { message: 'flaky' },
      details: { attempt: 1, ratio: 0.2 },
    });
    expect(rejects).toEqual([{ policy: 'svc/call', reason: 'budget-exhausted' }]);
    expect(policy.stats().rejected.budgetExhausted).toBe(1);
  });

  it('budget: false lets every retry through', async () => {
    const { policy } = setup({ retry: { budget: false } });
    expect(policy.budget).toBeUndefined();
  });
});

describe('Policy breaker', () => {
  it('counts each attempt, and stops retrying with the real failure once the breaker opens', async () => {
    const { policy, clock } = setup({
      retry: { maxAttempts: 5, backoff: noJitter },
      breaker: { threshold: 2 },
    });
    const { fn, calls } = flaky(10, 'ok', clock, () => coded('ECONNREFUSED'));
    const result = policy.execute(fn);
    const assertion = expect(result).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await clock.advanceAsync(100);
    await assertion;
    expect(calls).toHaveLength(2);
    expect(policy.state).toBe('open');
  });

  it('fails fast while open: same pre-rejected promise, function not called, reject event', async () => {
    const { policy, clock, bus } = setup({ breaker: { threshold: 1 } });
    await expect(policy.execute(flaky(1, 'ok', clock).fn)).rejects.toThrow('flaky');
    const fn = jest.fn(async () => 'never');
    const first = policy.execute(fn);
    const second = policy.execute(fn);
    expect(second).toBe(first);
    await expect(first).rejects.toBeInstanceOf(BreakerOpenError);
    expect(fn).not.toHaveBeenCalled();
    const rejects: unknown[] = [];
    bus.on('resilience.reject', (e) => void rejects.push(e));
    await expect(policy.execute(fn)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(rejects).toEqual([{ policy: 'svc/call', reason: 'breaker-open' }]);
    expect(policy.stats().rejected.breakerOpen).toBe(3);
  });

  it('recovers through a half-open probe after halfOpenAfterMs, with no traffic in between', async () => {
    const { policy, clock } = setup({ breaker: { threshold: 1, halfOpenAfterMs: 1_000 } });
    await expect(policy.execute(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    clock.advance(1_000);
    expect(policy.state).toBe('half-open');
    await expect(policy.execute(async () => 'up')).resolves.toBe('up');
    expect(policy.state).toBe('closed');
  });

  it('refuses calls beyond the half-open probes', async () => {
    const { policy, clock } = setup({ breaker: { threshold: 1, halfOpenAfterMs: 10 } });
    await expect(policy.execute(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    clock.advance(10);
    let release: (v: string) => void = () => {};
    const probe = policy.execute(() => new Promise<string>((resolve) => (release = resolve)));
    await expect(policy.execute(async () => 'second')).rejects.toBeInstanceOf(BreakerOpenError);
    release('probe');
    await expect(probe).resolves.toBe('probe');
  });

  it('does not count a caller abort against the dependency', async () => {
    const { policy } = setup({ breaker: { threshold: 1 } });
    const controller = new AbortController();
    const result = policy.execute(
      async () => {
        controller.abort(new Error('bye'));
        throw new Error('aborted work');
      },
      { signal: controller.signal },
    );
    await expect(result).rejects.toThrow('aborted work');
    expect(policy.state).toBe('closed');
  });
});

describe('Policy timeout', () => {
  it('bounds each attempt: a timed-out attempt is retried with a fresh deadline and counted', async () => {
    const { policy, clock } = setup({
      timeout: { ms: 50 },
      retry: { backoff: noJitter },
      breaker: { threshold: 5 },
    });
    const calls: number[] = [];
    const result = policy.execute(async (ctx) => {
      calls.push(clock.now());
      if (ctx.attempt === 1) return new Promise<string>(() => {});
      return 'second try';
    });
    await clock.advanceAsync(150);
    await expect(result).resolves.toBe('second try');
    expect(calls).toEqual([0, 150]);
    expect(policy.stats()).toMatchObject({ timeouts: 1, retries: 1, successes: 1 });
  });

  it('rejects with PolicyTimeoutError when every attempt times out', async () => {
    const { policy, clock } = setup({ timeout: { ms: 50 } });
    const result = policy.execute(() => new Promise<never>(() => {}));
    clock.advance(50);
    await expect(result).rejects.toBeInstanceOf(PolicyTimeoutError);
  });
});

describe('Policy bulkhead', () => {
  it('refuses beyond limit + queue without retrying, then admits queued calls in order', async () => {
    const { policy, clock, bus } = setup({ bulkhead: { limit: 1, queue: 1 }, retry: { backoff: noJitter } });
    const rejects: unknown[] = [];
    bus.on('resilience.reject', (e) => void rejects.push(e));
    let release: () => void = () => {};
    const running = policy.execute(
      () => new Promise<string>((resolve) => (release = () => resolve('first'))),
    );
    const queued = policy.execute(async () => 'second');
    const refused = policy.execute(async () => 'third');
    await expect(refused).rejects.toBeInstanceOf(BulkheadFullError);
    expect(rejects).toEqual([{ policy: 'svc/call', reason: 'bulkhead-full' }]);
    expect(policy.bulkhead?.queued).toBe(1);
    release();
    await expect(running).resolves.toBe('first');
    await expect(queued).resolves.toBe('second');
    expect(policy.bulkhead?.active).toBe(0);
    expect(policy.stats().rejected.bulkheadFull).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('frees the slot when the call fails', async () => {
    const { policy } = setup({ bulkhead: { limit: 1 } });
    await expect(policy.execute(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(policy.bulkhead?.active).toBe(0);
  });
});

describe('Policy fallback', () => {
  it('a per-call fallback answers any failure', async () => {
    const { policy } = setup({ bulkhead: { limit: 1 } });
    const value = await policy.execute(async (): Promise<string> => Promise.reject(new Error('x')), {
      fallback: (error) => `fallback for ${(error as Error).message}`,
    });
    expect(value).toBe('fallback for x');
    expect(policy.bulkhead?.active).toBe(0);
    expect(policy.stats()).toMatchObject({ fallbacks: 1, failures: 0 });
  });

  it('a configured fallback answers only its triggers, including an open breaker', async () => {
    const { policy } = setup({ breaker: { threshold: 1 }, fallback: { value: 'cached', on: ['rejected'] } });
    await expect(policy.execute(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(policy.state).toBe('open');
    await expect(policy.execute(async () => 'live')).resolves.toBe('cached');
  });

  it('a configured fallback for timeouts', async () => {
    const { policy, clock } = setup({ timeout: { ms: 10 }, fallback: { value: 0, on: ['timeout'] } });
    const result = policy.execute(() => new Promise<number>(() => {}));
    clock.advance(10);
    await expect(result).resolves.toBe(0);
  });

  it('never answers a caller abort', async () => {
    const { policy } = setup({});
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      policy.execute(async () => 1, { signal: controller.signal, fallback: () => 2 }),
    ).rejects.toThrow('cancelled');
  });
});

describe('Policy lifecycle', () => {
  it('dispose() runs its disposers and stops the breaker timer', async () => {
    const detached = jest.fn();
    const { policy, clock } = setup(
      { breaker: { threshold: 1 } },
      { sharedState: { attach: () => ({ dispose: detached }) } },
    );
    policy.breaker?.open();
    expect(clock.pendingTimers).toBe(1);
    policy.dispose();
    expect(detached).toHaveBeenCalledTimes(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refusals are TrellisErrors a caller can branch on', async () => {
    const { policy } = setup({ breaker: { threshold: 1 } });
    policy.breaker?.open();
    const error = await policy.execute(async () => 1).catch((e: unknown) => e);
    expect(TrellisError.is(error, 'RESILIENCE_BREAKER_OPEN')).toBe(true);
  });
});
