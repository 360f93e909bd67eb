import { describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  createPluginContext,
  HTTP_ROUTER,
  type HttpRequest,
  type HttpResponse,
  type HttpRoute,
  type HttpRouter,
  isPlugin,
} from '@trellis/core';
import { POLICIES, PolicyRegistry } from '@trellis/resilience';
import { createFlakyUpstream, UpstreamError } from './flaky-upstream.js';
import { plugin, type WeatherConfig, WeatherConfigSchema } from './weather-plugin.js';

const fastPolicy = {
  defaults: {
    retry: { maxAttempts: 3, backoff: { initialMs: 1, maxMs: 2 }, budget: false },
    breaker: { threshold: 4, halfOpenAfterMs: 60_000 },
    timeout: { ms: 200 },
  },
} as const;

async function setUp(upstream: Partial<WeatherConfig['upstream']>) {
  const routes = new Map<string, HttpRoute>();
  const router: HttpRouter = {
    basePath: '/plugins/weather',
    route: (route) => {
      routes.set(route.path, route);
      return { dispose: () => routes.delete(route.path) };
    },
    scope: () => router,
  };
  const platform = createPlatform({ logLevel: 'silent' });
  const policies = new PolicyRegistry(fastPolicy);
  const ctx = createPluginContext({
    parent: platform.container,
    manifest: { name: 'weather', version: '0.1.0', platform: '^0.1.0' },
    config: WeatherConfigSchema.parse({ upstream: { latencyMs: 0, slowRate: 0, ...upstream } }),
    signal: new AbortController().signal,
  });
  ctx.container.register(HTTP_ROUTER, { useValue: router });
  ctx.container.register(POLICIES, { useValue: policies });
  await plugin.setup?.(ctx);
  const get = async (path: string, params: Record<string, string> = {}): Promise<HttpResponse> => {
    const request: HttpRequest = {
      method: 'GET',
      url: path,
      params,
      query: {},
      headers: {},
      body: undefined,
    };
    return (await routes.get(path)?.handler(request)) as HttpResponse;
  };
  return { get, ctx, policies };
}

describe('weather plugin', () => {
  it('is a plugin whose config defaults describe a flaky upstream', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(WeatherConfigSchema.parse({}).upstream).toEqual({
      failureRate: 0.3,
      slowRate: 0.05,
      latencyMs: 20,
      slowMs: 3_000,
    });
  });

  it('serves a fresh forecast when the upstream answers', async () => {
    const { get } = await setUp({ failureRate: 0 });
    const response = await get('/forecast/:city', { city: 'Oslo' });
    expect(response.body).toMatchObject({ city: 'Oslo', stale: false });
  });

  it('retries a failing upstream, then answers 503 when it has nothing to fall back on', async () => {
    const { get } = await setUp({ failureRate: 1 });
    const response = await get('/forecast/:city', { city: 'Oslo' });
    expect(response).toMatchObject({ status: 503, body: { error: { code: 'UPSTREAM_UNAVAILABLE' } } });
    const policy = (await get('/policy')).body as { stats: { retries: number; calls: number } };
    expect(policy.stats).toMatchObject({ calls: 1, retries: 2 });
  });

  it('opens the breaker after repeated failures and then refuses at once', async () => {
    const { get } = await setUp({ failureRate: 1 });
    // Two calls of three failing attempts each pass the breaker's threshold of 4.
    await get('/forecast/:city', { city: 'Bergen' });
    await get('/forecast/:city', { city: 'Bergen' });
    const policy = (await get('/policy')).body as { state: string };
    expect(policy.state).toBe('open');
    const refused = await get('/forecast/:city', { city: 'Bergen' });
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'RESILIENCE_BREAKER_OPEN' } } });
  });

  it('falls back to the cached forecast of the city', async () => {
    const { get, ctx } = await setUp({ failureRate: 1 });
    await ctx.cache.set('last:Oslo', { city: 'Oslo', celsius: 3, at: 'earlier' });
    const response = await get('/forecast/:city', { city: 'Oslo' });
    expect(response.body).toEqual({
      city: 'Oslo',
      celsius: 3,
      at: 'earlier',
      stale: true,
      reason: 'UPSTREAM_UNAVAILABLE',
    });
  });

  it('reports healthy', () => {
    expect(plugin.health?.({} as never)).toBe('pass');
  });
});

describe('createFlakyUpstream', () => {
  it('fails, stalls and answers as its draws say', async () => {
    const draws = [0.1, 0.9, 0.9, 0.9];
    const upstream = createFlakyUpstream({
      failureRate: 0.5,
      slowRate: 0.5,
      latencyMs: 0,
      slowMs: 0,
      random: () => draws.shift() ?? 0.9,
    });
    await expect(upstream('Oslo')).rejects.toBeInstanceOf(UpstreamError);
    await expect(upstream('Oslo')).resolves.toMatchObject({ city: 'Oslo' });
  });

  it('gives up when its signal aborts, as a real client does', async () => {
    const upstream = createFlakyUpstream({ failureRate: 0, slowRate: 1, latencyMs: 0, slowMs: 60_000 });
    const controller = new AbortController();
    const pending = upstream('Oslo', controller.signal);
    controller.abort(new Error('timed out'));
    await expect(pending).rejects.toThrow('timed out');
  });
});
