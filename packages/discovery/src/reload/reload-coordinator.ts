import { type Clock, type Disposer, type Plugin, systemClock, toDisposer } from '@trellis/core';
import type { LoadResult } from '../load/load-plugin-entry.js';
import { planReload } from './reload-plan.js';

/** What {@link ReloadCoordinator} needs from the plugin host. */
export interface ReloadHost {
  /**
   * Stops a running plugin. Resolves once the calls it was serving have finished (drain first,
   * then run its `stop` hook), so no request is cut off by a reload.
   */
  stop(name: string): Promise<void>;
  /** Loads the changed plugin's code afresh, typically `loadPluginEntry(entry, { fresh: true })`. */
  load(name: string): Promise<LoadResult>;
  /**
   * Starts a plugin. `plugin` is the fresh code of a changed plugin; it is `undefined` for a
   * dependent, which starts again with the code it ran before. A start that fails must leave the
   * plugin stopped.
   */
  start(name: string, plugin?: Plugin): Promise<void>;
  /** Starts the version that ran before the reload again, after the new code failed to start. */
  restorePrevious(name: string): Promise<void>;
}

/** Options of {@link ReloadCoordinator}. */
export interface ReloadCoordinatorOptions {
  /** The plugins that depend directly on `name`. */
  readonly dependents: (name: string) => readonly string[];
  /** Every running plugin in the order they started; read at the start of each reload. */
  readonly startOrder: () => readonly string[];
  /** Times reloads; default the system clock. */
  readonly clock?: Clock;
}

/** One plugin that failed in a reload, and why. */
export interface ReloadFailure {
  readonly name: string;
  /** A `PluginLoadError` for a failed load; otherwise what the host threw. */
  readonly error: unknown;
}

/** A reload that replaced the changed plugins and restarted their dependents. */
export interface ReloadSucceeded {
  readonly ok: true;
  /** The changed plugins this reload covered (queued changes are merged). */
  readonly changed: readonly string[];
  /** Changed plugins that were not running, so nothing was reloaded for them. */
  readonly skipped: readonly string[];
  /** The plugins stopped, in stop order. */
  readonly stopped: readonly string[];
  /** The plugins started again, in start order. */
  readonly started: readonly string[];
  /** `stop` calls that threw; the reload carried on without them. */
  readonly stopFailures: readonly ReloadFailure[];
  readonly durationMs: number;
}

/** A reload that did not apply; the previous versions are running (or restoring them failed). */
export interface ReloadFailed {
  readonly ok: false;
  /** `load`: new code did not load and nothing was stopped. `start`: new code did not start. */
  readonly phase: 'load' | 'start';
  readonly changed: readonly string[];
  readonly skipped: readonly string[];
  /** Every plugin whose code failed to load, or the plugin that failed to start. */
  readonly failures: readonly ReloadFailure[];
  /** `stop` calls that threw, before or during the rollback. */
  readonly stopFailures: readonly ReloadFailure[];
  /** Plugins whose previous version could not be started again. */
  readonly restoreFailures: readonly ReloadFailure[];
  readonly durationMs: number;
}

/** What one reload did, from {@link ReloadCoordinator.reload}. */
export type ReloadOutcome = ReloadSucceeded | ReloadFailed;

/**
 * Hot-reloads plugins whose code changed, with their dependents, without losing the running
 * version when the new one is broken:
 *
 * 1. load fresh code of every changed plugin; if any fails to load, stop nothing and report;
 * 2. stop the changed plugins and everything depending on them, in reverse start order (each
 *    `stop` lets calls in flight finish first);
 * 3. start them in start order, changed plugins with their new code;
 * 4. if one fails to start: stop the ones already started again, start the previous versions of
 *    all of them ({@link ReloadHost.restorePrevious}), and report.
 *
 * Reloads run one at a time: changes that arrive during a reload are merged into one more run.
 * {@link ReloadCoordinator.reload} never rejects; outcomes also go to `onReloaded` and
 * `onReloadFailed` listeners.
 *
 * @example
 * ```ts
 * const reloads = new ReloadCoordinator(host, { dependents: (n) => graph.dependentsOf(n), startOrder: () => host.startOrder() });
 * reloads.onReloadFailed((failed) => logger.error('reload failed; previous version kept', { failed }));
 * watchPluginFolders(plugins, (names) => void reloads.reload(names));
 * ```
 */
export class ReloadCoordinator {
  readonly #host: ReloadHost;
  readonly #options: ReloadCoordinatorOptions;
  readonly #clock: Clock;
  readonly #reloadedListeners = new Set<(outcome: ReloadSucceeded) => void>();
  readonly #failedListeners = new Set<(outcome: ReloadFailed) => void>();
  #current: Promise<ReloadOutcome> | undefined;
  #queued: Set<string> | undefined;
  #queuedRun: Promise<ReloadOutcome> | undefined;

