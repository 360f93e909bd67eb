import { type Clock, describeError, type HealthCheckResult, type TimerHandle } from '@trellis/core';
import type { HealthPollConfig } from './supervisor-config.js';

/** Options of {@link HealthMonitor}. */
export interface HealthMonitorOptions {
  readonly clock: Clock;
  readonly config: HealthPollConfig;
  /** The names to poll now (running children only: a recovering child is expected to fail). */
  readonly targets: () => readonly string[];
  readonly check: (name: string) => Promise<HealthCheckResult>;
  /** Called once `failureThreshold` consecutive polls failed; the count then starts over. */
  readonly onFailure: (name: string, reason: string) => void;
}

/**
 * Polls health checks on an interval and reports a child after consecutive failures. A single
 * failed or slow poll is noise; a run of them is a hang or a silent failure no crash reports.
 */
export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  readonly #failures = new Map<string, number>();
  #timer: TimerHandle | undefined;
  #running = false;
  #stopped = false;

  constructor(options: HealthMonitorOptions) {
    this.#options = options;
  }

  /** Starts polling; does nothing when `intervalMs` is 0. */
  start(): void {
    if (this.#running || this.#options.config.intervalMs <= 0) return;
    this.#running = true;
    this.#schedule();
  }

  /** Stops polling for good; a poll in flight finishes but reports nothing. */
  stop(): void {
    this.#running = false;
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#failures.clear();
  }

  /** Polls every target once now. */
  async pollOnce(): Promise<void> {
    const { config } = this.#options;
    const targets = this.#options.targets();
    // Forget counts of children no longer polled, so a restarted child starts with a clean slate.
    for (const name of [...this.#failures.keys()]) if (!targets.includes(name)) this.#failures.delete(name);
    await Promise.all(
      targets.map(async (name) => {
        const failure = await this.#probe(name);
        if (this.#stopped) return;
        if (failure === undefined) {
          this.#failures.delete(name);
          return;
        }
        const count = (this.#failures.get(name) ?? 0) + 1;
        if (count < config.failureThreshold) {
          this.#failures.set(name, count);
          return;
        }
        this.#failures.delete(name);
        this.#options.onFailure(name, `health failed ${count} consecutive times: ${failure}`);
      }),
    );
  }

  /** Resolves to the failure message, or undefined when the check passed (or warned). */
  async #probe(name: string): Promise<string | undefined> {
    const { clock, config } = this.#options;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<HealthCheckResult>((resolve) => {
      timer = clock.setTimeout(
        () => resolve({ status: 'fail', message: `no answer within ${config.timeoutMs} ms` }),
        config.timeoutMs,
      );
      timer.unref();
    });
    try {
      const result = await Promise.race([this.#options.check(name), timeout]);
      // `warn` is degraded but serving: restarting it would only add downtime.
      return result.status === 'fail' ? (result.message ?? 'status fail') : undefined;
    } catch (error) {
      return describeError(error);
    } finally {
      timer?.cancel();
    }
  }

  #schedule(): void {
    this.#timer = this.#options.clock
      .setTimeout(() => {
        void this.pollOnce().finally(() => {
          if (this.#running) this.#schedule();
        });
      }, this.#options.config.intervalMs)
      .unref();
  }
}
