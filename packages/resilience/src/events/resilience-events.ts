import type { HealthProbe, HealthStatus } from '@trellis/core';

/** A failure as events carry it: plain data. */
export interface EventError {
  readonly code: string;
  readonly message: string;
}

/** Why a call was refused without running. */
export type RejectReason =
  | 'breaker-open'
  | 'bulkhead-full'
  | 'budget-exhausted'
  | 'concurrency-limit'
  | 'ejected'
  | 'load-shed';

/** A circuit breaker's state. `isolated`: held open by hand. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** The events `@trellis/resilience` publishes; observability turns them into metrics. */
export interface ResilienceEvents {
  /** A call failed and will be tried again after `delayMs`. */
  'resilience.retry': {
    readonly policy: string;
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: EventError;
  };
  /** A breaker changed state. */
  'resilience.breaker': {
    readonly policy: string;
    readonly from: BreakerState;
    readonly to: BreakerState;
    readonly reason: string;
  };
  /** A call was refused without running. */
  'resilience.reject': { readonly policy: string; readonly reason: RejectReason };
  /** A call ran out of time. */
  'resilience.timeout': { readonly policy: string; readonly timeoutMs: number };
  /** A member of a pool (a plugin, an upstream) was taken out of rotation, or put back. */
  'resilience.ejection': {
    readonly pool: string;
    readonly member: string;
    readonly ejected: boolean;
    /** How long it stays out, ms (0 when put back). */
    readonly forMs: number;
    readonly ejections: number;
  };
  /** An adaptive concurrency limit moved. */
  'resilience.limit': { readonly limiter: string; readonly from: number; readonly to: number };
  /** A supervisor is restarting a child after `delayMs`. */
  'supervisor.restart': {
    readonly supervisor: string;
    readonly child: string;
    /** The children restarted with it (`rest_for_one`), in start order. */
    readonly with: readonly string[];
    readonly attempt: number;
    readonly delayMs: number;
    readonly reason: string;
  };
  /** A restarted child is serving again. */
  'supervisor.recovered': { readonly supervisor: string; readonly child: string; readonly downMs: number };
  /** Restart intensity exceeded: the supervisor gave up on a child. An alert. */
  'supervisor.gave-up': {
    readonly supervisor: string;
    readonly child: string;
    readonly restarts: number;
    readonly withinMs: number;
    readonly reason: string;
  };
  /** A trend predicts a failure; `action` is what was done about it, `evidence` why. */
  'prediction.raised': {
    readonly plugin: string;
    readonly kind: 'memory-exhaustion' | 'error-budget' | 'latency';
    /** When the failure is expected, ms from now. */
    readonly inMs: number;
    readonly action: 'shed-load' | 'open-breaker' | 'recycle' | 'none';
    readonly evidence: Readonly<Record<string, number>>;
  };
  /** A probe's aggregate status changed. */
  'health.changed': {
    readonly probe: HealthProbe;
    readonly from: HealthStatus;
    readonly to: HealthStatus;
    /** Names of the checks not passing, with their reason. */
    readonly failing: Readonly<Record<string, string>>;
  };
  /** The event loop was blocked; `plugin` is whose code was running, when known. */
  'watchdog.blocked': { readonly blockedMs: number; readonly plugin?: string };
  /** Chaos injected a fault. */
  'chaos.injected': { readonly target: string; readonly fault: 'latency' | 'error' | 'crash' | 'hang' };
}

declare module '@trellis/core' {
  interface TrellisEvents extends ResilienceEvents {}
}
