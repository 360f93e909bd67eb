import {
  type Clock,
  type Disposer,
  type EventBus,
  type HealthCheck,
  HealthCheckDuplicateError,
  type HealthProbe,
  type HealthRegistry,
  type HealthStatus,
  systemClock,
  type TimerHandle,
  type TrellisEvents,
  toDisposer,
} from '@trellis/core';
import '../events/resilience-events.js';
import { aggregateStatus, reasonsOf } from './aggregate.js';
import { CheckHistory } from './check-history.js';
import {
  type HealthConfig,
  type HealthConfigInput,
  parseCheckOptions,
  parseHealthConfig,
} from './health-config.js';
import type {
  HealthCheckSnapshot,
  HealthHistoryEntry,
  ResilienceCheckOutcome,
  ResilienceHealthCheckOptions,
  ResilienceHealthReport,
} from './health-types.js';
import { type CheckRun, runCheck } from './run-check.js';

/** Options of {@link ResilienceHealthRegistry}: {@link HealthConfigSchema}'s fields plus services. */
export interface ResilienceHealthRegistryOptions extends HealthConfigInput {
  /** Source of time for timeouts, caches and the interval scheduler; default the system clock. */
  readonly clock?: Clock;
  /** Receives `health.changed` when a probe's aggregate status changes. */
  readonly bus?: EventBus<TrellisEvents>;
}

interface Entry {
  readonly name: string;
  readonly check: HealthCheck;
  readonly probes: readonly HealthProbe[];
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly intervalMs: number | undefined;
  readonly history: CheckHistory;
  last: CheckRun | undefined;
  /** The run that passed the startup gate; served for `startup` from then on. */
  passed: CheckRun | undefined;
  inFlight: Promise<CheckRun> | undefined;
  timer: TimerHandle | undefined;
  disposed: boolean;
}

const PROBES: readonly HealthProbe[] = ['startup', 'liveness', 'readiness'];

/**
 * The resilience {@link HealthRegistry} (it replaces core's `LocalHealthRegistry` under
 * `HEALTH_REGISTRY`), with Kubernetes probe semantics:
 *
 * - `startup` gates the other two: until every critical startup check has passed once, `readiness`
 *   is `fail` with reason `starting` and `liveness` is `pass` without asking its checks (a slow
 *   start must not get the process restarted). Asking either runs the pending startup checks, so
 *   a host that only serves `/health/ready` still leaves startup. A startup check that has
 *   passed is not asked again by the startup probe.
 * - Each probe asks only its own checks, so a readiness-only check never fails liveness.
 * - Checks with `intervalMs` run on the clock once {@link start} is called and are served from
 *   their last result (with its age); others run on request, their result cached for `cacheMs`,
 *   and concurrent requests share one run.
 *
 * @example
 * ```ts
 * const health = new ResilienceHealthRegistry({ bus });
 * health.register('migrations', checkMigrations, { probes: ['startup'] });
 * health.register('db', pingDb, { intervalMs: 5_000, timeoutMs: 500 });
 * health.start();
 * const ready = await health.check('readiness'); // { status, reasons, checks, ... }
 * ```
 */
export class ResilienceHealthRegistry implements HealthRegistry {
  readonly #config: HealthConfig;
  readonly #clock: Clock;
  readonly #bus: EventBus<TrellisEvents> | undefined;
  readonly #entries = new Map<string, Entry>();
  /** Last aggregate status of each probe, to tell changes. */
  readonly #statuses = new Map<HealthProbe, HealthStatus>();
  #running = false;

  constructor(options: ResilienceHealthRegistryOptions = {}) {
    const { clock, bus, ...config } = options;
    this.#config = parseHealthConfig(config);
    this.#clock = clock ?? systemClock;
    this.#bus = bus;
  }

