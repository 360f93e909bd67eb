import { setImmediate as yieldToLoop } from 'node:timers/promises';

// Writes between two checks of the clock: about a millisecond of work.
const SLICE = 1 << 20;

/** Options of {@link nthPrime}. */
export interface NthPrimeOptions {
  /**
   * Give the event loop a turn after this much work, in ms; default 20. A worker plugin that
   * holds its loop for long misses its heartbeats and is killed as hung (after 1 s by default),
   * so long CPU work yields now and then, even in a worker.
   */
  readonly yieldEveryMs?: number;
  /** Aborts the search (a stopping plugin, a client gone). */
  readonly signal?: AbortSignal;
}

/**
 * The `n`th prime (1-based: `nthPrime(1)` is 2), by a sieve of Eratosthenes sized with the
 * prime-number theorem's upper bound `n (ln n + ln ln n)`. CPU-bound on purpose: the reason
 * this plugin runs in a worker is that its work would hold up every route of an inline host.
 */
export async function nthPrime(n: number, options: NthPrimeOptions = {}): Promise<number> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (n < 6) return [2, 3, 5, 7, 11][n - 1] as number;
  const yieldEveryMs = options.yieldEveryMs ?? 20;
  const limit = Math.ceil(n * (Math.log(n) + Math.log(Math.log(n))));
  const composite = new Uint8Array(limit + 1);
  let sliceStart = performance.now();
  const breathe = async () => {
    if (performance.now() - sliceStart < yieldEveryMs) return;
    await yieldToLoop();
    options.signal?.throwIfAborted();
    sliceStart = performance.now();
  };
  for (let i = 2; i * i <= limit; i++) {
    if (composite[i]) continue;
    // Crossing out the multiples of a small prime is tens of millions of writes: slice it too.
    for (let start = i * i; start <= limit; start += SLICE * i) {
      const end = Math.min(limit, start + (SLICE - 1) * i);
      for (let j = start; j <= end; j += i) composite[j] = 1;
      await breathe();
    }
  }
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count += 1;
    if (count === n) return i;
    if ((i & 0xfffff) === 0) await breathe();
  }
  /* c8 ignore next -- the bound above holds for every n >= 6 */
  throw new Error(`sieve bound too small for n = ${n}`);
}