  constructor(host: ReloadHost, options: ReloadCoordinatorOptions) {
    this.#host = host;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Reloads the `changed` plugins and their dependents. While a reload runs, calls are merged
   * into one more run after it, and all of them resolve with that run's outcome.
   */
  reload(changed: readonly string[]): Promise<ReloadOutcome> {
    if (this.#current === undefined) return this.#launch(changed);
    const queued = this.#queued ?? new Set<string>();
    for (const name of changed) queued.add(name);
    this.#queued = queued;
    this.#queuedRun ??= this.#current.then(() => {
      this.#queued = undefined;
      this.#queuedRun = undefined;
      return this.#launch([...queued]);
    });
    return this.#queuedRun;
  }

  /** True while a reload runs or is queued. */
  isReloading(): boolean {
    return this.#current !== undefined;
  }

  /** Calls `listener` after each reload that applied. */
  onReloaded(listener: (outcome: ReloadSucceeded) => void): Disposer {
    this.#reloadedListeners.add(listener);
    return toDisposer(() => this.#reloadedListeners.delete(listener));
  }

  /** Calls `listener` after each reload that did not apply. */
  onReloadFailed(listener: (outcome: ReloadFailed) => void): Disposer {
    this.#failedListeners.add(listener);
    return toDisposer(() => this.#failedListeners.delete(listener));
  }

  #launch(changed: readonly string[]): Promise<ReloadOutcome> {
    const attempt = this.#run(changed).catch(
      (error: unknown): ReloadOutcome => ({
        // #run reports plugin failures itself; this catches a broken host or plan, so a reload
        // never rejects and never leaves #current stuck.
        ok: false,
        phase: 'load',
        changed: [...changed],
        skipped: [],
        failures: [{ name: changed[0] ?? '(unknown)', error }],
        restoreFailures: [],
        stopFailures: [],
        durationMs: 0,
      }),
    );
    const run: Promise<ReloadOutcome> = attempt.then((outcome) => {
      // A queued run takes over #current when it launches; until then new changes join it.
      if (this.#current === run && this.#queuedRun === undefined) this.#current = undefined;
      if (outcome.ok) notify(this.#reloadedListeners, outcome);
      else notify(this.#failedListeners, outcome);
      return outcome;
    });
    this.#current = run;
    return run;
  }

  async #run(changed: readonly string[]): Promise<ReloadOutcome> {
    const started = this.#clock.now();
    const host = this.#host;
    const plan = planReload(changed, this.#options.dependents, this.#options.startOrder());
    const running = new Set(plan.start);
    const skipped = changed.filter((name) => !running.has(name));
    const reloading = changed.filter((name) => running.has(name));
    const base = { changed: [...changed], skipped };
    const elapsed = () => this.#clock.now() - started;

    const loaded = new Map<string, Plugin>();
    const loadFailures: ReloadFailure[] = [];
    const results = await Promise.all(
      reloading.map(async (name) => ({ name, result: await settle(() => host.load(name)) })),
    );
    for (const { name, result } of results) {
      if (!result.ok) loadFailures.push({ name, error: result.error });
      else if (!result.value.ok) loadFailures.push({ name, error: result.value.error });
      else loaded.set(name, result.value.plugin);
    }
    if (loadFailures.length > 0) {
      return {
        ok: false,
        phase: 'load',
        ...base,
        failures: loadFailures,
        stopFailures: [],
        restoreFailures: [],
        durationMs: elapsed(),
      };
    }

    const stopFailures: ReloadFailure[] = [];
    await this.#stopAll(plan.stop, stopFailures);
    const startedNames: string[] = [];
    for (const name of plan.start) {
      const result = await settle(() => host.start(name, loaded.get(name)));
      if (!result.ok) {
        await this.#stopAll([...startedNames].reverse(), stopFailures);
        const restoreFailures: ReloadFailure[] = [];
        for (const previous of plan.start) {
          const restored = await settle(() => host.restorePrevious(previous));
          if (!restored.ok) restoreFailures.push({ name: previous, error: restored.error });
        }
        const failures = [{ name, error: result.error }];
        return {
          ok: false,
          phase: 'start',
          ...base,
          failures,
          stopFailures,
          restoreFailures,
          durationMs: elapsed(),
        };
      }
      startedNames.push(name);
    }
    return {
      ok: true,
      ...base,
      stopped: plan.stop,
      started: plan.start,
      stopFailures,
      durationMs: elapsed(),
    };
  }

  async #stopAll(names: readonly string[], failures: ReloadFailure[]): Promise<void> {
    for (const name of names) {
      const result = await settle(() => this.#host.stop(name));
      if (!result.ok) failures.push({ name, error: result.error });
    }
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(call: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

function notify<T>(listeners: ReadonlySet<(event: T) => void>, event: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // A listener must not be able to break reloading; there is nowhere left to report.
    }
  }
}
