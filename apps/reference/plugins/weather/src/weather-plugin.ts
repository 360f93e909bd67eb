import { definePlugin, HTTP_ROUTER } from '@trellis/core';
import { POLICIES } from '@trellis/resilience';
import { z } from 'zod';
import { createFlakyUpstream, type Forecast } from './flaky-upstream.js';

/** Config slice `plugins.weather`: how flaky the simulated upstream is. */
export const WeatherConfigSchema = z
  .object({
    upstream: z
      .object({
        failureRate: z.number().min(0).max(1).default(0.3),
        slowRate: z.number().min(0).max(1).default(0.05),
        latencyMs: z.number().int().min(0).default(20),
        slowMs: z.number().int().min(0).default(3_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The weather plugin's parsed config. */
export type WeatherConfig = z.infer<typeof WeatherConfigSchema>;

/**
 * `GET /plugins/weather/forecast/:city` asks a deliberately flaky upstream through the policy
 * configured for call site `upstream` (`resilience.policies`): retries with backoff and a retry
 * budget, a breaker, a timeout per attempt. When the policy gives up, the last good forecast for
 * the city is served, marked `stale`; with none, 503. `GET /plugins/weather/policy` shows the
 * policy's counters and breaker state, to watch it work.
 */
export const plugin = definePlugin<WeatherConfig>({
  configSchema: WeatherConfigSchema,
  setup(ctx) {
    const policy = ctx.resolve(POLICIES).get(ctx.manifest.name, 'upstream');
    const upstream = createFlakyUpstream(ctx.config.upstream);
    const router = ctx.resolve(HTTP_ROUTER);
    router.route({
      method: 'GET',
      path: '/forecast/:city',
      handler: async (request) => {
        const city = request.params.city ?? '';
        try {
          const forecast = await policy.execute(({ signal }) => upstream(city, signal));
          await ctx.cache.set(`last:${city}`, forecast, { ttlMs: 0 });
          return { body: { ...forecast, stale: false } };
        } catch (error) {
          const last = await ctx.cache.get<Forecast>(`last:${city}`);
          const code = (error as { code?: string }).code ?? 'UPSTREAM_UNAVAILABLE';
          if (last) return { body: { ...last, stale: true, reason: code } };
          return {
            status: 503,
            body: { error: { code, message: 'No forecast available right now; try again shortly.' } },
          };
        }
      },
    });
    router.route({
      method: 'GET',
      path: '/policy',
      handler: () => ({ body: { state: policy.state, stats: policy.stats() } }),
    });
  },
  health: () => 'pass',
});
