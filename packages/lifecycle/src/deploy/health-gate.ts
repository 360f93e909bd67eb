import type { Clock, PluginControl } from '@trellis/core';

/** How long and how often a health gate asks. */
export interface HealthGateOptions {
  /** The plugins must be healthy within this long; default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Pause between two rounds of asking; default 100 ms. */
  readonly intervalMs?: number;
}

/** The verdict of a health gate. */
export type HealthGateResult =
  | { readonly passed: true; readonly durationMs: number }
  | { readonly passed: false; readonly durationMs: number; readonly reason: string };

/**
 * Waits until every plugin of `names` is active and its health check passes, within the
 * deadline. A plugin that is failed ends the wait at once (a start error will not heal by
 * waiting); one that is still starting or answers `warn` / `fail` is asked again.
 */
export async function runHealthGate(
  control: PluginControl,
  names: readonly string[],
  clock: Clock,
  options: HealthGateOptions = {},
): Promise<HealthGateResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const began = clock.now();
  let reason = 'no answer yet';
  for (;;) {
    let healthy = true;
    for (const name of names) {
      const summary = control.get(name);
      if (summary === undefined || summary.state === 'failed') {
        const why = summary?.error ? `${summary.error.code}: ${summary.error.message}` : 'not running';
        return { passed: false, durationMs: clock.now() - began, reason: `"${name}" failed (${why})` };
      }
      if (summary.state !== 'active') {
        healthy = false;
        reason = `"${name}" is ${summary.state}`;
        break;
      }
      const result = await control.health(name);
      if (result.status !== 'pass') {
        healthy = false;
        reason = `"${name}" reports ${result.status}${result.message ? `: ${result.message}` : ''}`;
        break;
      }
    }
    const elapsed = clock.now() - began;
    if (healthy) return { passed: true, durationMs: elapsed };
    if (elapsed >= timeoutMs) {
      return { passed: false, durationMs: elapsed, reason: `not healthy within ${timeoutMs} ms: ${reason}` };
    }
    await new Promise<void>((resolve) =>
      clock.setTimeout(resolve, Math.min(intervalMs, timeoutMs - elapsed)),
    );
  }
}
