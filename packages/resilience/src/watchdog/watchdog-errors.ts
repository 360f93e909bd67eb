import { TrellisError } from '@trellis/core';

/** Every error code the event-loop watchdog raises; merge into the package's list and `docs/errors.md`. */
export const WATCHDOG_ERROR_CODES = [
  'WATCHDOG_CONFIG_INVALID',
  'WATCHDOG_WORKER_NOT_FOUND',
  'WATCHDOG_WORKER_FAILED',
] as const;

/** A code from {@link WATCHDOG_ERROR_CODES}. */
export type WatchdogErrorCode = (typeof WATCHDOG_ERROR_CODES)[number];

/** Watchdog options that do not match {@link WatchdogConfigSchema}; `issues` lists each problem. */
export class WatchdogConfigInvalidError extends TrellisError {
  constructor(issues: readonly string[]) {
    super(
      'WATCHDOG_CONFIG_INVALID',
      `Invalid event-loop watchdog options:\n${issues.map((i) => `  - ${i}`).join('\n')}`,
      {
        fix: 'Correct the listed options; every field, its default and its range are documented on WatchdogConfigSchema.',
        details: { issues },
      },
    );
  }
}

/** The compiled worker script is missing: the package was not built, or was bundled without it. */
export class WatchdogWorkerNotFoundError extends TrellisError {
  constructor(path: string) {
    super('WATCHDOG_WORKER_NOT_FOUND', `The watchdog worker script was not found at ${path}.`, {
      fix: 'Build @trellis/resilience (pnpm turbo run build) so dist/watchdog/watchdog-worker.js exists, or pass workerPath when bundling.',
      details: { path },
    });
  }
}

/** The watchdog thread could not start, or died before reporting ready. */
export class WatchdogWorkerFailedError extends TrellisError {
  constructor(path: string, cause: unknown) {
    super('WATCHDOG_WORKER_FAILED', `The watchdog worker (${path}) failed to start.`, {
      fix: 'Check that the worker script is the one built with this package version and that worker threads are allowed (no --disallow-code-generation policies on it).',
      details: { path },
      cause,
    });
  }
}
