import { describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus, ManualClock, TrellisError, type TrellisEvents } from '@trellis/core';
import fc from 'fast-check';
import type { ResilienceEvents } from '../events/resilience-events.js';
import { ChaosFaultError } from './chaos-errors.js';
import type { ChaosConfig, ChaosRuleConfig } from './chaos-schema.js';
import { FaultInjector, type FaultInjectorDeps, uncaughtCrash } from './fault-injection.js';

type State = 'pending' | 'resolved' | 'rejected';

function track(promise: Promise<unknown>): { readonly state: State; readonly reason: unknown } {
  const tracked = { state: 'pending' as State, reason: undefined as unknown };
  promise.then(
    () => {
      tracked.state = 'resolved';
    },
    (reason: unknown) => {
      tracked.state = 'rejected';
      tracked.reason = reason;
    },
  );
  return tracked;
}

function setup(rules: ChaosRuleConfig[], deps: FaultInjectorDeps = {}, config: Partial<ChaosConfig> = {}) {
  const clock = new ManualClock();
  const bus = new LocalEventBus<TrellisEvents>();
  const events: ResilienceEvents['chaos.injected'][] = [];
  bus.on('chaos.injected', (e) => events.push(e));
  const chaos = new FaultInjector({ enabled: true, rules, ...config }, { clock, bus, ...deps });
  return { clock, chaos, events };
}

const always = (fault: 'error' | 'crash', extra: Partial<ChaosRuleConfig> = {}): ChaosRuleConfig =>
  ({ target: 'plugin:a', fault, rate: 1, ...extra }) as ChaosRuleConfig;

describe('FaultInjector when disabled', () => {
  it('costs one check: a shared resolved promise, no draw, fn called straight through', async () => {
    const random = jest.fn(() => 0);
    const chaos = new FaultInjector({ rules: [always('error')] }, { random });
    expect(chaos.enabled).toBe(false);
    expect(chaos.maybeInject('plugin:a')).toBe(chaos.maybeInject('plugin:b'));
    await chaos.maybeInject('plugin:a');
    const result = Promise.resolve(3);
    const fn = jest.fn((x: number) => (x === 1 ? result : Promise.resolve(0)));
    expect(chaos.wrap('plugin:a', fn)(1)).toBe(result);
    expect(random).not.toHaveBeenCalled();
    expect(chaos.stats()).toEqual({
      enabled: false,
      checked: 0,
      injected: { latency: 0, error: 0, crash: 0, hang: 0 },
    });
  });
});

