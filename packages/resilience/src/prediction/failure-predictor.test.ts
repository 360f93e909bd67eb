import { describe, expect, it, jest } from '@jest/globals';
import {
  LocalEventBus,
  ManualClock,
  type PluginControl,
  type PluginRestartOptions,
  type PluginSummary,
  type TrellisEvents,
} from '@trellis/core';
import '../events/resilience-events.js';
import {
  FailurePredictor,
  type FailurePredictorOptions,
  PREDICTOR_ACTOR,
  type Prediction,
} from './failure-predictor.js';

const MB = 1_048_576;
const MINUTE = 60_000;

function fakeControl(isolation: PluginSummary['isolation']) {
  const restart = jest.fn(
    async (name: string, _options?: PluginRestartOptions): Promise<PluginSummary> => summary(name),
  );
  const summary = (name: string): PluginSummary => ({
    name,
    version: '1.0.0',
    state: 'active',
    isolation,
    critical: false,
    dependencies: [],
  });
  const control = {
    list: () => [summary('billing')],
    get: (name: string) => (name === 'billing' ? summary(name) : undefined),
    start: async (name: string) => summary(name),
    stop: async (name: string) => summary(name),
    restart,
    health: async () => ({ status: 'pass' as const }),
  } satisfies PluginControl;
  return { control, restart };
}

function setup(options: Partial<FailurePredictorOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const bus = new LocalEventBus<TrellisEvents>();
  const events: Prediction[] = [];
  bus.on('prediction.raised', (p) => void events.push(p));
  // A recycle starts a fresh worker: its heap starts over.
  let workerStartedAt = clock.now();
  const predictor = new FailurePredictor({
    clock,
    bus,
    onPrediction: (p) => {
      if (p.action === 'recycle') workerStartedAt = clock.now();
    },
    ...options,
  });
  /** Heap samples every 10 s for `minutes`, growing `mbPerMin` from 100 MB since the worker started, with a sawtooth. */
  const heap = (minutes: number, mbPerMin: number, limitMb = 512) => {
    for (let s = 0; s < minutes * 6; s += 1) {
      const age = (clock.now() - workerStartedAt) / MINUTE;
      predictor.sampleHeap('billing', {
        heapUsedBytes: (100 + mbPerMin * age) * MB + (s % 4) * 5 * MB,
        heapLimitBytes: limitMb * MB,
      });
      clock.advance(10_000);
    }
  };
  /** `perSecond` calls a second for `seconds`, failing with `errorRate`. */
  const calls = (
    seconds: number,
    errorRate: number,
    latencyMs: (s: number) => number = () => 20,
    perSecond = 2,
  ) => {
    let failures = 0;
    for (let s = 0; s < seconds; s += 1) {
      for (let i = 0; i < perSecond; i += 1) {
        const n = s * perSecond + i + 1;
        const ok = failures >= Math.floor(n * errorRate);
        if (!ok) failures += 1;
        predictor.record('billing', { ok, latencyMs: latencyMs(s) });
      }
      clock.advance(1_000);
    }
  };
  return { clock, bus, events, predictor, heap, calls };
}