  /** Adds a check; throws `HEALTH_CHECK_DUPLICATE` when `name` is taken, `HEALTH_CHECK_OPTIONS_INVALID` on bad options. */
  register(name: string, check: HealthCheck, options: ResilienceHealthCheckOptions = {}): Disposer {
    if (this.#entries.has(name)) throw new HealthCheckDuplicateError(name);
    const parsed = parseCheckOptions(name, options);
    const entry: Entry = {
      name,
      check,
      probes: [...new Set(parsed.probes)],
      critical: parsed.critical,
      timeoutMs: parsed.timeoutMs ?? this.#config.timeoutMs,
      cacheMs: parsed.cacheMs ?? this.#config.cacheMs,
      intervalMs: parsed.intervalMs,
      history: new CheckHistory(this.#config.historySize),
      last: undefined,
      passed: undefined,
      inFlight: undefined,
      timer: undefined,
      disposed: false,
    };
    this.#entries.set(name, entry);
    if (this.#running && entry.intervalMs !== undefined) this.#tick(entry);
    // A new startup check closes the gate again: publish that now, not at the next request.
    this.#publish();
    return toDisposer(() => {
      if (this.#entries.get(name) !== entry) return;
      entry.disposed = true;
      entry.timer?.cancel();
      this.#entries.delete(name);
      this.#publish();
    });
  }

  /** Registered check names, in registration order. */
  names(): readonly string[] {
    return [...this.#entries.keys()];
  }

  /** Aggregates the checks of `probe` (every check when omitted); see the class notes for gating. */
  async check(probe?: HealthProbe): Promise<ResilienceHealthReport> {
    const startedAt = this.#clock.now();
    let report: ResilienceHealthReport;
    if (probe === 'liveness' || probe === 'readiness') {
      const pending = await this.#settleStartup();
      report =
        pending.length > 0
          ? this.#startingReport(probe, pending, startedAt)
          : await this.#report(probe, startedAt);
    } else {
      report = await this.#report(probe, startedAt);
    }
    this.#publish();
    return report;
  }

  /** Starts running interval checks on the clock (the first run at once); idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const entry of this.#entries.values()) if (entry.intervalMs !== undefined) this.#tick(entry);
  }

  /**
   * Stops the interval scheduler. Interval checks then behave as on-demand checks cached for
   * their interval, so a stopped registry never serves an arbitrarily old result.
   */
  stop(): void {
    this.#running = false;
    for (const entry of this.#entries.values()) {
      entry.timer?.cancel();
      entry.timer = undefined;
    }
  }

  /** True between {@link start} and {@link stop}. */
  get running(): boolean {
    return this.#running;
  }

  /** True once every critical startup check has passed once. */
  startupComplete(): boolean {
    return this.#pendingStartup().length === 0;
  }

  /** The last outcomes of one check, oldest first; `undefined` for an unknown name. */
  history(name: string): readonly HealthHistoryEntry[] | undefined {
    return this.#entries.get(name)?.history.entries();
  }

  /** Every check with its settings and history, in registration order, for the admin API. */
  snapshot(): readonly HealthCheckSnapshot[] {
    return [...this.#entries.values()].map((entry) => ({
      name: entry.name,
      probes: entry.probes,
      critical: entry.critical,
      timeoutMs: entry.timeoutMs,
      cacheMs: entry.cacheMs,
      ...(entry.intervalMs !== undefined ? { intervalMs: entry.intervalMs } : {}),
      ...(entry.probes.includes('startup') ? { startupPassed: entry.passed !== undefined } : {}),
      history: entry.history.entries(),
    }));
  }

  async #report(probe: HealthProbe | undefined, startedAt: number): Promise<ResilienceHealthReport> {
    const entries = this.#entriesOf(probe);
    const outcomes = await Promise.all(
      entries.map((entry) =>
        probe === 'startup' && entry.passed ? { run: entry.passed, cached: true } : this.#resolve(entry),
      ),
    );
    const now = this.#clock.now();
    const checks = Object.fromEntries(
      entries.map((entry, i) => {
        const { run, cached } = outcomes[i] as { run: CheckRun; cached: boolean };
        return [entry.name, toOutcome(entry, run, cached, now)];
      }),
    );
    return {
      status: aggregateStatus(Object.values(checks)),
      checkedAt: startedAt,
      durationMs: now - startedAt,
      checks,
      reasons: reasonsOf(checks),
      starting: this.#pendingStartup().length > 0,
      ...(probe !== undefined ? { probe } : {}),
    };
  }

  /** Runs (or reads) the startup checks still pending; returns those still not passed. */
  async #settleStartup(): Promise<Entry[]> {
    const pending = this.#pendingStartup();
    if (pending.length === 0) return pending;
    await Promise.all(pending.map((entry) => this.#resolve(entry)));
    return this.#pendingStartup();
  }

  #startingReport(
    probe: 'liveness' | 'readiness',
    pending: Entry[],
    startedAt: number,
  ): ResilienceHealthReport {
    const now = this.#clock.now();
    // Readiness shows what it waits for; liveness answers `pass` and asks nothing, like a kubelet
    // that does not send liveness probes before the startup probe succeeds.
    const shown = probe === 'readiness' ? pending.filter((entry) => entry.last) : [];
    return {
      status: probe === 'readiness' ? 'fail' : 'pass',
      checkedAt: startedAt,
      durationMs: now - startedAt,
      checks: Object.fromEntries(
        shown.map((entry) => [entry.name, toOutcome(entry, entry.last as CheckRun, true, now)]),
      ),
      reasons:
        probe === 'readiness' ? Object.fromEntries(pending.map((entry) => [entry.name, 'starting'])) : {},
      starting: true,
      reason: 'starting',
      probe,
    };
  }

  /** The check's current result: the scheduler's or cached one when still valid, else a (shared) run. */
  async #resolve(entry: Entry): Promise<{ run: CheckRun; cached: boolean }> {
    const last = entry.last;
    if (last) {
      const scheduled = entry.intervalMs !== undefined && this.#running;
      const ttl = entry.intervalMs ?? entry.cacheMs;
      if (scheduled || this.#clock.now() - last.finishedAt < ttl) return { run: last, cached: true };
    }
    return { run: await this.#execute(entry), cached: false };
  }

  #execute(entry: Entry): Promise<CheckRun> {
    if (entry.inFlight) return entry.inFlight;
    const running = runCheck(entry.name, entry.check, entry.timeoutMs, this.#clock).then((run) => {
      entry.inFlight = undefined;
      if (entry.disposed) return run;
      entry.last = run;
      entry.history.push({
        at: run.finishedAt,
        status: run.status,
        ...(run.message !== undefined ? { message: run.message } : {}),
        durationMs: run.durationMs,
      });
      // `warn` is degraded but serving: started enough to take traffic.
      if (!entry.passed && entry.probes.includes('startup') && run.status !== 'fail') entry.passed = run;
      return run;
    });
    entry.inFlight = running;
    return running;
  }

  #tick(entry: Entry): void {
    entry.timer = undefined;
    void this.#execute(entry).then(() => {
      this.#publish();
      // The next run is timed from the end of this one, so a slow check never overlaps itself;
      // the guard keeps one timer when stop()/start() raced a run.
      if (!this.#running || entry.disposed || entry.timer) return;
      entry.timer = this.#clock.setTimeout(() => this.#tick(entry), entry.intervalMs as number).unref();
    });
  }

  #entriesOf(probe: HealthProbe | undefined): Entry[] {
    const all = [...this.#entries.values()];
    return probe === undefined ? all : all.filter((entry) => entry.probes.includes(probe));
  }

  #pendingStartup(): Entry[] {
    return this.#entriesOf('startup').filter((entry) => entry.critical && !entry.passed);
  }

  /**
   * Recomputes each probe's status from the latest known results and emits `health.changed` for
   * those that moved. Runs after every request and every scheduled run, so a change seen by an
   * interval check is published even when nobody asks.
   */
  #publish(): void {
    for (const probe of PROBES) {
      const latest = this.#latest(probe);
      if (!latest) continue;
      const from = this.#statuses.get(probe);
      this.#statuses.set(probe, latest.status);
      if (from === undefined || from === latest.status) continue;
      if (this.#bus && this.#bus.listenerCount('health.changed') > 0) {
        this.#bus.emit('health.changed', { probe, from, to: latest.status, failing: latest.failing });
      }
    }
  }

  #latest(probe: HealthProbe): { status: HealthStatus; failing: Record<string, string> } | undefined {
    if (probe !== 'startup') {
      const pending = this.#pendingStartup();
      if (pending.length > 0) {
        if (probe === 'liveness') return { status: 'pass', failing: {} };
        return {
          status: 'fail',
          failing: Object.fromEntries(pending.map((entry) => [entry.name, 'starting'])),
        };
      }
    }
    const entries = this.#entriesOf(probe);
    const now = this.#clock.now();
    const known = entries.flatMap((entry) => {
      const run = probe === 'startup' ? (entry.passed ?? entry.last) : entry.last;
      return run ? [[entry.name, toOutcome(entry, run, true, now)] as const] : [];
    });
    // Nothing known yet: no status to compare, rather than a `pass` that was never measured.
    if (entries.length > 0 && known.length === 0) return undefined;
    const checks = Object.fromEntries(known);
    return { status: aggregateStatus(Object.values(checks)), failing: reasonsOf(checks) };
  }
}

function toOutcome(entry: Entry, run: CheckRun, cached: boolean, now: number): ResilienceCheckOutcome {
  return {
    status: run.status,
    ...(run.message !== undefined ? { message: run.message } : {}),
    ...(run.details !== undefined ? { details: run.details } : {}),
    critical: entry.critical,
    durationMs: run.durationMs,
    checkedAt: run.finishedAt,
    ageMs: Math.max(0, now - run.finishedAt),
    cached,
  };
}
