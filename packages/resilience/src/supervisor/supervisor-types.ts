import type { HealthCheckResult } from '@trellis/core';

/** A process-like thing a {@link Supervisor} keeps running. */
export interface SupervisedChild {
  /** Unique within its supervisor. */
  readonly name: string;
  /** Brings the child up; resolving means it serves. */
  start(): Promise<void>;
  /** Takes the child down; also called on a child that already died, so it must tolerate that. */
  stop(): Promise<void>;
  /** Polled when the supervisor's health polling is on; `fail` (or a throw) counts toward a failure. */
  health?(): Promise<HealthCheckResult>;
}

/** Where the supervisor learnt of a failure. */
export type FailureSource = 'reported' | 'health' | 'exited' | 'transition' | 'recovery';

/** One failure of a child, as recovery strategies receive it. */
export interface ChildFailure {
  /** Human-readable cause, e.g. `runtime crash` or the error message. */
  readonly reason: string;
  readonly source: FailureSource;
  /** Epoch ms, from the supervisor's clock. */
  readonly at: number;
  /** The error, when there is one. */
  readonly error?: unknown;
}

/**
 * A child's state under supervision: `running`; `recovering` between its failure and its recovery;
 * `given-up` once the intensity or the recovery chain ran out; `disabled` by a `disable` strategy;
 * `stopped` with the supervisor (or, under `rest_for_one`, because an earlier child gave up).
 */
export type SupervisedChildState = 'idle' | 'running' | 'recovering' | 'given-up' | 'disabled' | 'stopped';

/** One child in {@link Supervisor.status}. */
export interface SupervisedChildStatus {
  readonly name: string;
  readonly state: SupervisedChildState;
  /** Restart attempts since the last reset (they drive the backoff). */
  readonly attempts: number;
  readonly lastFailure?: ChildFailure;
}
