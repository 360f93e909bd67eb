import { z } from 'zod';
import { WatchdogConfigInvalidError } from './watchdog-errors.js';

// Timers take at most a signed 32-bit delay; a longer one would fire at once.
const millis = z.number().int().positive().max(2_147_483_647);

/** Settings of {@link EventLoopWatchdog}, with their defaults. */
export const WatchdogConfigSchema = z
  .object({
    /** How long the loop may stall before it is reported, ms; default 1,000. */
    thresholdMs: millis.default(1_000),
    /** Period of the main thread's heartbeat, ms; default 50. The report's precision. */
    heartbeatMs: millis.default(50),
    /** How often the watchdog thread looks, ms; default thresholdMs / 10, within 10..100. */
    pollMs: millis.optional(),
    /** Write each report as a JSON line to stderr (fd 2, written from the watchdog thread); default true. */
    stderr: z.boolean().default(true),
    /** Also append each report as a JSON line to this file. */
    reportFile: z.string().min(1).optional(),
    /**
     * Kill the process once the loop has stalled this long, ms, so a supervisor (Kubernetes,
     * systemd) restarts it; default off. Only a signal can do it: the blocked thread runs no JS.
     */
    killAfterMs: millis.optional(),
    /**
     * Signal sent at `killAfterMs`; default `SIGKILL`. `SIGABRT` leaves a core dump. SIGTERM is not
     * offered: a JS SIGTERM handler (graceful shutdown) would wait for the blocked loop forever.
     */
    killSignal: z.enum(['SIGKILL', 'SIGABRT']).default('SIGKILL'),
    /**
     * Name the plugin whose code runs (async hooks plus a wrapper of AsyncLocalStorage#run while
     * the watchdog runs); default true. Off leaves only the heartbeat: no per-callback cost.
     */
    trackPlugins: z.boolean().default(true),
    /** Resolution of the event-loop delay histogram (`monitorEventLoopDelay`), ms; default 10. */
    delayResolutionMs: millis.default(10),
    /** The worker script; default `dist/watchdog/watchdog-worker.js` of this package. For bundlers. */
    workerPath: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => c.heartbeatMs < c.thresholdMs, {
    message: 'heartbeatMs must be below thresholdMs',
    path: ['heartbeatMs'],
  })
  .refine((c) => c.killAfterMs === undefined || c.killAfterMs > c.thresholdMs, {
    message: 'killAfterMs must be above thresholdMs',
    path: ['killAfterMs'],
  });

/** Watchdog settings with defaults applied; see {@link WatchdogConfigSchema}. */
export type WatchdogConfig = z.infer<typeof WatchdogConfigSchema> & { readonly pollMs: number };

/** Watchdog settings as callers write them. */
export type WatchdogConfigInput = z.input<typeof WatchdogConfigSchema>;

/** Validates watchdog settings; throws {@link WatchdogConfigInvalidError} listing every problem. */
export function parseWatchdogConfig(input: unknown): WatchdogConfig {
  const parsed = WatchdogConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new WatchdogConfigInvalidError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`),
    );
  }
  const pollMs = parsed.data.pollMs ?? Math.min(100, Math.max(10, Math.round(parsed.data.thresholdMs / 10)));
  return { ...parsed.data, pollMs };
}
