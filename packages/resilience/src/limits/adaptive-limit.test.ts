import { describe, expect, it, jest } from '@jest/globals';
import {
  DeadlineExceededError,
  LocalEventBus,
  ManualClock,
  TrellisError,
  type TrellisEvents,
} from '@trellis/core';
import fc from 'fast-check';
import type { ResilienceEvents } from '../events/resilience-events.js';
import { AdaptiveConcurrencyLimiter, defaultErrorOutcome } from './adaptive-limit.js';
import type { LimitAlgorithm } from './limit-algorithm.js';
import { LimitExceededError } from './limit-errors.js';
import type { LimiterPermit, Permit } from './permit.js';

function setup(config: ConstructorParameters<typeof AdaptiveConcurrencyLimiter>[0] = {}) {
  const clock = new ManualClock();
  const bus = new LocalEventBus<TrellisEvents>();
  const limits: ResilienceEvents['resilience.limit'][] = [];
  const rejects: ResilienceEvents['resilience.reject'][] = [];
  bus.on('resilience.limit', (e) => limits.push(e));
  bus.on('resilience.reject', (e) => rejects.push(e));
  const limiter = new AdaptiveConcurrencyLimiter({ name: 'plugin:a', ...config }, { clock, bus });
  return { clock, bus, limiter, limits, rejects };
}

async function settled(promise: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => {
      state = 'resolved';
    },
    () => {
      state = 'rejected';
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
}

describe('AdaptiveConcurrencyLimiter.tryAcquire', () => {
  it('admits up to the limit, then refuses with a resilience.reject event', () => {
    const { limiter, rejects } = setup({ initialLimit: 2, algorithm: 'aimd' });
    expect(limiter.tryAcquire()).toBeDefined();
    expect(limiter.tryAcquire()).toBeDefined();
    expect(limiter.inflight).toBe(2);
    expect(limiter.tryAcquire()).toBeUndefined();
    expect(rejects).toEqual([{ policy: 'plugin:a', reason: 'concurrency-limit' }]);
    expect(limiter.stats()).toMatchObject({
      acquired: 2,
      rejected: 1,
      inflight: 2,
      limit: 2,
      algorithm: 'aimd',
    });
  });

  it('releases a permit once, however often it is released', () => {
    const { limiter } = setup({ initialLimit: 3, algorithm: 'aimd' });
    const permit = limiter.tryAcquire() as LimiterPermit;
    expect(permit.held).toBe(true);
    permit.ignore();
    expect(permit.held).toBe(false);
    permit.success();
    permit.dropped();
    expect(limiter.inflight).toBe(0);
    expect(limiter.stats()).toMatchObject({ ignored: 1, succeeded: 0, dropped: 0 });
  });

  it('measures the RTT with the injected clock and moves the limit, announcing it', () => {
    const { clock, limiter, limits } = setup({
      initialLimit: 4,
      algorithm: 'aimd',
      aimd: { timeoutMs: 100 },
    });
    const permits = [0, 1].map(() => limiter.tryAcquire() as Permit);
    clock.advance(50);
    permits[0]?.success(); // fast, limit used (inflight 1·2 >= 4? no) → unchanged
    permits[1]?.success(); // inflight 2·2 >= 4 → +1
    expect(limiter.limit).toBe(5);
    const slow = limiter.tryAcquire() as Permit;
    clock.advance(101);
    slow.success(); // slower than timeoutMs → ×0.9
    expect(limiter.limit).toBe(4);
    expect(limits).toEqual([
      { limiter: 'plugin:a', from: 4, to: 5 },
      { limiter: 'plugin:a', from: 5, to: 4 },
    ]);
    expect(limiter.stats()).toMatchObject({ succeeded: 3 });
  });

  it('builds no event payload nobody listens to', () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const emit = jest.spyOn(bus, 'emit');
    const limiter = new AdaptiveConcurrencyLimiter(
      { initialLimit: 1, maxLimit: 10, algorithm: 'aimd' },
      { clock, bus },
    );
    limiter.tryAcquire()?.success();
    expect(limiter.limit).toBe(2);
    limiter.tryAcquire();
    limiter.tryAcquire();
    limiter.tryAcquire();
    const permit = limiter.tryAcquire();
    expect(permit).toBeUndefined();
    expect(emit).not.toHaveBeenCalled();
    expect(limiter.name).toBe('default');
  });

  it('bounds a custom algorithm by [minLimit, maxLimit] and floors it', () => {
    let next = 1_000;
    const algorithm: LimitAlgorithm = {
      name: 'custom',
      get limit() {
        return 7.9;
      },
      update: () => next,
    };
    const limiter = new AdaptiveConcurrencyLimiter(
      { minLimit: 2, maxLimit: 50 },
      { algorithm, clock: new ManualClock() },
    );
    expect(limiter.limit).toBe(7);
    limiter.tryAcquire()?.success();
    expect(limiter.limit).toBe(50);
    next = -3;
    limiter.tryAcquire()?.dropped();
    expect(limiter.limit).toBe(2);
    expect(limiter.stats().algorithm).toBe('custom');
  });

  it('uses gradient2 by default', () => {
    const limiter = new AdaptiveConcurrencyLimiter();
    expect(limiter.stats()).toMatchObject({ algorithm: 'gradient2', limit: 20, name: 'default' });
  });

  it('rejects an invalid config, listing every problem', () => {
    expect(() => new AdaptiveConcurrencyLimiter({ minLimit: 0, maxQueue: -1 })).toThrow(TrellisError);
  });
});

