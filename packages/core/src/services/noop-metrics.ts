import type { Counter, Gauge, Histogram, Metrics } from './metrics.js';

const counter: Counter = { inc() {} };
const gauge: Gauge = { set() {}, inc() {}, dec() {} };
const histogram: Histogram = { observe() {}, startTimer: () => () => 0 };

/** The default {@link Metrics}: records nothing, costs nothing. `@trellis/observability` replaces it. */
export const noopMetrics: Metrics = {
  counter: () => counter,
  gauge: () => gauge,
  histogram: () => histogram,
  withLabels: () => noopMetrics,
};
