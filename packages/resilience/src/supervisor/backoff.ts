import { exponentialDelay } from '../policies/backoff.js';

/** Backoff settings {@link restartDelay} reads; {@link BackoffConfig} fits. */
export interface RestartDelayOptions {
  /** Delay of attempt 1, ms. */
  readonly initialMs: number;
  /** Cap, ms. */
  readonly maxMs: number;
  /** Growth per attempt (≥ 1). */
  readonly multiplier: number;
  /** Fraction of the delay removed at random, 0..1. */
  readonly jitter: number;
}

/**
 * The delay before restart `attempt` (1-based): `min(maxMs, initialMs × multiplier^(attempt−1))`,
 * less up to `jitter` of it at random. Pure: `random` (default `Math.random`, values in [0, 1)) is
 * injected so tests and simulations are reproducible.
 *
 * Jitter only ever shortens the delay, so `maxMs` stays a hard cap and, for the same random draw,
 * delays never shrink as attempts grow.
 *
 * @example
 * ```ts
 * restartDelay(3, { initialMs: 100, maxMs: 30_000, multiplier: 2, jitter: 0 }); // 400
 * ```
 */
export function restartDelay(
  attempt: number,
  options: RestartDelayOptions,
  random: () => number = Math.random,
): number {
  const ceiling = options.initialMs <= 0 ? 0 : exponentialDelay(Math.floor(attempt), options);
  const draw = Math.min(Math.max(random(), 0), 1);
  const jitter = Math.min(Math.max(options.jitter, 0), 1);
  return Math.min(options.maxMs, Math.round(ceiling * (1 - jitter * draw)));
}