describe('AdaptiveConcurrencyLimiter.acquire', () => {
  it('resolves at once under the limit', async () => {
    const { limiter } = setup({ initialLimit: 1 });
    await expect(limiter.acquire()).resolves.toBeDefined();
  });

  it('refuses at once with reason "limit" when maxQueue is 0', async () => {
    const { limiter, rejects } = setup({ initialLimit: 1 });
    limiter.tryAcquire();
    const refused = limiter.acquire();
    await expect(refused).rejects.toBeInstanceOf(LimitExceededError);
    await expect(refused).rejects.toMatchObject({ code: 'RESILIENCE_LIMIT_EXCEEDED', reason: 'limit' });
    expect(rejects).toHaveLength(1);
  });

  it('queues up to maxQueue callers and hands them freed permits in order', async () => {
    const { limiter } = setup({ initialLimit: 1, maxQueue: 2, algorithm: 'aimd' });
    const first = limiter.tryAcquire() as Permit;
    const order: string[] = [];
    const a = limiter.acquire().then((p) => {
      order.push('a');
      return p;
    });
    const b = limiter.acquire().then((p) => {
      order.push('b');
      return p;
    });
    expect(limiter.queued).toBe(2);
    await expect(limiter.acquire()).rejects.toMatchObject({ reason: 'queue-full' });
    expect(limiter.tryAcquire()).toBeUndefined(); // no jumping the queue
    first.ignore();
    (await a).ignore();
    await b;
    expect(order).toEqual(['a', 'b']);
    expect(limiter.queued).toBe(0);
    expect(limiter.inflight).toBe(1);
  });

  it('hands out several permits at once when the limit grows', async () => {
    const { limiter } = setup({ initialLimit: 2, maxQueue: 5, algorithm: 'aimd' });
    const held = [limiter.tryAcquire() as Permit, limiter.tryAcquire() as Permit];
    const waiting = [limiter.acquire(), limiter.acquire()];
    held[0]?.success(); // 2·2 >= 2 → limit 3: frees two slots for the two waiters
    await Promise.all(waiting);
    expect(limiter.limit).toBe(3);
    expect(limiter.inflight).toBe(3);
  });

  it('times a queued caller out after queueTimeoutMs', async () => {
    const { clock, limiter, rejects } = setup({ initialLimit: 1, maxQueue: 1, queueTimeoutMs: 500 });
    limiter.tryAcquire();
    const waiting = limiter.acquire();
    await clock.advanceAsync(499);
    expect(await settled(waiting)).toBe('pending');
    await clock.advanceAsync(1);
    await expect(waiting).rejects.toMatchObject({ reason: 'queue-timeout' });
    expect(limiter.queued).toBe(0);
    expect(rejects).toHaveLength(1);
  });

  it('cancels the timeout when the caller gets a permit', async () => {
    const { clock, limiter } = setup({ initialLimit: 1, maxQueue: 1 });
    const first = limiter.tryAcquire() as Permit;
    const waiting = limiter.acquire();
    expect(clock.pendingTimers).toBe(1);
    first.ignore();
    await waiting;
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives up waiting when the signal aborts, and refuses an aborted signal', async () => {
    const { clock, limiter } = setup({ initialLimit: 1, maxQueue: 1 });
    limiter.tryAcquire();
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    controller.abort(new Error('caller gone'));
    await expect(waiting).rejects.toThrow('caller gone');
    expect(limiter.queued).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    await expect(limiter.acquire({ signal: controller.signal })).rejects.toThrow('caller gone');
    const fresh = setup({ initialLimit: 1 }).limiter;
    await expect(fresh.acquire({ signal: controller.signal })).rejects.toThrow('caller gone');
    expect(fresh.inflight).toBe(0);
  });

  it('removes the abort listener once the caller is served', async () => {
    const { limiter } = setup({ initialLimit: 1, maxQueue: 1 });
    const first = limiter.tryAcquire() as Permit;
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const waiting = limiter.acquire({ signal: controller.signal });
    first.ignore();
    await waiting;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });
});

