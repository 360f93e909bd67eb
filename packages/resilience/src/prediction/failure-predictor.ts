import {
  type Clock,
  type EventBus,
  type PluginActor,
  type PluginControl,
  systemClock,
  type TrellisEvents,
} from '@trellis/core';
import '../events/resilience-events.js';
import { ErrorBudget, type ErrorBudgetAssessment } from './error-budget.js';
import { type LatencyAssessment, LatencyTrend } from './latency-trend.js';
import { type LeakAssessment, LeakPredictor } from './leak-predictor.js';
import {
  type PredictionAction,
  type PredictionConfig,
  type PredictionConfigInput,
  PredictionConfigSchema,
  parsePredictionConfig,
} from './prediction-config.js';
import { PredictionSampleInvalidError } from './prediction-errors.js';

/** A raised prediction: the `prediction.raised` event's payload. */
export type Prediction = TrellisEvents['prediction.raised'];

/** What a prediction is about. */
export type PredictionKind = Prediction['kind'];

/**
 * What the predictor may do about a prediction; each is optional (a missing one makes the action
 * `none`). Implementations come from the rest of the package: the load shedder, the breaker, the
 * plugin host. They may be async; a failure goes to `onActionError`.
 */
export interface PredictionActions {
  /** Refuse part of the plugin's traffic. */
  shedLoad?(plugin: string, prediction: Prediction): unknown;
  /** Open the plugin's circuit breaker before its errors do. */
  openBreaker?(plugin: string, prediction: Prediction): unknown;
  /** Restart the plugin's worker or process, freeing its heap. */
  recycle?(plugin: string, prediction: Prediction): unknown;
}

/** Options of {@link FailurePredictor}. */
export interface FailurePredictorOptions {
  /** Validated by {@link PredictionConfigSchema}; every field has a default. */
  readonly config?: PredictionConfigInput;
  readonly actions?: PredictionActions;
  /**
   * With it, `recycle` defaults to `control.restart` of an isolated plugin; an inline plugin shares
   * the host's heap, so recycling it frees nothing and the action is `none`.
   */
  readonly control?: PluginControl;
  /** Receives `prediction.raised` when given. */
  readonly bus?: EventBus<TrellisEvents>;
  /** Default the system clock; tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Called for every raised prediction (after the event). */
  readonly onPrediction?: (prediction: Prediction) => void;
  /** Called when an action throws or rejects; default a process warning. */
  readonly onActionError?: (error: unknown, prediction: Prediction) => void;
}

/** Every verdict about one plugin, from {@link FailurePredictor.inspect}. */
export interface PluginVerdicts {
  readonly memory: LeakAssessment;
  readonly errorBudget: ErrorBudgetAssessment;
  readonly latency: LatencyAssessment;
}

/** The actor recycles are done as, for the host's audit log. */
export const PREDICTOR_ACTOR: PluginActor = Object.freeze({ id: 'predictor', via: 'resilience' });

interface KindState {
  raised: Prediction | undefined;
  raisedAt: number | undefined;
  clearSince: number | undefined;
}

interface PluginState {
  readonly leak: LeakPredictor;
  readonly budget: ErrorBudget;
  readonly latency: LatencyTrend;
  readonly kinds: Record<PredictionKind, KindState>;
  lastEvaluatedAt: number | undefined;
}

const KINDS: readonly PredictionKind[] = ['memory-exhaustion', 'error-budget', 'latency'];

/**
 * Predicts plugin failures from their calls and heap samples, and acts before they happen: per
 * plugin, an error-budget burn (multi-window), a latency trend against its baseline, and — for
 * isolated plugins — a heap-leak projection. A trend raises one prediction (`prediction.raised`
 * with its evidence) and one action; it may be raised again only after the condition has been
 * clear for `clearAfterMs`, and never twice within `cooldownMs`.
 *
 * @example
 * ```ts
 * const predictor = new FailurePredictor({ control, bus, actions: { openBreaker: (p) => breakers.isolate(p) } });
 * predictor.record('billing', { ok: false, latencyMs: 812 });
 * predictor.sampleHeap('billing', { heapUsedBytes, heapLimitBytes });
 * ```
 */
export class FailurePredictor {
  /** The parsed config, defaults applied. */
  readonly config: PredictionConfig;
  readonly #clock: Clock;
  readonly #options: FailurePredictorOptions;
  readonly #plugins = new Map<string, PluginState>();

