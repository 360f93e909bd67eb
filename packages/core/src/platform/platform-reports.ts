import type { ModuleStopOutcome } from '../events/trellis-events.js';

/** The lifecycle of a platform. */
export type PlatformState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped' | 'failed';

/** How long one module took to register and start. */
export interface ModuleStartTiming {
  readonly module: string;
  readonly registerMs: number;
  readonly startMs: number;
}

/** Returned by `Platform.start()`. */
export interface StartReport {
  readonly platform: string;
  readonly durationMs: number;
  /** Modules in start order. */
  readonly modules: readonly ModuleStartTiming[];
  /** True when `stop()` was called before every module had started. */
  readonly interrupted: boolean;
}

/** How one module stopped. */
export interface ModuleStopResult {
  readonly module: string;
  readonly outcome: ModuleStopOutcome;
  readonly durationMs: number;
  /** The error message when the outcome is `failed` or `timeout`. */
  readonly error?: string;
}

/** Returned by `Platform.stop()`. */
export interface StopReport {
  readonly platform: string;
  readonly reason: string;
  readonly durationMs: number;
  /** Modules in stop order (reverse of start). */
  readonly modules: readonly ModuleStopResult[];
  /** True when every module stopped cleanly inside its deadline. */
  readonly clean: boolean;
}