describe('AdaptiveConcurrencyLimiter.execute', () => {
  it('releases as success with the result', async () => {
    const { limiter } = setup({ algorithm: 'aimd', initialLimit: 1 });
    await expect(limiter.execute(() => 42)).resolves.toBe(42);
    expect(limiter.stats()).toMatchObject({ succeeded: 1, inflight: 0 });
  });

  it('releases overload errors as dropped and others as ignored, rethrowing both', async () => {
    const { limiter } = setup({ algorithm: 'aimd', initialLimit: 1 });
    const timeout = new DeadlineExceededError('call', 10);
    await expect(limiter.execute(() => Promise.reject(timeout))).rejects.toBe(timeout);
    await expect(limiter.execute(() => Promise.reject(new Error('bad input')))).rejects.toThrow('bad input');
    expect(limiter.stats()).toMatchObject({ dropped: 1, ignored: 1, inflight: 0 });
  });

  it('lets the caller classify errors', async () => {
    const { limiter } = setup({ algorithm: 'aimd' });
    await expect(
      limiter.execute(() => Promise.reject(new Error('503')), { classify: () => 'dropped' }),
    ).rejects.toThrow();
    expect(limiter.stats().dropped).toBe(1);
  });
});

describe('defaultErrorOutcome', () => {
  it('drops timeouts and overload, ignores the rest', () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    expect(defaultErrorOutcome(new DeadlineExceededError('x', 1))).toBe('dropped');
    expect(defaultErrorOutcome(new LimitExceededError('l', 'limit', 1, 1, 0))).toBe('dropped');
    expect(defaultErrorOutcome(new TrellisError('OTHER', 'x'))).toBe('ignore');
    expect(defaultErrorOutcome(named('TimeoutError'))).toBe('dropped');
    expect(defaultErrorOutcome(named('TaskCancelledError'))).toBe('dropped');
    expect(defaultErrorOutcome(new TypeError('x'))).toBe('ignore');
    expect(defaultErrorOutcome('string')).toBe('ignore');
  });
});

describe('AdaptiveConcurrencyLimiter properties', () => {
  const op = fc.oneof(
    fc.constant({ kind: 'acquire' as const }),
    fc.record({
      kind: fc.constant('release' as const),
      outcome: fc.constantFrom('success', 'dropped', 'ignore'),
    }),
    fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2_000 }) }),
  );

  it('keeps the limit within [minLimit, maxLimit] and the in-flight count exact, for both algorithms', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('aimd' as const, 'gradient2' as const),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(op, { maxLength: 300 }),
        (algorithm, minLimit, span, ops) => {
          const clock = new ManualClock();
          const maxLimit = minLimit + span;
          const limiter = new AdaptiveConcurrencyLimiter(
            { algorithm, minLimit, maxLimit, initialLimit: minLimit, aimd: { timeoutMs: 1_000 } },
            { clock },
          );
          const held: Permit[] = [];
          for (const step of ops) {
            if (step.kind === 'acquire') {
              const permit = limiter.tryAcquire();
              if (permit) held.push(permit);
            } else if (step.kind === 'tick') {
              clock.advance(step.ms);
            } else {
              const permit = held.shift();
              if (step.outcome === 'success') permit?.success();
              else if (step.outcome === 'dropped') permit?.dropped();
              else permit?.ignore();
            }
            expect(limiter.limit).toBeGreaterThanOrEqual(minLimit);
            expect(limiter.limit).toBeLessThanOrEqual(maxLimit);
            expect(Number.isInteger(limiter.limit)).toBe(true);
            expect(limiter.inflight).toBe(held.length);
          }
        },
      ),
    );
  });
});
