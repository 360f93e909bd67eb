import { type Disposer, toDisposer } from '../disposer.js';
import { describeError } from '../errors/describe-error.js';
import { HealthCheckDuplicateError } from '../errors.js';
import { type Clock, systemClock } from '../time/clock.js';
import { withDeadline } from '../time/deadline.js';
import type {
  HealthCheck,
  HealthCheckOptions,
  HealthCheckOutcome,
  HealthCheckResult,
  HealthProbe,
  HealthRegistry,
  HealthReport,
  HealthStatus,
} from './health-registry.js';
import { toHealthCheckResult } from './health-result.js';

interface Registered {
  readonly check: HealthCheck;
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly probes: readonly HealthProbe[];
}

/** The default {@link HealthRegistry}: runs checks in this process on demand. */
export class LocalHealthRegistry implements HealthRegistry {
  readonly #checks = new Map<string, Registered>();
  readonly #clock: Clock;

  constructor(options: { readonly clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): Disposer {
    if (this.#checks.has(name)) throw new HealthCheckDuplicateError(name);
    const entry: Registered = {
      check,
      critical: options.critical ?? true,
      timeoutMs: options.timeoutMs ?? 2_000,
      probes: options.probes ?? ['readiness'],
    };
    this.#checks.set(name, entry);
    return toDisposer(() => {
      if (this.#checks.get(name) === entry) this.#checks.delete(name);
    });
  }

  names(): readonly string[] {
    return [...this.#checks.keys()];
  }

  /** Runs the checks of `probe` (every check when omitted); `intervalMs` is not honoured here. */
  async check(probe?: HealthProbe): Promise<HealthReport> {
    const startedAt = this.#clock.now();
    const entries = [...this.#checks].filter(
      ([, entry]) => probe === undefined || entry.probes.includes(probe),
    );
    const outcomes = await Promise.all(entries.map(([name, entry]) => this.#run(name, entry)));
    const checks = Object.fromEntries(entries.map(([name], i) => [name, outcomes[i] as HealthCheckOutcome]));
    return {
      status: aggregate(outcomes),
      checkedAt: startedAt,
      durationMs: this.#clock.now() - startedAt,
      checks,
    };
  }

  async #run(name: string, entry: Registered): Promise<HealthCheckOutcome> {
    const startedAt = this.#clock.now();
    const controller = new AbortController();
    let result: HealthCheckResult;
    try {
      const raw = await withDeadline(
        Promise.resolve().then(() => entry.check(controller.signal)),
        { ms: entry.timeoutMs, clock: this.#clock, what: `health check "${name}"` },
      );
      result = toHealthCheckResult(raw);
    } catch (error) {
      controller.abort(error);
      result = { status: 'fail', message: describeError(error) };
    }
    return { ...result, critical: entry.critical, durationMs: this.#clock.now() - startedAt };
  }
}

function aggregate(outcomes: readonly HealthCheckOutcome[]): HealthStatus {
  if (outcomes.some((o) => o.status === 'fail' && o.critical)) return 'fail';
  return outcomes.some((o) => o.status !== 'pass') ? 'warn' : 'pass';
}
