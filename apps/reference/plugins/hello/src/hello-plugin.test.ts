import { describe, expect, it } from '@jest/globals';
import {
  createPlatform,
  createPluginContext,
  HTTP_ROUTER,
  type HttpRequest,
  type HttpRoute,
  type HttpRouter,
  isPlugin,
  type PluginContext,
  type PluginManifest,
} from '@trellis/core';
import { type HelloConfig, HelloConfigSchema, plugin } from './hello-plugin.js';

const manifest: PluginManifest = { name: 'hello', version: '0.1.0', platform: '^0.1.0' };

function request(params: Record<string, string> = {}): HttpRequest {
  return { method: 'GET', url: '/', params, query: {}, headers: {}, body: undefined };
}

function setUp(config: HelloConfig = { greeting: 'Hello' }) {
  const routes = new Map<string, HttpRoute>();
  const router: HttpRouter = {
    basePath: '/plugins/hello',
    route: (route) => {
      routes.set(route.path, route);
      return { dispose: () => routes.delete(route.path) };
    },
    scope: () => router,
  };
  const platform = createPlatform({ logLevel: 'silent' });
  const ctx: PluginContext<HelloConfig> = createPluginContext({
    parent: platform.container,
    manifest,
    config,
    signal: new AbortController().signal,
  });
  ctx.container.register(HTTP_ROUTER, { useValue: router });
  return { ctx, routes, platform };
}

describe('hello plugin', () => {
  it('is a plugin definition', () => {
    expect(isPlugin(plugin)).toBe(true);
  });

  it('defaults the greeting to Hello and rejects unknown config keys', () => {
    expect(HelloConfigSchema.parse({})).toEqual({ greeting: 'Hello' });
    expect(HelloConfigSchema.safeParse({ greting: 'Hi' }).success).toBe(false);
  });

  it('greets the world and a name with the configured greeting, counting greetings', async () => {
    const { ctx, routes } = setUp({ greeting: 'Hi' });
    await plugin.setup?.(ctx);
    expect(await routes.get('/')?.handler(request())).toEqual({
      body: { message: 'Hi, world!', greetings: 1 },
    });
    expect(await routes.get('/greet/:name')?.handler(request({ name: 'Ada' }))).toEqual({
      body: { message: 'Hi, Ada!', greetings: 2 },
    });
  });

  it('keeps its counter in its own cache namespace', async () => {
    const { ctx, routes, platform } = setUp();
    await plugin.setup?.(ctx);
    await routes.get('/')?.handler(request());
    const { CACHE } = await import('@trellis/core');
    await expect(platform.resolve(CACHE).get('plugin:hello:greetings')).resolves.toBe(1);
    await expect(platform.resolve(CACHE).get('greetings')).resolves.toBeUndefined();
  });

  it('reports the greeting count in its health', async () => {
    const { ctx, routes } = setUp();
    await plugin.setup?.(ctx);
    await routes.get('/')?.handler(request());
    await expect(plugin.health?.(ctx)).resolves.toEqual({ status: 'pass', details: { greetings: 1 } });
  });
});
