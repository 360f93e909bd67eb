import type { Clock } from '@trellis/core';
import { sleep as wait } from '../policies/sleep.js';

/**
 * Waits `ms` on `clock` without holding the process open; resolves true when the time passed,
 * false when `signal` aborted first. Never rejects, so callers branch instead of catching.
 */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return wait(clock, ms, signal, { unref: true }).then(
    () => true,
    () => false,
  );
}
