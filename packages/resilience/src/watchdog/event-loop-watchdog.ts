import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { type Disposer, type EventBus, type Logger, type TrellisEvents, toDisposer } from '@trellis/core';
import '../events/resilience-events.js';
import { EventLoopDelayMonitor, type EventLoopDelayStats } from './event-loop-delay.js';
import { locateWatchdogWorker } from './locate-worker.js';
import { PluginScopeTracker } from './scope-tracker.js';
import { WatchdogSharedState } from './shared-state.js';
import { parseWatchdogConfig, type WatchdogConfig, type WatchdogConfigInput } from './watchdog-config.js';
import { WatchdogWorkerFailedError } from './watchdog-errors.js';
import type {
  PluginNameMessage,
  WatchdogReport,
  WatchdogWorkerData,
  WatchdogWorkerMessage,
} from './watchdog-protocol.js';

/** Options of {@link EventLoopWatchdog}: {@link WatchdogConfigSchema}'s fields plus services. */
export interface EventLoopWatchdogOptions extends WatchdogConfigInput {
  /** Receives `watchdog.blocked` once the loop turns again after a stall. */
  readonly bus?: EventBus<TrellisEvents>;
  /** Gets an error record per stall, naming the plugin. */
  readonly logger?: Logger;
}

/** What {@link EventLoopWatchdog.stats} reports. */
export interface WatchdogStats {
  /** Event-loop delay percentiles since the last reset. */
  readonly delay: EventLoopDelayStats;
  /** Stalls past the threshold since the last reset. */
  readonly stalls: number;
  /** The latest report of the watchdog thread, if any. */
  readonly lastReport?: WatchdogReport;
}

interface Running {
  readonly worker: Worker;
  readonly state: WatchdogSharedState;
  readonly names: MessagePort;
  readonly heartbeat: NodeJS.Timeout;
  readonly tracker: PluginScopeTracker | undefined;
}

/**
 * Names the plugin whose code blocked the event loop, the way VS Code's extension profiler blames
 * an extension, so a hang has a culprit and not only a symptom.
 *
 * The main thread beats a heartbeat into shared memory on an unref'd timer and, while running,
 * writes the id of the plugin scope whose code runs into another shared slot (see
 * {@link PluginScopeTracker}). A worker thread, on its own event loop, polls that memory; when
 * the heartbeat is late by `thresholdMs` it reports at once — while the main thread is still
 * stuck — as a JSON line on stderr (and `reportFile`), and posts the report, which becomes a
 * `watchdog.blocked` event and a logger error once the loop turns. With `killAfterMs` it kills
 * the process so a supervisor restarts it.
 *
 * @example
 * ```ts
 * const watchdog = new EventLoopWatchdog({ thresholdMs: 1_000, bus, logger });
 * await watchdog.start();
 * // stderr: {"source":"trellis-watchdog","kind":"blocked","blockedMs":1004,"plugin":"reports",...}
 * ```
 */
export class EventLoopWatchdog {
  readonly #config: WatchdogConfig;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  readonly #logger: Logger | undefined;
  readonly #delay: EventLoopDelayMonitor;
  readonly #listeners = new Set<(report: WatchdogReport) => void>();
  #starting: Promise<void> | undefined;
  #running: Running | undefined;
  #stalls = 0;
  #lastReport: WatchdogReport | undefined;

  constructor(options: EventLoopWatchdogOptions = {}) {
    const { bus, logger, ...config } = options;
    this.#config = parseWatchdogConfig(config);
    this.#bus = bus;
    this.#logger = logger;
    this.#delay = new EventLoopDelayMonitor(this.#config.delayResolutionMs);
  }

  /** The settings in force, defaults applied. */
  get config(): WatchdogConfig {
    return this.#config;
  }

  /** True once {@link start} has resolved, until {@link stop} (or the watchdog thread died). */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Starts the watchdog thread and the heartbeat; resolves once the thread watches. Idempotent. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /** Stops watching: ends the thread, the heartbeat, and plugin tracking. Idempotent. */
  async stop(): Promise<void> {
    const starting = this.#starting;
    if (!starting) return;
    await starting.catch(() => {});
    this.#starting = undefined;
    const running = this.#running;
    if (!running) return;
    this.#teardown(running);
    await running.worker.terminate();
  }

