/** Label values of one time series. */
export type MetricLabels = Readonly<Record<string, string | number>>;

/** Declares one metric; names follow Prometheus conventions (`trellis_plugin_starts_total`). */
export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

/** Declares a histogram; `buckets` are upper bounds in the metric's unit. */
export interface HistogramOptions extends MetricOptions {
  readonly buckets?: readonly number[];
}

/** A monotonically increasing count. */
export interface Counter {
  inc(labels?: MetricLabels, value?: number): void;
}

/** A value that goes up and down. */
export interface Gauge {
  set(value: number, labels?: MetricLabels): void;
  inc(labels?: MetricLabels, value?: number): void;
  dec(labels?: MetricLabels, value?: number): void;
}

/** A distribution of observed values. */
export interface Histogram {
  observe(value: number, labels?: MetricLabels): void;
  /** Starts a timer; calling the result observes the elapsed seconds and returns them. */
  startTimer(labels?: MetricLabels): () => number;
}

/**
 * Metrics contract (token `METRICS`). Asking twice for the same name returns the same metric, so
 * plugins may declare metrics in `setup` without coordinating.
 */
export interface Metrics {
  counter(options: MetricOptions): Counter;
  gauge(options: MetricOptions): Gauge;
  histogram(options: HistogramOptions): Histogram;
  /** A view that adds `labels` to every series it records (e.g. `{ plugin: 'hello' }`). */
  withLabels(labels: MetricLabels): Metrics;
}
