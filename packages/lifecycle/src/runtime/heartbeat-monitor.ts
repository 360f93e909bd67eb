/** Options of {@link HeartbeatMonitor}. */
export interface HeartbeatMonitorOptions {
  /** Silence longer than this means the other side's event loop is blocked. */
  readonly timeoutMs: number;
  /** How often silence is checked; detection happens within `timeoutMs + checkEveryMs`. */
  readonly checkEveryMs: number;
  /** Called once, with how long the other side has been silent. */
  readonly onMissed: (silentForMs: number) => void;
  /** Default `performance.now` (monotonic, so wall-clock jumps cannot fake a hang). */
  readonly now?: () => number;
}

/**
 * Watches the heartbeats of a worker or child process. It guards against a false alarm when the
 * host itself was blocked: heartbeats then wait unread in the host's queue while the check timer
 * fires first, so a check that runs much later than scheduled starts the silence count afresh.
 */
export class HeartbeatMonitor {
  readonly #options: HeartbeatMonitorOptions;
  readonly #now: () => number;
  #lastBeat = 0;
  #lastCheck = 0;
  #timer: NodeJS.Timeout | undefined;
  #confirming = false;

  constructor(options: HeartbeatMonitorOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Starts watching, counting silence from now. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#lastBeat = this.#now();
    this.#lastCheck = this.#lastBeat;
    this.#timer = setInterval(() => this.check(), this.#options.checkEveryMs);
    this.#timer.unref();
  }

  /** Records a heartbeat. */
  beat(): void {
    this.#lastBeat = this.#now();
  }

  /** Stops watching; `onMissed` will not be called. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Runs one check (the timer does this; tests may call it directly). */
  check(): void {
    const now = this.#now();
    const hostLag = now - this.#lastCheck - this.#options.checkEveryMs;
    this.#lastCheck = now;
    if (hostLag > this.#options.timeoutMs / 2) {
      this.#lastBeat = now;
      return;
    }
    if (now - this.#lastBeat <= this.#options.timeoutMs || this.#confirming) return;
    // Timers run before the poll phase delivers messages: heartbeats may sit unread in the queue.
    // Judge again after the poll phase (setImmediate), when any queued heartbeat has been read.
    this.#confirming = true;
    setImmediate(() => {
      this.#confirming = false;
      if (this.#timer === undefined) return;
      const silentFor = this.#now() - this.#lastBeat;
      if (silentFor > this.#options.timeoutMs) {
        this.stop();
        this.#options.onMissed(silentFor);
      }
    });
  }
}
