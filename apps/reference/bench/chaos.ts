// Section 3: availability under chaos. The real reference app (startReferenceApp with the sample
// plugins and the shipped config/default.yaml) serves a steady open-loop load from a separate
// process while `primes` (worker) is killed every second for a minute, as a chaos `crash` would.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ConsoleLogger } from '@trellis/core';
import { startReferenceApp } from '@trellis/reference';
import { type RunningLoad, startLoad } from './load.js';
import type { LoadResult, LoadTarget } from './load-client.js';
import { sleep, waitFor } from './measure.js';

/** Seconds of chaos: one crash per second. */
export const CHAOS_SECONDS = 60;
/** The plugin killed every second. */
export const CRASHING = 'primes';

/**
 * The supervisor backoff of this run: the app's defaults (100 ms initial, ×2, 20% jitter) but
 * capped at 400 ms, so every restart lands before the next crash. With the default 30 s cap the
 * delays outgrow the 1 s period after four crashes and most kills would find primes still down.
 */
export const CHAOS_BACKOFF = { initialMs: 100, maxMs: 400, multiplier: 2, jitter: 0.2 } as const;

/** Restart intensity of this run: the shipped 5 restarts in 30 s would give up after 5 crashes. */
export const CHAOS_INTENSITY = { maxRestarts: 1_000, periodMs: 60_000 } as const;

/** The steady load on the other plugins (200 req/s) plus the probe of the crashing one. */
export const CHAOS_LOAD: readonly LoadTarget[] = [
  { name: 'hello `GET /plugins/hello` (inline)', method: 'GET', path: '/plugins/hello', ratePerSec: 50 },
  { name: 'notes `GET /plugins/notes` (process)', method: 'GET', path: '/plugins/notes', ratePerSec: 50 },
  {
    name: 'notes `POST /plugins/notes` (process)',
    method: 'POST',
    path: '/plugins/notes',
    body: { text: 'bench note' },
    ratePerSec: 50,
  },
  {
    name: 'weather `GET /plugins/weather/forecast/oslo` (inline, flaky upstream)',
    method: 'GET',
    path: '/plugins/weather/forecast/oslo',
    ratePerSec: 50,
  },
  {
    name: 'primes `GET /plugins/primes/nth/1000` (worker, crashing)',
    method: 'GET',
    path: '/plugins/primes/nth/1000',
    ratePerSec: 100,
    timeline: true,
  },
];

/** One kill of the crashing plugin. */
export interface ChaosCrash {
  /** Epoch ms (with fractions) of the kill. */
  readonly at: number;
  /** The plugin was active when killed (a kill of a plugin still down does nothing). */
  readonly hit: boolean;
}

/** Everything section 3 saw. */
export interface ChaosResults {
  readonly load: LoadResult;
  readonly crashes: readonly ChaosCrash[];
  /** `supervisor.restart` delays of the crashing plugin, ms, in order. */
  readonly delaysMs: readonly number[];
  /** `supervisor.recovered` downtimes of the crashing plugin, ms, in order. */
  readonly downMs: readonly number[];
  /** `supervisor.gave-up` events. */
  readonly gaveUp: number;
  /** Host event-loop delay during the run, ms. */
  readonly loopDelay: { readonly p99: number; readonly max: number };
  /** Plugins and their isolation, as the app ran them. */
  readonly plugins: readonly string[];
}

/** Runs section 3 for `seconds` crashes, one per second (about `seconds` + 5 s). */
export async function measureChaos(seconds = CHAOS_SECONDS): Promise<ChaosResults> {
  const app = await startReferenceApp({
    pluginsDir: fileURLToPath(new URL('../plugins', import.meta.url)),
    configDir: fileURLToPath(new URL('../config', import.meta.url)),
    logger: new ConsoleLogger({ level: 'silent' }),
    overrides: {
      'http.port': 0,
      'resilience.supervisor.backoff': CHAOS_BACKOFF,
      'resilience.supervisor.intensity': CHAOS_INTENSITY,
      'resilience.chaos.enabled': false,
    },
  });
  const manager = app.plugins.manager;
  if (!manager) throw new Error('the reference app did not boot its plugins');
  const plugins = manager.list().map((p) => `${p.name} (${p.isolation}, ${p.state})`);
  const delaysMs: number[] = [];
  const downMs: number[] = [];
  let gaveUp = 0;
  const subscriptions = [
    app.platform.events.on('supervisor.restart', (e) => {
      if (e.child === CRASHING) delaysMs.push(e.delayMs);
    }),
    app.platform.events.on('supervisor.recovered', (e) => {
      if (e.child === CRASHING) downMs.push(e.downMs);
    }),
    app.platform.events.on('supervisor.gave-up', (e) => {
      if (e.child === CRASHING) gaveUp += 1;
    }),
  ];
  const crashes: ChaosCrash[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let load: RunningLoad | undefined;
  try {
    load = await startLoad(app.url, CHAOS_LOAD);
    loop.enable();
    // A moment of steady traffic first; then one kill per second on a drift-free schedule.
    const began = performance.now() + 500;
    for (let second = 0; second < seconds; second++) {
      await sleep(Math.max(0, began + second * 1_000 - performance.now()));
      const hit = manager.get(CRASHING)?.state === 'active';
      crashes.push({ at: performance.timeOrigin + performance.now(), hit });
      manager.kill(CRASHING, 'bench: crash every second');
    }
    await waitFor(() => manager.get(CRASHING)?.state === 'active', `${CRASHING} to recover`, 10_000);
    await sleep(500);
    loop.disable();
    const result = await load.stop();
    return {
      load: result,
      crashes,
      delaysMs,
      downMs,
      gaveUp,
      loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      plugins,
    };
  } finally {
    load?.abort();
    for (const subscription of subscriptions) subscription.dispose();
    await app.platform.stop();
  }
}

/**
 * Client-seen downtime of each crash: from the kill to the answer of the first request sent after
 * it that got a 200, ms; NaN when none did before the next kill.
 */
export function clientDowntimes(results: ChaosResults): number[] {
  const probe = results.load.targets.find((t) => t.timeline.length > 0);
  if (!probe) return [];
  const timeline = [...probe.timeline].sort((a, b) => a[0] - b[0]);
  return results.crashes
    .filter((crash) => crash.hit)
    .map((crash) => {
      const first = timeline.find(([sentAt, , status]) => sentAt >= crash.at && status === 200);
      return first ? first[1] - crash.at : Number.NaN;
    });
}