  constructor(options: FailurePredictorOptions = {}) {
    this.config = parsePredictionConfig(PredictionConfigSchema, options.config, 'failure predictor');
    this.#clock = options.clock ?? systemClock;
    this.#options = options;
  }

  /** Records one call of `plugin`: whether it succeeded and how long it took. */
  record(
    plugin: string,
    call: { readonly ok: boolean; readonly latencyMs: number; readonly at?: number },
  ): void {
    if (!Number.isFinite(call.latencyMs) || call.latencyMs < 0) {
      throw new PredictionSampleInvalidError(plugin, 'latencyMs', call.latencyMs);
    }
    const at = call.at ?? this.#clock.now();
    const state = this.#state(plugin);
    state.budget.record(call.ok, at);
    state.latency.record(call.latencyMs, at);
    this.#maybeEvaluate(plugin, state, at);
  }

  /** Records a heap sample of `plugin` (an isolated plugin's worker or process). */
  sampleHeap(
    plugin: string,
    sample: { readonly heapUsedBytes: number; readonly heapLimitBytes: number; readonly at?: number },
  ): void {
    const at = sample.at ?? this.#clock.now();
    const state = this.#state(plugin);
    state.leak.sample({ at, heapUsedBytes: sample.heapUsedBytes, heapLimitBytes: sample.heapLimitBytes });
    this.#maybeEvaluate(plugin, state, at);
  }

  /**
   * Evaluates `plugin` now (`record` and `sampleHeap` do so at most every `evaluateEveryMs`) and
   * returns the predictions this evaluation raised.
   */
  evaluate(plugin: string, now: number = this.#clock.now()): readonly Prediction[] {
    const state = this.#plugins.get(plugin);
    if (!state) return [];
    state.lastEvaluatedAt = now;
    const candidates: Prediction[] = [];
    for (const kind of KINDS) {
      const candidate = this.#debounce(state.kinds[kind], this.#assess(plugin, state, kind, now), now);
      if (candidate) candidates.push(candidate);
    }
    return candidates.map((candidate) => this.#raise(plugin, state, candidate, now));
  }

  /** Predictions still standing (their condition has not cleared), of one plugin or all. */
  active(plugin?: string): readonly Prediction[] {
    const states = plugin === undefined ? [...this.#plugins.values()] : [this.#plugins.get(plugin)];
    return states.flatMap((s) =>
      s ? KINDS.map((k) => s.kinds[k].raised).filter((p) => p !== undefined) : [],
    );
  }

  /** Forgets everything about `plugin` (it was uninstalled, or replaced). */
  forget(plugin: string): void {
    this.#plugins.delete(plugin);
  }

  /** The current verdicts for `plugin`, raised or not, without raising anything: for dashboards and debugging. */
  inspect(plugin: string, now: number = this.#clock.now()): PluginVerdicts | undefined {
    const state = this.#plugins.get(plugin);
    if (!state) return undefined;
    return {
      memory: state.leak.assess(now),
      errorBudget: state.budget.assess(now),
      latency: state.latency.assess(now),
    };
  }

  #maybeEvaluate(plugin: string, state: PluginState, at: number): void {
    if (state.lastEvaluatedAt !== undefined && at - state.lastEvaluatedAt < this.config.evaluateEveryMs)
      return;
    this.evaluate(plugin, at);
  }

  /** A candidate prediction (action not decided yet) when `kind` is flagged now. */
  #assess(plugin: string, state: PluginState, kind: PredictionKind, now: number): Prediction | undefined {
    const action = this.config.actions[kind];
    if (kind === 'memory-exhaustion') {
      const a = state.leak.assess(now);
      if (!a.flagged) return undefined;
      return {
        plugin,
        kind,
        inMs: Math.round(a.exhaustionInMs),
        action,
        evidence: {
          slopeBytesPerMin: Math.round(a.slopeBytesPerMin),
          windowSlopeBytesPerMin: Math.round(a.windowSlopeBytesPerMin),
          r2: a.r2,
          tau: a.tau,
          heapUsedBytes: Math.round(a.currentBytes),
          heapLimitBytes: a.limitBytes,
          projectedExhaustionMs: Math.round(a.exhaustionInMs),
          points: a.points,
          spanMs: a.spanMs,
        },
      };
    }
    if (kind === 'error-budget') {
      const a = state.budget.assess(now);
      if (!a.flagged) return undefined;
      return {
        plugin,
        kind,
        inMs: Math.round(a.exhaustionInMs),
        action,
        evidence: {
          burnRateLong: a.worst.longBurn,
          burnRateShort: a.worst.shortBurn,
          thresholdBurnRate: a.worst.window.burnRate,
          longWindowMs: a.worst.window.longMs,
          shortWindowMs: a.worst.window.shortMs,
          events: a.worst.events,
          slo: state.budget.config.slo,
        },
      };
    }
    const a = state.latency.assess(now);
    if (!a.flagged) return undefined;
    return {
      plugin,
      kind,
      inMs: Math.round(a.inMs),
      action,
      evidence: {
        currentMs: a.currentMs,
        baselineMs: a.baselineMs,
        ratio: a.ratio,
        slopeMsPerMin: a.slopeMsPerMin,
        r2: a.r2,
        ...(state.latency.config.limitMs === undefined ? {} : { limitMs: state.latency.config.limitMs }),
      },
    };
  }

