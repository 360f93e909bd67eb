/**
 * The `n`th prime (1-based: `nthPrime(1)` is 2), by a sieve of Eratosthenes sized with the
 * prime-number theorem's upper bound `n (ln n + ln ln n)`. CPU-bound on purpose: the reason
 * this plugin runs in a worker is that its work would block an inline plugin's host.
 */
export function nthPrime(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (n < 6) return [2, 3, 5, 7, 11][n - 1] as number;
  const limit = Math.ceil(n * (Math.log(n) + Math.log(Math.log(n))));
  const composite = new Uint8Array(limit + 1);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count += 1;
    if (count === n) return i;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  /* c8 ignore next -- the bound above holds for every n >= 6 */
  throw new Error(`sieve bound too small for n = ${n}`);
}
