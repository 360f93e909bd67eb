/** One observation: time (epoch ms) and value. */
export interface TrendPoint {
  readonly t: number;
  readonly v: number;
}

/** A straight line fitted to points, with how well it fits. */
export interface TrendFit {
  /** Change of value per ms. */
  readonly slope: number;
  /** Value at `origin`. */
  readonly intercept: number;
  /** Time the intercept refers to (the first point's), so epoch-sized times keep their precision. */
  readonly origin: number;
  /** Coefficient of determination of this line, 1 − SSres/SStot (1 for a perfect fit; may be < 0). */
  readonly r2: number;
  /**
   * Kendall's τ of value against time, −1..1: the share of concordant minus discordant pairs. The
   * Mann–Kendall test of a monotonic trend; robust to outliers. Computed by {@link theilSen} only.
   */
  readonly tau?: number;
  readonly n: number;
  /** Time between the first and last point, ms. */
  readonly spanMs: number;
}

/** The value of `fit` at time `t`. */
export function valueAt(fit: TrendFit, t: number): number {
  return fit.intercept + fit.slope * (t - fit.origin);
}

function rSquared(points: readonly TrendPoint[], slope: number, intercept: number, origin: number): number {
  let mean = 0;
  for (const p of points) mean += p.v;
  mean /= points.length;
  let total = 0;
  let residual = 0;
  for (const p of points) {
    total += (p.v - mean) ** 2;
    residual += (p.v - (intercept + slope * (p.t - origin))) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

function span(points: readonly TrendPoint[]): { origin: number; spanMs: number } | undefined {
  if (points.length < 2) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    first = Math.min(first, p.t);
    last = Math.max(last, p.t);
  }
  return last > first ? { origin: first, spanMs: last - first } : undefined;
}

/** Ordinary least squares; `undefined` with fewer than two distinct times. */
export function leastSquares(points: readonly TrendPoint[]): TrendFit | undefined {
  const range = span(points);
  if (!range) return undefined;
  const { origin } = range;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t - origin;
    sv += p.v;
  }
  const n = points.length;
  const mt = st / n;
  const mv = sv / n;
  let stt = 0;
  let stv = 0;
  for (const p of points) {
    const dt = p.t - origin - mt;
    stt += dt * dt;
    stv += dt * (p.v - mv);
  }
  const slope = stv / stt;
  const intercept = mv - slope * mt;
  return {
    slope,
    intercept,
    origin,
    r2: rSquared(points, slope, intercept, origin),
    n,
    spanMs: range.spanMs,
  };
}

/**
 * The Theil–Sen estimator: the median of the slopes between every pair of points, so up to ~29% of
 * outliers (a GC spike, a burst) do not move it. O(n²) in time and memory: keep windows to a few
 * hundred points. Also returns Kendall's τ, from the same pairs. `undefined` with fewer than two
 * distinct times.
 */
export function theilSen(points: readonly TrendPoint[]): TrendFit | undefined {
  const range = span(points);
  if (!range) return undefined;
  const { origin } = range;
  const slopes: number[] = [];
  let concordant = 0;
  let discordant = 0;
  let pairs = 0;
  for (let i = 0; i < points.length; i += 1) {
    const a = points[i] as TrendPoint;
    for (let j = i + 1; j < points.length; j += 1) {
      const b = points[j] as TrendPoint;
      pairs += 1;
      if (b.t === a.t) continue;
      const slope = (b.v - a.v) / (b.t - a.t);
      slopes.push(slope);
      if (slope > 0) concordant += 1;
      else if (slope < 0) discordant += 1;
    }
  }
  const slope = median(slopes);
  const intercept = median(points.map((p) => p.v - slope * (p.t - origin)));
  return {
    slope,
    intercept,
    origin,
    r2: rSquared(points, slope, intercept, origin),
    tau: (concordant - discordant) / pairs,
    n: points.length,
    spanMs: range.spanMs,
  };
}

/** Options of {@link SlidingWindow}. */
export interface SlidingWindowOptions {
  /** Points older than this, relative to the newest, are dropped, ms. */
  readonly maxAgeMs: number;
  /** At most this many points are kept (the oldest go first); default 10,000. */
  readonly maxPoints?: number;
}

/** The recent points of a series, by age and count, in arrival order. */
export class SlidingWindow {
  readonly #maxAgeMs: number;
  readonly #maxPoints: number;
  #points: TrendPoint[] = [];

  constructor(options: SlidingWindowOptions) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#maxPoints = options.maxPoints ?? 10_000;
  }

  /** Adds a point and drops what fell out of the window. */
  push(point: TrendPoint): void {
    this.#points.push(point);
    this.prune(point.t);
  }

  /** Drops points older than `maxAgeMs` before `now`, and the oldest beyond `maxPoints`. */
  prune(now: number): void {
    const since = now - this.#maxAgeMs;
    let drop = Math.max(0, this.#points.length - this.#maxPoints);
    while (drop < this.#points.length && (this.#points[drop] as TrendPoint).t < since) drop += 1;
    if (drop > 0) this.#points = this.#points.slice(drop);
  }

  /** The points in the window, oldest first. */
  points(): readonly TrendPoint[] {
    return this.#points;
  }

  /** How many points the window holds. */
  get size(): number {
    return this.#points.length;
  }

  /** Empties the window. */
  clear(): void {
    this.#points = [];
  }
}
