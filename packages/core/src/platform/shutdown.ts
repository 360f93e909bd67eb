import { constants } from 'node:os';
import { type Disposer, toDisposer } from '../disposer.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { Platform } from './platform.js';
import type { StopReport } from './platform-reports.js';

/**
 * A process signal that can ask for shutdown. Spelled out rather than `NodeJS.Signals` so the
 * declarations of `@trellis/core` type-check in projects without `@types/node`.
 */
export type ShutdownSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT' | 'SIGUSR1' | 'SIGUSR2' | 'SIGBREAK';

/** The part of `process` that shutdown handling uses; tests pass a stand-in. */
export interface SignalSource {
  on(signal: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
  off(signal: ShutdownSignal, listener: (signal: ShutdownSignal) => void): unknown;
}

/** Options of {@link installShutdownHandlers}. */
export interface ShutdownOptions {
  /** Default `['SIGINT', 'SIGTERM']`. */
  readonly signals?: readonly ShutdownSignal[];
  /** Deadline for the whole stop; past it the process exits with code 1. Default 30,000 ms. */
  readonly timeoutMs?: number;
  /** Default `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Default `process`. */
  readonly process?: SignalSource;
  /** Default the system clock (not the platform's: a manual test clock must not hold up exit). */
  readonly clock?: Clock;
  /** Called with the stop report before exiting, e.g. to flush logs. */
  readonly onStopped?: (report: StopReport) => void | Promise<void>;
}

/**
 * Stops the platform gracefully on SIGINT/SIGTERM. The first signal stops modules in reverse
 * order, each within its own deadline, then exits 0 (or 1 if a module failed or timed out). A
 * second signal exits at once with 128 + the signal number. If the whole stop outlives
 * `timeoutMs`, the process exits with 1 rather than hang.
 *
 * @returns a disposer that removes the signal handlers.
 */
export function installShutdownHandlers(platform: Platform, options: ShutdownOptions = {}): Disposer {
  const signals: readonly ShutdownSignal[] = options.signals ?? ['SIGINT', 'SIGTERM'];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const source: SignalSource = options.process ?? (process as unknown as SignalSource);
  const clock = options.clock ?? systemClock;
  let shuttingDown = false;
  let exited = false;
  const exitOnce = (code: number) => {
    if (exited) return;
    exited = true;
    exit(code);
  };

  const onSignal = (signal: ShutdownSignal) => {
    if (shuttingDown) {
      platform.logger.warn({ signal }, 'second signal: exiting without waiting for modules');
      exitOnce(128 + (constants.signals[signal] ?? 0));
      return;
    }
    shuttingDown = true;
    platform.logger.info({ signal, timeoutMs }, 'shutting down');
    const deadline = clock
      .setTimeout(() => {
        platform.logger.error({ timeoutMs }, 'shutdown deadline passed: exiting with modules still stopping');
        exitOnce(1);
      }, timeoutMs)
      .unref();
    void platform
      .stop(`received ${signal}`)
      .then(async (report) => {
        await options.onStopped?.(report);
        return report;
      })
      .then(
        (report) => {
          deadline.cancel();
          exitOnce(report.clean ? 0 : 1);
        },
        (error: unknown) => {
          deadline.cancel();
          platform.logger.error({ err: error }, 'shutdown failed');
          exitOnce(1);
        },
      );
  };

  for (const signal of signals) source.on(signal, onSignal);
  return toDisposer(() => {
    for (const signal of signals) source.off(signal, onSignal);
  });
}
