import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@trellis/core';
import { type ReferenceApp, startReferenceApp } from './reference-app.js';

const samplePlugins = resolve(__dirname, '../plugins');
let app: ReferenceApp | undefined;
let lines: string[] = [];

afterEach(async () => {
  await app?.platform.stop();
  app = undefined;
  lines = [];
});

function logger() {
  return new ConsoleLogger({ level: 'info', destination: { write: (l) => lines.push(l) } });
}

describe('startReferenceApp', () => {
  it('serves the sample plugin and /health on a free port with no external services', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      overrides: { 'http.port': 0 },
      logger: logger(),
    });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const hello = await fetch(`${app.url}/plugins/hello`);
    expect(await hello.json()).toEqual({ message: 'Hello, world!', greetings: 1 });
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'pass',
      checks: { 'plugin:hello': { status: 'pass' } },
    });
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    expect(app.plugins.list().map((p) => [p.name, p.state, p.isolation])).toEqual([
      ['hello', 'active', 'inline'],
      ['notes', 'active', 'process'],
      ['primes', 'active', 'worker'],
      ['weather', 'active', 'inline'],
    ]);
    expect(app.startReport.modules.map((m) => m.module)).toEqual([
      'config',
      'resilience',
      'http-router',
      'plugin-host',
      'supervision',
      'http-server',
    ]);
  });

  it('passes plugin config from the platform config', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      logger: logger(),
      env: { TRELLIS_HTTP__PORT: '0', TRELLIS_PLUGINS__HELLO__GREETING: 'Hej' },
    });
    expect(app.config.explain('plugins.hello.greeting')).toMatchObject({
      origin: 'env TRELLIS_PLUGINS__HELLO__GREETING',
    });
    const res = await fetch(`${app.url}/plugins/hello/greet/Ada`);
    expect(await res.json()).toEqual({ message: 'Hej, Ada!', greetings: 1 });
  });

  it('answers 500 without internals when a plugin route throws, and logs the error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trellis-app-'));
    try {
      await mkdir(join(dir, 'thrower'));
      await writeFile(
        join(dir, 'thrower', 'trellis.plugin.json'),
        JSON.stringify({
          name: 'thrower',
          version: '1.0.0',
          platform: '^0.1.0',
          main: 'index.mjs',
          permissions: ['http:route'],
        }),
      );
      await writeFile(
        join(dir, 'thrower', 'index.mjs'),
        `import { definePlugin, HTTP_ROUTER } from '@trellis/core';
         export default definePlugin({ setup(ctx) {
           ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => { throw new Error('secret path /etc/x'); } });
         } });`,
      );
      app = await startReferenceApp({ pluginsDir: dir, overrides: { 'http.port': 0 }, logger: logger() });
      const res = await fetch(`${app.url}/plugins/thrower`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' } });
      expect(lines.some((l) => l.includes('request failed') && l.includes('secret path'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers 404 with a JSON error for unknown routes', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      overrides: { 'http.port': 0 },
      logger: logger(),
    });
    const res = await fetch(`${app.url}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: 'GET /nothing-here is not served.' },
    });
  });

  it('stops accepting connections once stopped', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      overrides: { 'http.port': 0 },
      logger: logger(),
    });
    const { url } = app;
    const report = await app.platform.stop();
    expect(report.clean).toBe(true);
    expect(report.modules.map((m) => m.module)).toEqual([
      'http-server',
      'supervision',
      'plugin-host',
      'http-router',
      'resilience',
      'config',
    ]);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('refuses to start on invalid config, naming the path, the problem and its origin', async () => {
    const error = (await startReferenceApp({
      pluginsDir: samplePlugins,
      logger: logger(),
      env: { TRELLIS_HTTP__PORT: '70000' },
    }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.message).toContain('http.port');
    expect(error.message).toContain('env TRELLIS_HTTP__PORT');
  });

  it('rejects an unknown setting with a suggestion', async () => {
    const error = (await startReferenceApp({
      pluginsDir: samplePlugins,
      logger: logger(),
      env: { TRELLIS_HTTP__PORTT: '1' },
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('did you mean TRELLIS_HTTP__PORT?');
  });

  it('reads its config files and applies a valid edit while running (hot reload)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trellis-app-config-'));
    try {
      await writeFile(
        join(dir, 'default.yaml'),
        'http:\n  port: 0\nplugins:\n  hello:\n    greeting: Ahoy\n',
      );
      app = await startReferenceApp({
        pluginsDir: samplePlugins,
        configDir: dir,
        logger: logger(),
        watchConfig: true,
      });
      expect(await (await fetch(`${app.url}/plugins/hello`)).json()).toMatchObject({
        message: 'Ahoy, world!',
      });
      const changed = new Promise<readonly string[]>((resolve) =>
        app?.config.onChange((e) => resolve(e.paths)),
      );
      await writeFile(
        join(dir, 'default.yaml'),
        'http:\n  port: 0\nplugins:\n  hello:\n    greeting: Ahoy\nlog:\n  level: warn\n',
      );
      expect(await changed).toEqual(['log.level']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails only the plugin whose config slice is invalid, naming the setting and its origin', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      logger: logger(),
      env: { TRELLIS_HTTP__PORT: '0', TRELLIS_PLUGINS__HELLO__GREETING: '' },
    });
    expect(app.plugins.list()).toEqual([
      expect.objectContaining({
        name: 'hello',
        state: 'failed',
        error: {
          code: 'PLUGIN_CONFIG_INVALID',
          message: expect.stringContaining('plugins.hello.greeting: Too small'),
        },
      }),
      expect.objectContaining({ name: 'notes', state: 'active' }),
      expect.objectContaining({ name: 'primes', state: 'active' }),
      expect.objectContaining({ name: 'weather', state: 'active' }),
    ]);
    expect(app.plugins.list()[0]?.error?.message).toContain('(from env TRELLIS_PLUGINS__HELLO__GREETING)');
    const health = await fetch(`${app.url}/health`);
    expect(await health.json()).toMatchObject({
      status: 'warn',
      checks: { 'plugin:hello': { status: 'fail' } },
    });
  });

  it('serves a worker plugin and a sandboxed process plugin, and keeps serving while the worker computes', async () => {
    app = await startReferenceApp({
      pluginsDir: samplePlugins,
      logger: logger(),
      overrides: { 'http.port': 0 },
    });
    const prime = await fetch(`${app.url}/plugins/primes/nth/1000`);
    expect(await prime.json()).toMatchObject({ n: 1000, prime: 7919 });

    // A second of CPU in the worker does not hold up the inline plugin in the host.
    const order: string[] = [];
    const heavy = fetch(`${app.url}/plugins/primes/nth/2000000`).then(async (res) => {
      order.push('primes');
      return res.json();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const light = await fetch(`${app.url}/plugins/hello`);
    order.push('hello');
    expect(light.status).toBe(200);
    expect(await heavy).toMatchObject({ n: 2_000_000, prime: 32_452_843 });
    expect(order).toEqual(['hello', 'primes']);

    const created = await fetch(`${app.url}/plugins/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'remember the milk' }),
    });
    expect(created.status).toBe(201);
    const notes = await (await fetch(`${app.url}/plugins/notes`)).json();
    expect(notes).toMatchObject({ notes: [{ id: 1, text: 'remember the milk' }] });
    const sandbox = (await (await fetch(`${app.url}/plugins/notes/sandbox`)).json()) as {
      pid: number;
      env: string[];
    };
    expect(sandbox).toMatchObject({
      permissionModel: true,
      canRead: { '/etc/passwd': false },
      canSpawnProcesses: false,
      canStartWorkers: false,
    });
    expect(sandbox.pid).not.toBe(process.pid);
    expect(sandbox.env).not.toContain('HOME');
    const health = (await (await fetch(`${app.url}/health`)).json()) as { checks: unknown };
    expect(health.checks).toMatchObject({
      'plugin:notes': { status: 'pass' },
      'plugin:primes': { status: 'pass' },
    });
  });
});
