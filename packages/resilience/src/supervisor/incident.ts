import { type Clock, describeError } from '@trellis/core';
import { restartDelay } from './backoff.js';
import type { ChildTracker } from './child-tracker.js';
import type { RecoveryChild, RecoveryContext, RecoveryOutcome } from './recovery.js';
import { sleep } from './sleep.js';
import type { BackoffConfig, IntensityConfig } from './supervisor-config.js';
import type { SupervisorEmitter } from './supervisor-events.js';
import type { ChildFailure } from './supervisor-types.js';

/** How one incident (a failure and the attempts to recover from it) ended. */
export type IncidentOutcome = 'recovered' | 'gave-up' | 'disabled' | 'cancelled';

/**
 * What a check right before an attempt found: go on, the child already recovered by other means
 * (an operator restarted it), or the incident no longer matters (the supervisor stopped, another
 * incident took the child over).
 */
export type IncidentPrecheck = 'proceed' | 'recovered' | 'cancelled';

/** Everything {@link runIncident} needs from the supervisor that owns the child. */
export interface IncidentDeps<C extends RecoveryChild> {
  readonly supervisor: string;
  readonly child: C;
  readonly tracker: ChildTracker<C>;
  readonly backoff: BackoffConfig;
  readonly intensity: IntensityConfig;
  readonly clock: Clock;
  readonly random: () => number;
  /** Aborted when the supervisor stops. */
  readonly signal: AbortSignal;
  readonly emit: SupervisorEmitter;
  /** Children restarted with this one, now (the set can change between attempts). */
  readonly with: () => readonly string[];
  /** Restart and disable, bound to this child. */
  readonly actions: Pick<RecoveryContext, 'restart' | 'disable'>;
  /** Asked before every attempt; default `proceed`. */
  readonly precheck?: () => IncidentPrecheck;
  /** Runs an attempt exclusively, so attempts on overlapping children never interleave. */
  readonly exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
}

/**
 * Runs one incident to its end: picks the chain link, enforces the restart intensity, waits the
 * backoff, runs the strategy, and repeats on failure. Emits `supervisor.restart` before each
 * restart, `supervisor.recovered` with the downtime, and `supervisor.gave-up` (an alert) when the
 * intensity or the chain runs out, or a strategy disabled the child.
 */
export async function runIncident<C extends RecoveryChild>(
  deps: IncidentDeps<C>,
  failure: ChildFailure,
): Promise<IncidentOutcome> {
  const { tracker, clock } = deps;
  const downSince = failure.at;
  let current = failure;
  tracker.failed(failure);
  const check = () => (deps.signal.aborted ? 'cancelled' : (deps.precheck?.() ?? 'proceed'));
  const recovered = (): IncidentOutcome => {
    tracker.recovered();
    deps.emit('supervisor.recovered', {
      supervisor: deps.supervisor,
      child: deps.child.name,
      downMs: clock.now() - downSince,
    });
    return 'recovered';
  };
  const giveUp = (state: 'given-up' | 'disabled', reason: string): IncidentOutcome => {
    tracker.state = state;
    deps.emit('supervisor.gave-up', {
      supervisor: deps.supervisor,
      child: deps.child.name,
      restarts: tracker.intensity.count(clock.now()),
      withinMs: deps.intensity.periodMs,
      reason,
    });
    return state === 'disabled' ? 'disabled' : 'gave-up';
  };

  for (;;) {
    const before = check();
    if (before === 'cancelled') return 'cancelled';
    if (before === 'recovered') return recovered();
    const step = tracker.takeStep();
    if (!step) return giveUp('given-up', `recovery chain exhausted after: ${current.reason}`);
    const restarts = step.strategy.restarts !== false;
    const attempt = restarts ? tracker.nextAttempt() : tracker.attempts;
    if (restarts) {
      if (!tracker.intensity.tryRecord(clock.now())) {
        return giveUp(
          'given-up',
          `more than ${deps.intensity.maxRestarts} restarts within ${deps.intensity.periodMs} ms; last failure: ${current.reason}`,
        );
      }
      const delayMs = restartDelay(attempt, deps.backoff, deps.random);
      deps.emit('supervisor.restart', {
        supervisor: deps.supervisor,
        child: deps.child.name,
        with: deps.with(),
        attempt,
        delayMs,
        reason: current.reason,
      });
      if (!(await sleep(clock, delayMs, deps.signal))) return 'cancelled';
    }
    const outcome = await (deps.exclusive ?? ((run) => run()))(
      async (): Promise<RecoveryOutcome | Exclude<IncidentPrecheck, 'proceed'>> => {
        const now = check();
        if (now !== 'proceed') return now;
        const context: RecoveryContext = {
          supervisor: deps.supervisor,
          attempt,
          with: deps.with(),
          signal: deps.signal,
          restart: deps.actions.restart,
          disable: deps.actions.disable,
        };
        return step.strategy(deps.child, current, context);
      },
    );
    if (outcome === 'cancelled') return 'cancelled';
    if (outcome === 'recovered') return recovered();
    switch (outcome.status) {
      case 'recovered':
        return recovered();
      case 'disabled':
        return giveUp(
          'disabled',
          `disabled by the ${step.strategy.label ?? 'custom'} strategy after: ${current.reason}`,
        );
      case 'skipped':
        tracker.skipStep();
        break;
      case 'failed':
        current = {
          reason: describeError(outcome.error),
          source: 'recovery',
          at: clock.now(),
          error: outcome.error,
        };
        tracker.lastFailure = current;
        break;
    }
  }
}
