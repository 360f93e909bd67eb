export type { PrimesConfig } from './primes-plugin.js';
export { PrimesConfigSchema, plugin } from './primes-plugin.js';
export { nthPrime } from './sieve.js';
