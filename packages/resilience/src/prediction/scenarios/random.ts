/** A seeded pseudo-random source: values in [0, 1), the same sequence for the same seed. */
export type SeededRandom = () => number;

// The same generator chaos uses: one implementation, so both replay the same way.
export { mulberry32 } from '../../chaos/seeded-random.js';

/** A 32-bit hash of a string (FNV-1a), to derive one seed per scenario from a set seed and a name. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A uniform draw in [min, max). */
export function uniform(random: SeededRandom, min: number, max: number): number {
  return min + (max - min) * random();
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: SeededRandom): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
