import {
  bulkhead,
  type CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  DelegateBackoff,
  fallback,
  handleWhen,
  type IBreaker,
  type IDefaultPolicyContext,
  type IPolicy,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isIsolatedCircuitError,
  noop,
  retry,
  SamplingBreaker,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { backoffDelay, type RandomSource } from './backoff.js';
import { POLICY_ORDER } from './compose.js';
import { isPolicyRejection } from './policy-errors.js';
import type { BreakerConfig, PolicyConfig } from './policy-schema.js';

/**
 * cockatiel's `SamplingBreaker` never opens below its minimum rate; this one also opens on
 * `threshold` consecutive failures, the low-traffic fallback of our own breaker (approximated:
 * cockatiel hides the window's volume, so the consecutive rule applies at any traffic).
 */
class SamplingWithConsecutiveFallback implements IBreaker {
  readonly #sampling: SamplingBreaker;
  readonly #threshold: number;
  #consecutive = 0;

  constructor(config: BreakerConfig) {
    this.#sampling = new SamplingBreaker({
      threshold: config.ratio,
      duration: config.windowMs,
      minimumRps: config.minThroughput / (config.windowMs / 1_000),
    });
    this.#threshold = config.threshold;
  }

  get state(): unknown {
    return { sampling: this.#sampling.state, consecutive: this.#consecutive };
  }

  set state(value: unknown) {
    const v = value as { sampling: unknown; consecutive: number };
    this.#sampling.state = v.sampling;
    this.#consecutive = v.consecutive;
  }

  success(state: CircuitState): void {
    this.#consecutive = 0;
    this.#sampling.success(state);
  }

  failure(state: CircuitState): boolean {
    this.#consecutive++;
    const open = this.#sampling.failure(state) || this.#consecutive >= this.#threshold;
    if (open) this.#consecutive = 0;
    return open;
  }
}

/** Refusals, ours or cockatiel's: never retried, never counted as the dependency failing. */
function isRefusal(error: unknown): boolean {
  return (
    isPolicyRejection(error) ||
    isBrokenCircuitError(error) ||
    isIsolatedCircuitError(error) ||
    isBulkheadRejectedError(error)
  );
}

function breakerOf(config: BreakerConfig): IBreaker {
  if (config.mode === 'consecutive') return new ConsecutiveBreaker(config.threshold);
  return config.lowTrafficFallback
    ? new SamplingWithConsecutiveFallback(config)
    : new SamplingBreaker({
        threshold: config.ratio,
        duration: config.windowMs,
        minimumRps: config.minThroughput / (config.windowMs / 1_000),
      });
}

/**
 * The same policy built from cockatiel's parts, for code that needs cockatiel's `IPolicy`
 * (its `usePolicy` decorator, an existing `wrap`). It keeps our safe settings where cockatiel's
 * defaults are traps: `maxAttempts` counts attempts (cockatiel's counts retries and defaults to
 * infinite, with zero delay), backoff follows our jitter, and the timeout is cooperative without
 * aborting the signal after each successful call. Not carried over: the retry budget, the timer
 * that half-opens an idle breaker, and fast failing without an `Error` per refused call; use
 * `composePolicy` for those, and for speed (see docs/benchmarks/resilience-policies.md).
 */
export function toCockatielPolicy(
  config: PolicyConfig,
  random: RandomSource = Math.random,
): IPolicy<IDefaultPolicyContext, unknown> {
  const parts: Record<(typeof POLICY_ORDER)[number], IPolicy<IDefaultPolicyContext, unknown> | undefined> = {
    fallback: config.fallback
      ? fallback(
          handleWhen(() => true),
          config.fallback.value,
        )
      : undefined,
    bulkhead: config.bulkhead ? bulkhead(config.bulkhead.limit, config.bulkhead.queue) : undefined,
    retry: undefined,
    breaker: config.breaker
      ? circuitBreaker(
          handleWhen((error) => !isRefusal(error)),
          { halfOpenAfter: config.breaker.halfOpenAfterMs, breaker: breakerOf(config.breaker) },
        )
      : undefined,
    timeout: config.timeout
      ? timeout(config.timeout.ms, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false })
      : undefined,
  };
  const retryConfig = config.retry;
  if (retryConfig) {
    const retryOn = retryConfig.retryOn ? new Set(retryConfig.retryOn) : undefined;
    parts.retry = retry(
      handleWhen((error) => {
        if (isRefusal(error)) return false;
        const code = (error as { code?: unknown } | null)?.code;
        return retryOn === undefined || (typeof code === 'string' && retryOn.has(code));
      }),
      {
        maxAttempts: retryConfig.maxAttempts - 1,
        backoff: new DelegateBackoff<{ attempt: number }, number>((context, previous) => {
          const delay = backoffDelay(context.attempt, retryConfig.backoff, random, previous);
          return { delay, state: delay };
        }),
      },
    );
  }
  const chain = POLICY_ORDER.map((layer) => parts[layer]).filter(
    (p): p is IPolicy<IDefaultPolicyContext, unknown> => p !== undefined,
  );
  return chain.length === 0 ? noop : wrap(...chain);
}