  /** Calls `listener` with every report of the watchdog thread, once the main loop runs again. */
  onReport(listener: (report: WatchdogReport) => void): Disposer {
    const wrapped = (report: WatchdogReport) => listener(report);
    this.#listeners.add(wrapped);
    return toDisposer(() => this.#listeners.delete(wrapped));
  }

  /** Event-loop delay percentiles and stall counts since the last {@link resetStats}. */
  stats(): WatchdogStats {
    return {
      delay: this.#delay.stats(),
      stalls: this.#stalls,
      ...(this.#lastReport ? { lastReport: this.#lastReport } : {}),
    };
  }

  /** Clears the delay histogram and the stall count. */
  resetStats(): void {
    this.#delay.reset();
    this.#stalls = 0;
    this.#lastReport = undefined;
  }

  async #start(): Promise<void> {
    const path = this.#config.workerPath ?? locateWatchdogWorker();
    const state = new WatchdogSharedState();
    state.beat();
    const { port1: names, port2: workerNames } = new MessageChannel();
    const data: WatchdogWorkerData = {
      ints: state.ints.buffer as SharedArrayBuffer,
      beatAt: state.beatAt.buffer as SharedArrayBuffer,
      slots: state.slots,
      namesPort: workerNames,
      thresholdMs: this.#config.thresholdMs,
      heartbeatMs: this.#config.heartbeatMs,
      pollMs: this.#config.pollMs,
      stderr: this.#config.stderr,
      killSignal: this.#config.killSignal,
      ...(this.#config.reportFile !== undefined ? { reportFile: this.#config.reportFile } : {}),
      ...(this.#config.killAfterMs !== undefined ? { killAfterMs: this.#config.killAfterMs } : {}),
    };
    const worker = new Worker(path, {
      workerData: data,
      transferList: [workerNames],
      name: 'trellis-watchdog',
      // The host's flags (--input-type, --import tsx, --inspect...) are not the worker's business
      // and some of them stop it from loading; it needs nothing beyond node builtins.
      execArgv: [],
    });
    await whenReady(worker, path);
    // Neither the watchdog thread nor the heartbeat may keep a finished process alive.
    worker.unref();
    names.unref();
    const tracker = this.#config.trackPlugins
      ? new PluginScopeTracker(state, (id, name) => {
          const message: PluginNameMessage = { id, name };
          names.postMessage(message);
        })
      : undefined;
    const heartbeat = setInterval(() => state.beat(), this.#config.heartbeatMs);
    heartbeat.unref();
    const running: Running = { worker, state, names, heartbeat, tracker };
    worker.on('message', (message: WatchdogWorkerMessage) => {
      if (message.type === 'report') this.#onReport(message.report);
    });
    worker.on('error', (error) => this.#logger?.error({ err: error }, 'event-loop watchdog thread failed'));
    worker.on('exit', (code) => {
      if (this.#running !== running) return;
      this.#logger?.error({ code }, 'event-loop watchdog thread exited; the event loop is no longer watched');
      this.#teardown(running);
      this.#starting = undefined;
    });
    tracker?.enable();
    this.#delay.enable();
    this.#running = running;
  }

  #teardown(running: Running): void {
    if (this.#running === running) this.#running = undefined;
    clearInterval(running.heartbeat);
    running.tracker?.disable();
    running.names.close();
    this.#delay.disable();
  }

  #onReport(report: WatchdogReport): void {
    this.#lastReport = report;
    if (report.kind === 'blocked') this.#stalls += 1;
    for (const listener of this.#listeners) listener(report);
    // Announced when the loop turned again: the report then carries the whole stall.
    if (report.kind !== 'resumed') return;
    const who = report.plugin !== undefined ? `plugin "${report.plugin}"` : 'host code';
    this.#logger?.error(
      { blockedMs: report.blockedMs, thresholdMs: report.thresholdMs, plugin: report.plugin },
      `event loop blocked for ${report.blockedMs} ms by ${who}`,
    );
    if (this.#bus && this.#bus.listenerCount('watchdog.blocked') > 0) {
      this.#bus.emit('watchdog.blocked', {
        blockedMs: report.blockedMs,
        ...(report.plugin !== undefined ? { plugin: report.plugin } : {}),
      });
    }
  }
}

function whenReady(worker: Worker, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: WatchdogWorkerMessage) => {
      if (message.type !== 'ready') return;
      cleanup();
      resolve();
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(new WatchdogWorkerFailedError(path, error));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new WatchdogWorkerFailedError(path, new Error(`exited with code ${code} before it was ready`)));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
