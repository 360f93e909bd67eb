import { describe, expect, it } from '@jest/globals';
import { BrokenCircuitError, BulkheadRejectedError } from 'cockatiel';
import { toCockatielPolicy } from './cockatiel-adapter.js';
import { BreakerOpenError } from './policy-errors.js';
import { type PolicyConfigInput, PolicyConfigSchema } from './policy-schema.js';

const build = (config: PolicyConfigInput) => toCockatielPolicy(PolicyConfigSchema.parse(config), () => 0);
/** A function failing `failures` times; counts its calls. */
function flaky(failures: number, error: () => unknown = () => new Error('flaky')) {
  const state = { calls: 0 };
  const fn = async () => {
    state.calls++;
    if (state.calls <= failures) throw error();
    return 'ok';
  };
  return { fn, state };
}

describe('toCockatielPolicy', () => {
  it('is a no-op policy for an empty config', async () => {
    await expect(build({}).execute(async () => 'x')).resolves.toBe('x');
  });

  it('keeps maxAttempts as total attempts (cockatiel counts retries)', async () => {
    const policy = build({ retry: { maxAttempts: 3, backoff: { jitter: 'none', initialMs: 1 } } });
    const { fn, state } = flaky(5);
    await expect(policy.execute(fn)).rejects.toThrow('flaky');
    expect(state.calls).toBe(3);
  });

  it('retries only the codes listed, and never refusals', async () => {
    const policy = build({
      retry: { retryOn: ['ECONNRESET'], backoff: { initialMs: 1, jitter: 'decorrelated' } },
    });
    const reset = flaky(1, () => Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await expect(policy.execute(reset.fn)).resolves.toBe('ok');
    const invalid = flaky(1, () => new Error('no code'));
    await expect(policy.execute(invalid.fn)).rejects.toThrow('no code');
    for (const refusal of [
      new BreakerOpenError('x', 0, 'open'),
      new BrokenCircuitError(),
      new BulkheadRejectedError(1, 0),
    ]) {
      const refused = flaky(1, () => refusal);
      await expect(build({ retry: { backoff: { initialMs: 1 } } }).execute(refused.fn)).rejects.toBe(refusal);
      expect(refused.state.calls).toBe(1);
    }
  });

  it('opens a consecutive breaker after threshold failures', async () => {
    const policy = build({ breaker: { threshold: 2 } });
    for (let i = 0; i < 2; i++) await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
    await expect(policy.execute(async () => 'x')).rejects.toBeInstanceOf(BrokenCircuitError);
  });

  it('a sampling breaker still opens at low traffic through the consecutive fallback', async () => {
    const policy = build({ breaker: { mode: 'sampling', threshold: 3, minThroughput: 1_000 } });
    for (let i = 0; i < 3; i++) await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
    await expect(policy.execute(async () => 'x')).rejects.toBeInstanceOf(BrokenCircuitError);
    const plain = build({
      breaker: { mode: 'sampling', threshold: 3, minThroughput: 1_000, lowTrafficFallback: false },
    });
    for (let i = 0; i < 5; i++) await expect(plain.execute(flaky(1).fn)).rejects.toThrow('flaky');
    await expect(plain.execute(async () => 'x')).resolves.toBe('x');
  });

  it('resets the consecutive count on success and round-trips its state', async () => {
    const policy = build({ breaker: { mode: 'sampling', threshold: 2, minThroughput: 1_000 } });
    await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
    await policy.execute(async () => 'ok');
    await expect(policy.execute(flaky(1).fn)).rejects.toThrow('flaky');
    await expect(policy.execute(async () => 'x')).resolves.toBe('x');
    const breaker = (policy as unknown as { wrapped: { toJSON(): unknown }[] }).wrapped[0];
    expect(breaker?.toJSON()).toMatchObject({ breakerState: { consecutive: 0 } });
  });

  it('times out cooperatively without aborting the signal of a successful call', async () => {
    const policy = build({ timeout: { ms: 1_000 } });
    let signal: AbortSignal | undefined;
    await policy.execute(async (ctx) => {
      signal = ctx.signal;
      return 1;
    });
    expect(signal?.aborted).toBe(false);
  });

  it('bulkhead and fallback', async () => {
    const policy = build({ bulkhead: { limit: 1 }, fallback: { value: 'fallback' } });
    let release: () => void = () => {};
    const running = policy.execute(
      () => new Promise<string>((resolve) => (release = () => resolve('first'))),
    );
    await expect(policy.execute(async () => 'second')).resolves.toBe('fallback');
    release();
    await expect(running).resolves.toBe('first');
  });
});
