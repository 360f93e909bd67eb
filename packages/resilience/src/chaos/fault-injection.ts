import { type Clock, type EventBus, systemClock, type TrellisEvents } from '@trellis/core';
import '../events/resilience-events.js';
import { ChaosFaultError } from './chaos-errors.js';
import {
  type ChaosConfig,
  type ChaosFault,
  type ChaosRule,
  type ChaosSettings,
  matchesTarget,
  parseChaosConfig,
} from './chaos-schema.js';
import { mulberry32 } from './seeded-random.js';

/** Collaborators of a {@link FaultInjector}; all optional. */
export interface FaultInjectorDeps {
  /** Times latency and timed hangs; default the system clock. */
  readonly clock?: Clock;
  /** Uniform in [0, 1); overrides `seed`. Default mulberry32(seed), or `Math.random` unseeded. */
  readonly random?: () => number;
  /** Receives `chaos.injected`. */
  readonly bus?: EventBus<TrellisEvents>;
  /**
   * What a `crash` fault does before the call fails with the error. Default nothing: the call
   * just fails, because a real crash in an inline plugin takes the whole host down. Pass
   * {@link uncaughtCrash} inside a worker or process-isolated plugin to have it really die.
   */
  readonly crash?: (error: ChaosFaultError) => void;
  /** Blocks the thread for `ms` (Infinity: forever), for `busy` hangs; default a spin on `performance.now()`. */
  readonly spin?: (ms: number) => void;
}

/** Options of {@link FaultInjector.maybeInject}. */
export interface InjectOptions {
  /** Ends an injected latency or hang early: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Faults injected per kind, and calls checked while enabled. */
export interface ChaosStats {
  readonly enabled: boolean;
  readonly checked: number;
  readonly injected: Readonly<Record<ChaosFault, number>>;
}

const RESOLVED: Promise<void> = Promise.resolve();
const NO_RULES: readonly ChaosRule[] = [];

// A rule whose fault ends the call (error, crash, hang): at most one fires per call.
type EndingRule = Exclude<ChaosRule, { readonly fault: 'latency' }>;
// Targets are plugin names and call sites: few. The cap only guards against per-request targets.
const MAX_CACHED_TARGETS = 1_024;

/**
 * Fault injection for chaos testing: per matching rule and its rate, a call is delayed
 * (`latency`), fails with a {@link ChaosFaultError} (`error`), crashes (`crash`) or never
 * finishes (`hang`). Switch it on in a running app (`enable()`, `update()`) to watch retries,
 * breakers and supervisors heal; seed it to replay a run exactly. Disabled, it costs one boolean
 * check per call.
 *
 * Every decision of a call is drawn synchronously when it starts, so concurrent calls cannot
 * reorder the draws: the same seed and the same call order give the same faults.
 *
 * @example
 * ```ts
 * const chaos = new FaultInjector({ enabled: true, seed: 42, rules: [{ target: 'plugin:billing', fault: 'error', rate: 0.1 }] });
 * const charge = chaos.wrap('plugin:billing', billing.charge);
 * ```
 */
export class FaultInjector {
  #settings: ChaosSettings;
  #enabled: boolean;
  #random: () => number;
  readonly #deps: FaultInjectorDeps;
  readonly #clock: Clock;
  readonly #rulesByTarget = new Map<string, readonly ChaosRule[]>();
  #checked = 0;
  readonly #injected: Record<ChaosFault, number> = { latency: 0, error: 0, crash: 0, hang: 0 };

  constructor(config: ChaosConfig = {}, deps: FaultInjectorDeps = {}) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#settings = parseChaosConfig(config);
    this.#enabled = this.#settings.enabled;
    this.#random = this.#randomFor(this.#settings);
  }

  /** True while faults are injected. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** The current config, defaults applied (`enabled` as configured, see {@link FaultInjector.enabled}). */
  get settings(): ChaosSettings {
    return this.#settings;
  }

  /** Starts injecting faults by the current rules. */
  enable(): void {
    this.#enabled = true;
  }

  /** Stops injecting faults; calls already delayed or hanging stay so. */
  disable(): void {
    this.#enabled = false;
  }

