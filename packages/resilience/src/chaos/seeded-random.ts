/**
 * mulberry32: a tiny, fast 32-bit PRNG, uniform in [0, 1). Not for secrets; for reproducible
 * chaos: the same seed gives the same sequence of draws, so a failing chaos run can be replayed.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
