import type { Clock } from '@trellis/core';

/**
 * Waits `ms` on `clock`; resolves true when the time passed, false when `signal` aborted first.
 * Never rejects, so callers branch instead of catching.
 */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock
      .setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms)
      .unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