  /**
   * Replaces the config at runtime (rules, `enabled`, seed). A seed restarts the sequence of
   * draws (unless `deps.random` was given, which is kept). An invalid config throws `ChaosConfigInvalidError` and leaves the current one in place.
   */
  update(config: ChaosConfig): void {
    const settings = parseChaosConfig(config);
    this.#settings = settings;
    this.#enabled = settings.enabled;
    this.#rulesByTarget.clear();
    this.#random = this.#randomFor(settings);
  }

  /**
   * Resolves at once unless a rule for `target` fires: then waits out injected latency, rejects
   * with a {@link ChaosFaultError} (`error`, `crash`), or never settles (`hang`). Await it before
   * the real call.
   */
  maybeInject(target: string, options?: InjectOptions): Promise<void> {
    if (!this.#enabled) return RESOLVED;
    this.#checked += 1;
    const rules = this.#rulesFor(target);
    if (rules.length === 0) return RESOLVED;
    let latencyMs = 0;
    let final: EndingRule | undefined;
    for (const rule of rules) {
      if (!(this.#random() < rule.rate)) continue;
      this.#record(target, rule.fault);
      if (rule.fault === 'latency') {
        latencyMs += rule.latencyMs;
      } else {
        final = rule;
        break;
      }
    }
    if (latencyMs === 0 && !final) return RESOLVED;
    return this.#apply(target, latencyMs, final, options?.signal);
  }

  /**
   * `fn` behind {@link FaultInjector.maybeInject}: faults for `target` hit before `fn` runs.
   * Disabled, the wrapper calls `fn` straight through.
   */
  wrap<A extends unknown[], R>(target: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args: A): Promise<R> => {
      if (!this.#enabled) return fn(...args);
      return this.maybeInject(target).then(() => fn(...args));
    };
  }

  /** Counts since creation. */
  stats(): ChaosStats {
    return { enabled: this.#enabled, checked: this.#checked, injected: { ...this.#injected } };
  }

  async #apply(
    target: string,
    latencyMs: number,
    final: EndingRule | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    if (latencyMs > 0) await this.#sleep(latencyMs, signal);
    if (!final) return;
    if (final.fault === 'hang') {
      if (final.busy) (this.#deps.spin ?? spin)(final.durationMs ?? Number.POSITIVE_INFINITY);
      else await this.#sleep(final.durationMs, signal);
      return;
    }
    const error = new ChaosFaultError(target, final.fault, {
      message: final.message,
      errorCode: final.fault === 'error' ? final.errorCode : undefined,
      rate: final.rate,
    });
    if (final.fault === 'crash') this.#deps.crash?.(error);
    throw error;
  }

  // `ms` undefined: never settles (unless the signal aborts).
  #sleep(ms: number | undefined, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer = ms === undefined ? undefined : this.#clock.setTimeout(done, ms);
      const onAbort = (): void => {
        timer?.cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      function done(): void {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
    });
  }

  #rulesFor(target: string): readonly ChaosRule[] {
    let rules = this.#rulesByTarget.get(target);
    if (!rules) {
      const matching = this.#settings.rules.filter((rule) => matchesTarget(rule.target, target));
      rules = matching.length > 0 ? matching : NO_RULES;
      if (this.#rulesByTarget.size >= MAX_CACHED_TARGETS) this.#rulesByTarget.clear();
      this.#rulesByTarget.set(target, rules);
    }
    return rules;
  }

  #record(target: string, fault: ChaosFault): void {
    this.#injected[fault] += 1;
    const bus = this.#deps.bus;
    if (bus && bus.listenerCount('chaos.injected') > 0) bus.emit('chaos.injected', { target, fault });
  }

  #randomFor(settings: ChaosSettings): () => number {
    if (this.#deps.random) return this.#deps.random;
    return settings.seed === undefined ? Math.random : mulberry32(settings.seed);
  }
}

/**
 * A `crash` for {@link FaultInjectorDeps.crash} that really kills the thread: it throws `error`
 * from a timer, where nothing can catch it, so the worker or process dies with an uncaught
 * exception and its supervisor sees a crash. Inline (in the host's own thread) this takes the
 * whole host down: use it only in isolated plugins.
 */
export function uncaughtCrash(clock: Clock = systemClock): (error: ChaosFaultError) => void {
  return (error) => {
    clock.setTimeout(() => {
      throw error;
    }, 0);
  };
}

// Blocks the thread on purpose (that is the fault); `performance.now()` because a manual clock
// never moves while the loop holds the thread.
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: the point is to not yield
  }
}
