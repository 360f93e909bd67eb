/** How the simulated upstream misbehaves. */
export interface FlakyUpstreamOptions {
  /** Share of calls that fail at once, 0..1. */
  readonly failureRate: number;
  /** Share of calls that answer after `slowMs` instead of `latencyMs`, 0..1. */
  readonly slowRate: number;
  readonly latencyMs: number;
  readonly slowMs: number;
  /** Draws in [0, 1); injected so tests are exact. */
  readonly random?: () => number;
}

/** One forecast, as the upstream answers it. */
export interface Forecast {
  readonly city: string;
  readonly celsius: number;
  readonly at: string;
}

/** The upstream failed (as a real one would: a reset connection, a 503). */
export class UpstreamError extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';
}

/**
 * A stand-in for a third-party weather API that fails and stalls on purpose, so the reference
 * app can show retries, a breaker and a fallback at work without a network. It honours the
 * abort signal the policy's timeout hands it, as a real HTTP client would.
 */
export function createFlakyUpstream(options: FlakyUpstreamOptions) {
  const random = options.random ?? Math.random;
  return async (city: string, signal?: AbortSignal): Promise<Forecast> => {
    const fails = random() < options.failureRate;
    const slow = random() < options.slowRate;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, slow ? options.slowMs : options.latencyMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    if (fails) throw new UpstreamError(`upstream refused the forecast for ${city}`);
    const seed = [...city].reduce((sum, char) => sum + char.charCodeAt(0), 0);
    return { city, celsius: (seed % 35) - 5, at: new Date().toISOString() };
  };
}
