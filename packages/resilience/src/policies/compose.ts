import '../events/resilience-events.js';
import { type Clock, type Disposer, type EventBus, systemClock, type TrellisEvents } from '@trellis/core';
import type { RandomSource } from './backoff.js';
import { Bulkhead } from './bulkhead.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { Policy } from './policy.js';
import type { PolicyConfig } from './policy-schema.js';
import { RetryBudget } from './retry-budget.js';
import { Timeout } from './timeout.js';

/**
 * Relays a breaker's state to other instances (see `RedisBreakerState`). Attaching returns what
 * detaches it.
 */
export interface SharedBreakerState {
  attach(breaker: CircuitBreaker): Disposer;
}

/** What {@link composePolicy} needs besides the configuration. */
export interface PolicyDeps {
  /** Default `systemClock`; tests pass a `ManualClock`. */
  readonly clock?: Clock;
  /** Receives the policy's events; they cost nothing while nobody listens. */
  readonly bus?: EventBus<TrellisEvents>;
  /** Jitter source; default `Math.random`. */
  readonly random?: RandomSource;
  /** Shares the breaker's open/closed state with other instances. */
  readonly sharedState?: SharedBreakerState;
  /** A budget shared with other policies (one per dependency); default one per policy. */
  readonly budget?: RetryBudget;
}

/**
 * The order layers wrap a call, outermost first:
 *
 * 1. **fallback**: answers every failure below, refusals included; a fallback inside the
 *    retry would hide failures from it.
 * 2. **bulkhead**: caps concurrent *calls*. Outside the retry, so a call keeps its slot while
 *    it backs off and retries cannot add concurrency; a full bulkhead is not retried, since
 *    retrying a refusal only adds load.
 * 3. **retry** (with its **budget**): re-runs failed attempts, within the share of recent
 *    calls the budget allows.
 * 4. **breaker**: inside the retry so it counts every attempt (three failed attempts are three
 *    signs of trouble) and so a breaker that opens mid-call stops the remaining retries.
 * 5. **timeout**: innermost, so it bounds each attempt rather than the whole call (a retry
 *    gets a fresh deadline) and a timed-out attempt counts as a failure for the breaker.
 */
export const POLICY_ORDER = ['fallback', 'bulkhead', 'retry', 'breaker', 'timeout'] as const;

/**
 * Builds the {@link Policy} `config` describes, its layers in {@link POLICY_ORDER}. Sections set
 * to `false` or left out are not applied; a `retry` gets its budget unless `budget: false`.
 */
export function composePolicy(name: string, config: PolicyConfig, deps: PolicyDeps = {}): Policy {
  const clock = deps.clock ?? systemClock;
  const bus = deps.bus;
  const retry = config.retry || undefined;
  const breaker = config.breaker ? new CircuitBreaker(name, config.breaker, { clock, bus }) : undefined;
  const disposers: Disposer[] = [];
  if (breaker !== undefined && deps.sharedState !== undefined)
    disposers.push(deps.sharedState.attach(breaker));
  return new Policy({
    name,
    clock,
    random: deps.random ?? Math.random,
    bus,
    bulkhead: config.bulkhead ? new Bulkhead(config.bulkhead) : undefined,
    retry,
    budget: retry?.budget ? (deps.budget ?? new RetryBudget(retry.budget, clock)) : undefined,
    breaker,
    timeout: config.timeout ? new Timeout(name, config.timeout.ms, { clock, bus }) : undefined,
    fallback: config.fallback || undefined,
    disposers,
  });
}
