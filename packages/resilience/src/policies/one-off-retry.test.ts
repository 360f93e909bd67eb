import '../events/resilience-events.js';
import { describe, expect, it } from '@jest/globals';
import { LocalEventBus, ManualClock, type TrellisEvents } from '@trellis/core';
import { AbortError } from 'p-retry';
import { retryAsync } from './one-off-retry.js';
import { BreakerOpenError, PolicyConfigInvalidError, RetryBudgetExhaustedError } from './policy-errors.js';
import { RetryBudgetSchema } from './policy-schema.js';
import { RetryBudget } from './retry-budget.js';

const coded = (code: string) => Object.assign(new Error(code), { code });
const backoff = { jitter: 'none' as const, initialMs: 100 };

describe('retryAsync', () => {
  it('makes maxAttempts attempts in total (default 3), waiting the backoff on the injected clock', async () => {
    const clock = new ManualClock();
    const attempts: [number, number][] = [];
    const result = retryAsync(
      async (attempt) => {
        attempts.push([attempt, clock.now()]);
        throw new Error(`failure ${attempt}`);
      },
      { clock, retry: { backoff } },
    );
    const assertion = expect(result).rejects.toThrow('failure 3');
    await clock.advanceAsync(300);
    await assertion;
    expect(attempts).toEqual([
      [1, 0],
      [2, 100],
      [3, 300],
    ]);
  });

  it('resolves as soon as an attempt succeeds, and emits resilience.retry', async () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const heard: unknown[] = [];
    bus.on('resilience.retry', (e) => void heard.push(e));
    const result = retryAsync(
      async (attempt) => {
        if (attempt === 1) throw coded('ECONNRESET');
        return 'connected';
      },
      { clock, bus, name: 'startup.db', retry: { backoff } },
    );
    await clock.advanceAsync(100);
    await expect(result).resolves.toBe('connected');
    expect(heard).toEqual([
      {
        policy: 'startup.db',
        attempt: 1,
        delayMs: 100,
        error: { code: 'ECONNRESET', message: 'ECONNRESET' },
      },
    ]);
  });

  it('does not retry codes missing from retryOn, refusals, or p-retry AbortErrors', async () => {
    let calls = 0;
    const fail = (error: unknown) => async () => {
      calls++;
      throw error;
    };
    await expect(retryAsync(fail(coded('EINVAL')), { retry: { retryOn: ['ECONNRESET'] } })).rejects.toThrow(
      'EINVAL',
    );
    await expect(
      retryAsync(fail(new Error('no code')), { retry: { retryOn: ['ECONNRESET'] } }),
    ).rejects.toThrow('no code');
    await expect(retryAsync(fail(new BreakerOpenError('x', 0, 'open')))).rejects.toBeInstanceOf(
      BreakerOpenError,
    );
    await expect(retryAsync(fail(new AbortError('stop')))).rejects.toThrow('stop');
    expect(calls).toBe(4);
  });

  it('draws from a retry budget and reports exhaustion with the failure as cause', async () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const rejects: unknown[] = [];
    bus.on('resilience.reject', (e) => void rejects.push(e));
    const budget = new RetryBudget(RetryBudgetSchema.parse({ minRetriesPerSecond: 0 }), clock);
    const result = retryAsync(
      async () => {
        throw new Error('down');
      },
      { clock, bus, budget },
    );
    await expect(result).rejects.toBeInstanceOf(RetryBudgetExhaustedError);
    await expect(result).rejects.toMatchObject({ cause: { message: 'down' } });
    expect(rejects).toEqual([{ policy: 'one-off', reason: 'budget-exhausted' }]);
  });

  it('stops during the backoff when the signal aborts', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let calls = 0;
    const result = retryAsync(
      async () => {
        calls++;
        throw new Error('down');
      },
      { clock, signal: controller.signal, retry: { backoff } },
    );
    const assertion = expect(result).rejects.toThrow('cancelled');
    await clock.advanceAsync(50);
    controller.abort(new Error('cancelled'));
    await assertion;
    expect(calls).toBe(1);
  });

  it('rejects invalid options with RESILIENCE_POLICY_INVALID', async () => {
    await expect(retryAsync(async () => 1, { retry: { maxAttempts: 0 } })).rejects.toBeInstanceOf(
      PolicyConfigInvalidError,
    );
  });
});