  /** One trend, one prediction: hysteresis on clearing, and a cooldown between raises. */
  #debounce(kind: KindState, candidate: Prediction | undefined, now: number): Prediction | undefined {
    if (!candidate) {
      if (kind.raised) {
        kind.clearSince ??= now;
        if (now - kind.clearSince >= this.config.clearAfterMs) kind.raised = undefined;
      }
      return undefined;
    }
    kind.clearSince = undefined;
    if (kind.raised) return undefined;
    if (kind.raisedAt !== undefined && now - kind.raisedAt < this.config.cooldownMs) return undefined;
    return candidate;
  }

  #raise(plugin: string, state: PluginState, candidate: Prediction, now: number): Prediction {
    const run = this.#actionFor(plugin, candidate.action);
    const prediction: Prediction = { ...candidate, action: run ? candidate.action : 'none' };
    const kind = state.kinds[prediction.kind];
    kind.raised = prediction;
    kind.raisedAt = now;
    const { bus } = this.#options;
    if (bus && bus.listenerCount('prediction.raised') > 0) bus.emit('prediction.raised', prediction);
    this.#options.onPrediction?.(prediction);
    if (!run) return prediction;
    if (prediction.action === 'recycle') {
      // A new worker: the old heap's trend says nothing about it. The cooldown still applies.
      state.leak.reset();
      kind.raised = undefined;
    }
    const report = (error: unknown) =>
      this.#options.onActionError
        ? this.#options.onActionError(error, prediction)
        : process.emitWarning(
            `prediction action ${prediction.action} for "${plugin}" failed: ${String(error)}`,
          );
    try {
      Promise.resolve(run(prediction)).catch(report);
    } catch (error) {
      report(error);
    }
    return prediction;
  }

  #actionFor(plugin: string, action: PredictionAction): ((p: Prediction) => unknown) | undefined {
    const { actions = {}, control } = this.#options;
    switch (action) {
      case 'shed-load':
        return actions.shedLoad && ((p) => actions.shedLoad?.(plugin, p));
      case 'open-breaker':
        return actions.openBreaker && ((p) => actions.openBreaker?.(plugin, p));
      case 'recycle': {
        if (actions.recycle) return (p) => actions.recycle?.(plugin, p);
        const isolation = control?.get(plugin)?.isolation;
        if (!control || isolation === undefined || isolation === 'inline') return undefined;
        return () => control.restart(plugin, { reload: false, actor: PREDICTOR_ACTOR });
      }
      default:
        return undefined;
    }
  }

  #state(plugin: string): PluginState {
    let state = this.#plugins.get(plugin);
    if (!state) {
      const fresh = (): KindState => ({ raised: undefined, raisedAt: undefined, clearSince: undefined });
      state = {
        leak: new LeakPredictor(this.config.leak, plugin),
        budget: new ErrorBudget(this.config.errorBudget, this.#clock),
        latency: new LatencyTrend(this.config.latency, this.#clock),
        kinds: { 'memory-exhaustion': fresh(), 'error-budget': fresh(), latency: fresh() },
        lastEvaluatedAt: undefined,
      };
      this.#plugins.set(plugin, state);
    }
    return state;
  }
}