describe('FailurePredictor', () => {
  it('predicts heap exhaustion once, recycles an isolated plugin through the control, with evidence', () => {
    const { control, restart } = fakeControl('worker');
    const { events, predictor, heap } = setup({ control });
    heap(15, 8);
    expect(events).toHaveLength(1);
    const [prediction] = events;
    expect(prediction).toMatchObject({ plugin: 'billing', kind: 'memory-exhaustion', action: 'recycle' });
    expect(prediction?.inMs).toBeGreaterThan(0);
    expect(prediction?.inMs).toBeLessThanOrEqual(60 * MINUTE);
    expect(prediction?.evidence).toMatchObject({
      heapLimitBytes: 512 * MB,
      projectedExhaustionMs: prediction?.inMs,
    });
    expect((prediction?.evidence.slopeBytesPerMin ?? 0) / MB).toBeCloseTo(8, 0);
    expect(prediction?.evidence.r2).toBeGreaterThan(0.9);
    expect(restart).toHaveBeenCalledWith('billing', { reload: false, actor: PREDICTOR_ACTOR });
    expect(predictor.active('billing')).toEqual([]);
    // The new worker leaks again: a new trend, raised once the cooldown has passed.
    heap(10, 8);
    expect(events).toHaveLength(2);
    expect(restart).toHaveBeenCalledTimes(2);
  });

  it('does not recycle an inline plugin: it shares the host heap', () => {
    const { control, restart } = fakeControl('inline');
    const { events, heap } = setup({ control });
    heap(30, 8);
    expect(events.map((e) => e.action)).toEqual(['none']);
    expect(restart).not.toHaveBeenCalled();
  });

  it('uses a provided recycle action over the control', () => {
    const recycle = jest.fn();
    const { events, heap } = setup({ actions: { recycle } });
    heap(30, 8);
    expect(recycle).toHaveBeenCalledWith('billing', events[0]);
  });

  it('stays quiet on a stable heap and a healthy plugin', () => {
    const { events, predictor, heap, calls } = setup();
    heap(30, 0);
    calls(600, 0);
    expect(events).toEqual([]);
    expect(predictor.inspect('billing')?.memory.flagged).toBe(false);
    expect(predictor.inspect('nobody')).toBeUndefined();
  });

  it('opens the breaker early when the error budget burns fast, once per trend', () => {
    const openBreaker = jest.fn();
    const { clock, events, predictor, calls } = setup({ actions: { openBreaker } });
    calls(600, 0);
    calls(600, 0.03);
    expect(events.map((e) => [e.kind, e.action])).toEqual([['error-budget', 'open-breaker']]);
    expect(openBreaker).toHaveBeenCalledTimes(1);
    // With 20 min of history the 6 h / 30 min window (burn ≥ 6) fires first.
    expect(events[0]?.evidence).toMatchObject({
      thresholdBurnRate: 6,
      shortWindowMs: 30 * MINUTE,
      slo: 0.999,
    });
    expect(events[0]?.evidence.burnRateShort).toBeGreaterThanOrEqual(6);
    expect(predictor.active()).toHaveLength(1);
    // Errors stop: once the 30 min short window is clean, the prediction clears after clearAfterMs.
    calls(40 * 60, 0);
    expect(predictor.active()).toEqual([]);
    clock.advance(10 * MINUTE);
    calls(600, 0.03);
    expect(events).toHaveLength(2);
  });

  it('sheds load when latency degrades and keeps rising', () => {
    const shedLoad = jest.fn();
    const { events, calls } = setup({ actions: { shedLoad } });
    calls(600, 0, () => 20);
    calls(300, 0, (s) => 20 + s / 2);
    expect(events.map((e) => [e.kind, e.action])).toEqual([['latency', 'shed-load']]);
    expect(shedLoad).toHaveBeenCalledTimes(1);
    expect(events[0]?.evidence.ratio).toBeGreaterThan(2);
  });

  it('includes the latency limit in the evidence when set', () => {
    const { events, calls } = setup({ config: { latency: { limitMs: 200, horizonMs: 30 * MINUTE } } });
    calls(600, 0, () => 20);
    calls(300, 0, (s) => 20 + s / 2);
    expect(events[0]).toMatchObject({ kind: 'latency', action: 'none', evidence: { limitMs: 200 } });
  });

  it('reports failing actions, sync or async, without breaking the caller', async () => {
    const onActionError = jest.fn();
    const sync = setup({
      actions: {
        recycle: () => {
          throw new Error('no worker');
        },
      },
      onActionError,
    });
    sync.heap(15, 8);
    expect(onActionError).toHaveBeenCalledTimes(1);
    expect(onActionError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'no worker' }),
      sync.events[0],
    );
    const async = setup({
      actions: { recycle: async () => Promise.reject(new Error('restart failed')) },
      onActionError,
    });
    async.heap(15, 8);
    await new Promise((resolve) => setImmediate(resolve));
    expect(onActionError).toHaveBeenCalledTimes(2);
    expect(onActionError).toHaveBeenLastCalledWith(
      expect.objectContaining({ message: 'restart failed' }),
      async.events[0],
    );
    const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const fallback = setup({
      actions: {
        recycle: () => {
          throw new Error('x');
        },
      },
    });
    fallback.heap(15, 8);
    expect(warning).toHaveBeenCalledWith(
      expect.stringMatching(/prediction action recycle for "billing" failed/),
    );
    warning.mockRestore();
  });

  it('evaluates at most every evaluateEveryMs, and on demand', () => {
    const { clock, predictor, heap } = setup({ config: { evaluateEveryMs: 3_600_000 } });
    heap(30, 8);
    // Evaluated once, at the first sample, when there was nothing to see.
    expect(predictor.active()).toEqual([]);
    const raised = predictor.evaluate('billing', clock.now());
    expect(raised.map((p) => [p.kind, p.action])).toEqual([['memory-exhaustion', 'none']]);
    expect(predictor.active('billing')).toHaveLength(1);
    expect(predictor.evaluate('nobody')).toEqual([]);
    predictor.forget('billing');
    expect(predictor.active()).toEqual([]);
  });

  it('emits nothing when nobody listens, but still calls onPrediction', () => {
    const clock = new ManualClock();
    const bus = new LocalEventBus<TrellisEvents>();
    const emit = jest.spyOn(bus, 'emit');
    const seen: Prediction[] = [];
    const predictor = new FailurePredictor({ clock, bus, onPrediction: (p) => void seen.push(p) });
    for (let s = 0; s < 180; s += 1) {
      predictor.sampleHeap('w', { heapUsedBytes: (100 + s * 2) * MB, heapLimitBytes: 512 * MB });
      clock.advance(10_000);
    }
    expect(seen).toHaveLength(1);
    expect(emit).not.toHaveBeenCalled();
  });

  it('rejects invalid samples and config', () => {
    const { predictor } = setup();
    expect(() => predictor.record('billing', { ok: true, latencyMs: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'PREDICTION_SAMPLE_INVALID' }),
    );
    expect(() => new FailurePredictor({ config: { actions: { latency: 'reboot' as never } } })).toThrow(
      expect.objectContaining({ code: 'PREDICTION_CONFIG_INVALID' }),
    );
  });
});
