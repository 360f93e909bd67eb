// Helpers every timed trial uses: waiting for a bus event, polling a route until it answers.
import type { EventBus, TrellisEvents } from '@trellis/core';
import type { PluginExitedEvent } from '@trellis/lifecycle';
import type { BenchHost } from './bench-host.js';
import { sleep, waitFor } from './measure.js';

/** An event and the `performance.now()` at which the bus delivered it. */
export interface Stamped<T> {
  readonly at: number;
  readonly event: T;
}

/**
 * Resolves with the next `name` event that `match` accepts, stamped on delivery; rejects after
 * `timeoutMs`. Subscribe before triggering what should cause it.
 */
export function nextEvent<K extends keyof TrellisEvents & string>(
  bus: EventBus<TrellisEvents>,
  name: K,
  match: (event: TrellisEvents[K]) => boolean,
  timeoutMs = 15_000,
): Promise<Stamped<TrellisEvents[K]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no ${name} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = bus.on(name, (event) => {
      if (!match(event)) return;
      const at = performance.now();
      clearTimeout(timer);
      subscription.dispose();
      resolve({ at, event });
    });
  });
}

/** GETs `url` and resolves with its status once the body is read; network failures are status 0. */
export async function get(url: string): Promise<number> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** What {@link firstOk} saw. */
export interface FirstOk {
  /** `performance.now()` when the first 200 had been received. */
  readonly at: number;
  /** Requests sent, the successful one included. */
  readonly attempts: number;
}

/**
 * GETs `url` one request at a time, `gapMs` apart (0: back to back), until one answers 200 and
 * resolves with when it did.
 */
export async function firstOk(url: string, timeoutMs = 15_000, gapMs = 0): Promise<FirstOk> {
  const deadline = performance.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const status = await get(url);
    if (status === 200) return { at: performance.now(), attempts };
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    if (gapMs > 0 || status === 0) await sleep(Math.max(gapMs, 1));
  }
}

/** One failure and the recovery after it, on the `performance.now()` clock. */
export interface RecoveryTrace {
  /** When the failure was caused (the request that triggers it was sent, or `kill` was called). */
  readonly startedAt: number;
  /** The `plugin.exited` event. */
  readonly exit: Stamped<PluginExitedEvent>;
  /** The transition back to `active` (the supervisor's restart finished). */
  readonly activeAt: number;
  /** The first 200 from the plugin's `/ping` after the exit. */
  readonly servingAt: number;
  /** Of the restart: load (spawn and import), setup and start of the new instance, ms. */
  readonly coldStartMs: number;
}

/** Pause between the requests of the poller that looks for the first 200 after a failure, ms. */
export const POLL_GAP_MS = 2;

/** Waits until `name` is active and answers `/ping`, then lets the last teardown settle. */
export async function ensureServing(bench: BenchHost, name: string): Promise<void> {
  await waitFor(() => bench.manager.get(name)?.state === 'active', `${name} to be active`);
  await firstOk(`${bench.url}/plugins/${name}/ping`);
  await sleep(100);
}

/**
 * Runs one failure of `name`: subscribes to its `plugin.exited` and its next transition to
 * `active`, calls `cause` (which returns when the failure was caused), then polls `/ping` every
 * {@link POLL_GAP_MS} ms from the exit on until it answers 200.
 */
export async function recover(
  bench: BenchHost,
  name: string,
  cause: () => Promise<number>,
  exitTimeoutMs = 15_000,
): Promise<RecoveryTrace> {
  await ensureServing(bench, name);
  const bus = bench.platform.events;
  const exited = nextEvent(bus, 'plugin.exited', (e) => e.plugin === name, exitTimeoutMs);
  const active = nextEvent(
    bus,
    'plugin.transition',
    (e) => e.plugin === name && e.to === 'active',
    exitTimeoutMs + 15_000,
  );
  const startedAt = await cause();
  const exit = await exited;
  const serving = await firstOk(`${bench.url}/plugins/${name}/ping`, 15_000, POLL_GAP_MS);
  const activeAt = (await active).at;
  const timings = bench.manager.details(name).timings;
  return {
    startedAt,
    exit,
    activeAt,
    servingAt: serving.at,
    coldStartMs: timings.loadMs + timings.setupMs + timings.startMs,
  };
}
