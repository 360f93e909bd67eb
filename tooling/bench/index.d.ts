/** One measured function. */
export interface BenchTask {
  readonly name: string;
  readonly fn: () => unknown | Promise<unknown>;
}

/** Tasks compared against a baseline: what a user would otherwise write or choose. */
export interface BenchGroup {
  readonly title: string;
  /** One line on what is measured and why the baseline is the fair comparison. */
  readonly description: string;
  readonly baseline: BenchTask;
  readonly tasks: readonly BenchTask[];
}

/** A benchmark suite: one markdown file under docs/benchmarks. */
export interface BenchSuite {
  readonly title: string;
  /** File name under docs/benchmarks, e.g. `core.md`. */
  readonly file: string;
  /** The command that reproduces the numbers. */
  readonly command: string;
  readonly groups: readonly BenchGroup[];
  /** Measuring time per task in ms; default 1,000 (`BENCH_TIME_MS` overrides). */
  readonly timeMs?: number;
}

/** One task's numbers. */
export interface BenchRow {
  readonly group: string;
  readonly task: string;
  readonly opsPerSecond: number;
  readonly meanMicros: number;
  readonly p99Micros: number;
  readonly rmePercent: number;
  readonly samples: number;
  /** Mean time relative to the group's baseline (2 = twice as slow). */
  readonly vsBaseline: number;
}

/** Runs every group, prints a table, writes `docs/benchmarks/<file>`, and returns the rows. */
export function runSuite(suite: BenchSuite): Promise<readonly BenchRow[]>;