describe('FaultInjector faults', () => {
  it('passes calls no rule targets without drawing', async () => {
    const random = jest.fn(() => 0);
    const { chaos } = setup([always('error')], { random });
    await expect(chaos.maybeInject('plugin:b')).resolves.toBeUndefined();
    expect(random).not.toHaveBeenCalled();
    expect(chaos.stats().checked).toBe(1);
  });

  it('delays by latencyMs on the injected clock, adding up latency rules', async () => {
    const { clock, chaos, events } = setup([
      { target: 'plugin:*', fault: 'latency', rate: 1, latencyMs: 100 },
      { target: '*', fault: 'latency', rate: 1, latencyMs: 50 },
    ]);
    const call = track(chaos.maybeInject('plugin:a'));
    await clock.advanceAsync(149);
    expect(call.state).toBe('pending');
    await clock.advanceAsync(1);
    expect(call.state).toBe('resolved');
    expect(events).toEqual([
      { target: 'plugin:a', fault: 'latency' },
      { target: 'plugin:a', fault: 'latency' },
    ]);
  });

  it('fails with a ChaosFaultError that says it was injected', async () => {
    const { chaos, events } = setup([
      always('error', { errorCode: 'ECONNRESET', message: 'reset by chaos' }),
    ]);
    const failure = chaos.maybeInject('plugin:a');
    await expect(failure).rejects.toBeInstanceOf(ChaosFaultError);
    await expect(failure).rejects.toMatchObject({
      code: 'RESILIENCE_CHAOS_FAULT',
      errorCode: 'ECONNRESET',
      details: { injected: true, target: 'plugin:a', fault: 'error', errorCode: 'ECONNRESET', rate: 1 },
    });
    await expect(failure).rejects.toThrow(/^reset by chaos/);
    expect(events).toEqual([{ target: 'plugin:a', fault: 'error' }]);
  });

  it('applies latency before an error, and stops drawing after a fault that ends the call', async () => {
    const random = jest.fn(() => 0);
    const { clock, chaos } = setup(
      [{ target: '*', fault: 'latency', rate: 1, latencyMs: 10 }, always('error'), always('crash')],
      { random },
    );
    const call = track(chaos.maybeInject('plugin:a'));
    expect(random).toHaveBeenCalledTimes(2);
    await clock.advanceAsync(9);
    expect(call.state).toBe('pending');
    await clock.advanceAsync(1);
    expect(call.state).toBe('rejected');
    expect((call.reason as ChaosFaultError).fault).toBe('error');
  });

  it('turns a crash into a failed call unless a real crash is wired', async () => {
    const plain = setup([always('crash')]);
    await expect(plain.chaos.maybeInject('plugin:a')).rejects.toMatchObject({ fault: 'crash' });
    const crash = jest.fn();
    const wired = setup([always('crash', { message: 'boom' })], { crash });
    await expect(wired.chaos.maybeInject('plugin:a')).rejects.toThrow(/^boom/);
    expect(crash).toHaveBeenCalledWith(expect.objectContaining({ fault: 'crash', target: 'plugin:a' }));
    expect(wired.events).toEqual([{ target: 'plugin:a', fault: 'crash' }]);
  });

  it('hangs forever, until an abort signal lets go', async () => {
    const { clock, chaos, events } = setup([{ target: '*', fault: 'hang', rate: 1 }]);
    const hung = track(chaos.maybeInject('x'));
    await clock.advanceAsync(1_000_000);
    expect(hung.state).toBe('pending');
    expect(events).toEqual([{ target: 'x', fault: 'hang' }]);
    const controller = new AbortController();
    const call = chaos.maybeInject('x', { signal: controller.signal });
    controller.abort(new Error('deadline'));
    await expect(call).rejects.toThrow('deadline');
  });

  it('hangs for durationMs when given', async () => {
    const { clock, chaos } = setup([{ target: '*', fault: 'hang', rate: 1, durationMs: 500 }]);
    const call = track(chaos.maybeInject('x'));
    await clock.advanceAsync(499);
    expect(call.state).toBe('pending');
    await clock.advanceAsync(1);
    expect(call.state).toBe('resolved');
  });

  it('blocks the thread for a busy hang, forever without durationMs', async () => {
    const spin = jest.fn();
    const { chaos } = setup(
      [
        { target: 'forever', fault: 'hang', rate: 1, busy: true },
        { target: 'short', fault: 'hang', rate: 1, busy: true, durationMs: 20 },
      ],
      { spin },
    );
    await chaos.maybeInject('forever');
    await chaos.maybeInject('short');
    expect(spin.mock.calls).toEqual([[Number.POSITIVE_INFINITY], [20]]);
  });

  it('really spins by default', async () => {
    const { chaos } = setup([{ target: '*', fault: 'hang', rate: 1, busy: true, durationMs: 5 }]);
    const started = performance.now();
    await chaos.maybeInject('x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(5);
  });

  it('cuts an injected latency short on abort, and refuses an aborted signal', async () => {
    const { clock, chaos } = setup([{ target: '*', fault: 'latency', rate: 1, latencyMs: 1_000 }]);
    const controller = new AbortController();
    const call = chaos.maybeInject('x', { signal: controller.signal });
    expect(clock.pendingTimers).toBe(1);
    controller.abort(new Error('gone'));
    await expect(call).rejects.toThrow('gone');
    expect(clock.pendingTimers).toBe(0);
    await expect(chaos.maybeInject('x', { signal: controller.signal })).rejects.toThrow('gone');
  });

  it('removes its abort listener once the latency is over', async () => {
    const { clock, chaos } = setup([{ target: '*', fault: 'latency', rate: 1, latencyMs: 10 }]);
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const call = chaos.maybeInject('x', { signal: controller.signal });
    await clock.advanceAsync(10);
    await call;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('builds no event nobody listens to', async () => {
    const bus = new LocalEventBus<TrellisEvents>();
    const emit = jest.spyOn(bus, 'emit');
    const chaos = new FaultInjector({ enabled: true, rules: [always('error')] }, { bus });
    await expect(chaos.maybeInject('plugin:a')).rejects.toThrow(ChaosFaultError);
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('FaultInjector.wrap', () => {
  it('injects before the call, and skips the call when the fault ends it', async () => {
    const { chaos } = setup([always('error')]);
    const fn = jest.fn(async (a: number, b: number) => a + b);
    await expect(chaos.wrap('plugin:a', fn)(1, 2)).rejects.toThrow(ChaosFaultError);
    expect(fn).not.toHaveBeenCalled();
    await expect(chaos.wrap('plugin:b', fn)(1, 2)).resolves.toBe(3);
  });

  it('follows enable() and disable() at call time', async () => {
    const { chaos } = setup([always('error')]);
    const call = chaos.wrap('plugin:a', async () => 'ok');
    chaos.disable();
    await expect(call()).resolves.toBe('ok');
    chaos.enable();
    await expect(call()).rejects.toThrow(ChaosFaultError);
  });
});

describe('FaultInjector.update', () => {
  it('replaces the rules, including targets already seen', async () => {
    const { chaos } = setup([always('error')]);
    await expect(chaos.maybeInject('plugin:a')).rejects.toThrow();
    chaos.update({ enabled: true, rules: [{ target: 'plugin:b', fault: 'error', rate: 1 }] });
    await expect(chaos.maybeInject('plugin:a')).resolves.toBeUndefined();
    await expect(chaos.maybeInject('plugin:b')).rejects.toThrow();
    expect(chaos.settings.rules).toHaveLength(1);
  });

  it('takes enabled from the new config', async () => {
    const { chaos } = setup([always('error')]);
    chaos.update({ rules: [always('error')] });
    expect(chaos.enabled).toBe(false);
  });

  it('keeps the current config when the new one is invalid', async () => {
    const { chaos } = setup([always('error')]);
    expect(() => chaos.update({ enabled: true, rules: [{ target: '*', fault: 'error', rate: 5 }] })).toThrow(
      TrellisError,
    );
    expect(chaos.settings.rules[0]?.rate).toBe(1);
    await expect(chaos.maybeInject('plugin:a')).rejects.toThrow(ChaosFaultError);
  });

  it('restarts the draws from a seed, but keeps an injected random', () => {
    const rules: ChaosRuleConfig[] = [{ target: '*', fault: 'latency', rate: 0.5, latencyMs: 1 }];
    const { chaos } = setup(rules, {}, { seed: 7 });
    const run = () => {
      for (let i = 0; i < 20; i += 1) void chaos.maybeInject('x');
      return chaos.stats().injected.latency;
    };
    const first = run();
    chaos.update({ enabled: true, seed: 7, rules });
    expect(run() - first).toBe(first);
    const random = jest.fn(() => 0.9);
    const injected = setup(rules, { random }, { seed: 7 }).chaos;
    injected.update({ enabled: true, seed: 8, rules });
    void injected.maybeInject('x');
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('stays correct past the target cache cap', async () => {
    const { chaos } = setup([{ target: 'hot', fault: 'error', rate: 1 }]);
    for (let i = 0; i < 1_100; i += 1) await chaos.maybeInject(`cold-${i}`);
    await expect(chaos.maybeInject('hot')).rejects.toThrow(ChaosFaultError);
  });
});

describe('FaultInjector randomness', () => {
  const outcomes = (seed: number, calls: number): string[] => {
    const chaos = new FaultInjector(
      {
        enabled: true,
        seed,
        rules: [
          { target: '*', fault: 'latency', rate: 0.3, latencyMs: 5 },
          { target: '*', fault: 'error', rate: 0.2 },
          { target: '*', fault: 'hang', rate: 0.1 },
        ],
      },
      { clock: new ManualClock() },
    );
    const seen: string[] = [];
    for (let i = 0; i < calls; i += 1) {
      const before = chaos.stats().injected;
      chaos.maybeInject(`t${i % 3}`).catch(() => undefined);
      const after = chaos.stats().injected;
      seen.push(
        (['latency', 'error', 'hang'] as const).filter((f) => after[f] > before[f]).join('+') || 'none',
      );
    }
    return seen;
  };

  it('replays exactly with the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        expect(outcomes(seed, 200)).toEqual(outcomes(seed, 200));
      }),
      { numRuns: 25 },
    );
    expect(outcomes(1, 200)).not.toEqual(outcomes(2, 200));
  });

  it('fires at the configured rate over 10,000 seeded draws', () => {
    const draws = 10_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, rate) => {
          const chaos = new FaultInjector(
            { enabled: true, seed, rules: [{ target: '*', fault: 'error', rate }] },
            { clock: new ManualClock() },
          );
          for (let i = 0; i < draws; i += 1) chaos.maybeInject('x').catch(() => undefined);
          const observed = chaos.stats().injected.error / draws;
          // 4.5 standard deviations of a binomial proportion: a fixed-seed run cannot flake.
          const tolerance = 4.5 * Math.sqrt((rate * (1 - rate)) / draws) + 1e-9;
          expect(Math.abs(observed - rate)).toBeLessThanOrEqual(tolerance);
        },
      ),
      { seed: 20_240_601, numRuns: 30 },
    );
  });

  it('never fires at rate 0 and always at rate 1', () => {
    const chaos = new FaultInjector(
      {
        enabled: true,
        rules: [
          { target: 'never', fault: 'error', rate: 0 },
          { target: 'always', fault: 'error', rate: 1 },
        ],
      },
      { random: () => 0 },
    );
    for (let i = 0; i < 100; i += 1) {
      chaos.maybeInject('never');
      chaos.maybeInject('always').catch(() => undefined);
    }
    expect(chaos.stats().injected.error).toBe(100);
  });
});

describe('uncaughtCrash', () => {
  it('throws the error from a timer, where nothing can catch it', () => {
    const clock = new ManualClock();
    const error = new ChaosFaultError('plugin:a', 'crash');
    uncaughtCrash(clock)(error);
    expect(() => clock.advance(0)).toThrow(error);
  });

  it('defaults to the system clock', () => {
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout').mockImplementation((() => ({})) as never);
    uncaughtCrash()(new ChaosFaultError('plugin:a', 'crash'));
    expect(setTimeoutSpy).toHaveBeenCalledWith(expect.any(Function), 0);
    setTimeoutSpy.mockRestore();
  });
});
