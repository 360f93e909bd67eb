import type { Clock, TimerHandle } from '@trellis/core';
import { RestartIntensity } from './intensity.js';
import type { RecoveryChild, RecoveryStep } from './recovery.js';
import type { IntensityConfig } from './supervisor-config.js';
import type { ChildFailure, SupervisedChildState } from './supervisor-types.js';

/**
 * What a supervisor remembers about one child between failures: its state, how far down the
 * recovery chain it is, its restart attempts (for the backoff) and its restart intensity. All of it
 * is forgotten after `resetAfterMs` of health, as OTP forgets restarts older than its period.
 */
export class ChildTracker<C extends RecoveryChild = RecoveryChild> {
  /** Where the child is; see {@link SupervisedChildState}. */
  state: SupervisedChildState = 'idle';
  /** The latest failure, kept for status reports. */
  lastFailure: ChildFailure | undefined;
  readonly intensity: RestartIntensity;
  #attempts = 0;
  #step = 0;
  #uses = 0;
  #resetTimer: TimerHandle | undefined;
  readonly #chain: readonly RecoveryStep<C>[];
  readonly #clock: Clock;
  readonly #resetAfterMs: number;

  constructor(chain: readonly RecoveryStep<C>[], intensity: IntensityConfig, clock: Clock) {
    this.#chain = chain;
    this.#clock = clock;
    this.#resetAfterMs = intensity.resetAfterMs;
    this.intensity = new RestartIntensity(intensity);
  }

  /** Restart attempts since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Counts a restart attempt and returns its 1-based number. */
  nextAttempt(): number {
    this.#attempts += 1;
    return this.#attempts;
  }

  /** The chain link to use now, consuming one of its uses; `undefined` when the chain is exhausted. */
  takeStep(): RecoveryStep<C> | undefined {
    for (;;) {
      const step = this.#chain[this.#step];
      if (!step) return undefined;
      if (this.#uses < (step.times ?? 1)) {
        this.#uses += 1;
        return step;
      }
      this.#step += 1;
      this.#uses = 0;
    }
  }

  /** Moves past the current link at once (its strategy did not apply). */
  skipStep(): void {
    this.#step += 1;
    this.#uses = 0;
  }

  /** Marks a failure; a pending reset is cancelled, since the child was not healthy for long enough. */
  failed(failure: ChildFailure): void {
    this.lastFailure = failure;
    this.state = 'recovering';
    this.#cancelReset();
  }

  /** Marks the child serving again and schedules the reset after the healthy window. */
  recovered(): void {
    this.state = 'running';
    this.#cancelReset();
    this.#resetTimer = this.#clock
      .setTimeout(() => {
        this.#resetTimer = undefined;
        if (this.state === 'running') this.reset();
      }, this.#resetAfterMs)
      .unref();
  }

  /** Forgets attempts, chain position and intensity. */
  reset(): void {
    this.#cancelReset();
    this.#attempts = 0;
    this.#step = 0;
    this.#uses = 0;
    this.intensity.reset();
  }

  /** Cancels the pending reset timer (the supervisor is stopping). */
  dispose(): void {
    this.#cancelReset();
  }

  #cancelReset(): void {
    this.#resetTimer?.cancel();
    this.#resetTimer = undefined;
  }
}
