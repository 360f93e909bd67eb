import { describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  createPluginContext,
  HTTP_ROUTER,
  type HttpRequest,
  type HttpRoute,
  type HttpRouter,
  isPlugin,
} from '@trellis/core';
import { type PrimesConfig, PrimesConfigSchema, plugin } from './primes-plugin.js';
import { nthPrime } from './sieve.js';

function setUp(config: PrimesConfig) {
  const routes = new Map<string, HttpRoute>();
  const router: HttpRouter = {
    basePath: '/plugins/primes',
    route: (route) => {
      routes.set(route.path, route);
      return { dispose: () => routes.delete(route.path) };
    },
    scope: () => router,
  };
  const platform = createPlatform({ logLevel: 'silent' });
  const ctx = createPluginContext({
    parent: platform.container,
    manifest: { name: 'primes', version: '0.1.0', platform: '^0.1.0' },
    config,
    signal: new AbortController().signal,
  });
  ctx.container.register(HTTP_ROUTER, { useValue: router });
  return { ctx, routes };
}

const get = (n: string): HttpRequest => ({
  method: 'GET',
  url: `/nth/${n}`,
  params: { n },
  query: {},
  headers: {},
  body: undefined,
});

describe('nthPrime', () => {
  it.each([
    [1, 2],
    [2, 3],
    [5, 11],
    [6, 13],
    [100, 541],
    [10_000, 104_729],
  ])('the %ith prime is %i', async (n, prime) => {
    await expect(nthPrime(n)).resolves.toBe(prime);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects %p', async (n) => {
    await expect(nthPrime(n)).rejects.toThrow(RangeError);
  });

  it('yields to the event loop during long searches, so timers still run', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await expect(nthPrime(300_000, { yieldEveryMs: 1 })).resolves.toBe(4_256_233);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('plugin stopping'));
    await expect(nthPrime(300_000, { yieldEveryMs: 0, signal: controller.signal })).rejects.toThrow(
      'plugin stopping',
    );
  });
});

describe('primes plugin', () => {
  it('is a plugin with a strict config that defaults maxN', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(PrimesConfigSchema.parse({})).toEqual({ maxN: 5_000_000 });
    expect(PrimesConfigSchema.safeParse({ max: 1 }).success).toBe(false);
  });

  it('answers the nth prime and counts requests', async () => {
    const { ctx, routes } = setUp({ maxN: 1_000 });
    await plugin.setup?.(ctx);
    const route = routes.get('/nth/:n');
    expect(await route?.handler(get('100'))).toMatchObject({ body: { n: 100, prime: 541, served: 1 } });
    expect(await route?.handler(get('6'))).toMatchObject({ body: { prime: 13, served: 2 } });
  });

  it.each(['0', 'x', '1001', '2.5'])('answers 400 for n = %s', async (n) => {
    const { ctx, routes } = setUp({ maxN: 1_000 });
    await plugin.setup?.(ctx);
    const response = await routes.get('/nth/:n')?.handler(get(n));
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'PRIMES_N_INVALID' } } });
  });

  it('reports healthy', async () => {
    const { ctx } = setUp({ maxN: 10 });
    expect(await plugin.health?.(ctx)).toBe('pass');
  });
});
