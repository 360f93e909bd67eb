import { definePlugin, HTTP_ROUTER } from '@trellis/core';
import { z } from 'zod';
import { nthPrime } from './sieve.js';

/** Config slice `plugins.primes`. */
export const PrimesConfigSchema = z
  .object({
    /** The largest `n` a request may ask for; bounds the work (and memory) of one request. */
    maxN: z.number().int().positive().max(50_000_000).default(5_000_000),
  })
  .strict();

/** The primes plugin's parsed config. */
export type PrimesConfig = z.infer<typeof PrimesConfigSchema>;

/**
 * `GET /plugins/primes/nth/:n` answers the `n`th prime. Finding the 5,000,000th prime takes
 * about a second of pure CPU: run inline it would freeze every other route for that second; in
 * its worker (manifest `isolation: "worker"`) the host keeps serving, and a runaway request is
 * bounded by the worker's heap limit and heartbeats.
 */
export const plugin = definePlugin<PrimesConfig>({
  configSchema: PrimesConfigSchema,
  setup(ctx) {
    let served = 0;
    ctx.resolve(HTTP_ROUTER).route({
      method: 'GET',
      path: '/nth/:n',
      handler: async (request) => {
        const n = Number(request.params.n);
        if (!Number.isInteger(n) || n < 1 || n > ctx.config.maxN) {
          return {
            status: 400,
            body: {
              error: {
                code: 'PRIMES_N_INVALID',
                message: `n must be an integer from 1 to ${ctx.config.maxN}`,
              },
            },
          };
        }
        const started = performance.now();
        const prime = await nthPrime(n, { signal: ctx.signal });
        served += 1;
        return { body: { n, prime, ms: Math.round(performance.now() - started), served } };
      },
    });
    ctx.logger.info({ maxN: ctx.config.maxN }, 'primes route registered');
  },
  health: () => 'pass',
});
