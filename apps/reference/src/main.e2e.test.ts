// End-to-end: runs the built server (`node dist/main.js`, what `pnpm start` runs) as a child
// process and drives it over real HTTP. Needs `pnpm build` first (turbo's test task depends on it).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';

const main = resolve(__dirname, '../dist/main.js');
const fixtures = resolve(__dirname, '../test-fixtures/plugins');
const fixtureConfig = resolve(__dirname, '../test-fixtures/config');
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

interface Server {
  url: string;
  output: string[];
  exited: Promise<{ code: number | null; at: number }>;
}

async function startServer(env: Record<string, string> = {}): Promise<Server> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run "pnpm build" first.`);
  const proc = spawn(process.execPath, [main], {
    // NODE_OPTIONS of the test runner (vm modules) must not leak into the server.
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      TRELLIS_HTTP__PORT: '0',
      TRELLIS_SHUTDOWN__TIMEOUT_MS: '5s',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; at: number }>((done) =>
    proc.on('exit', (code) => done({ code, at: Date.now() })),
  );
  const url = await new Promise<string>((found, fail) => {
    let buffer = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        const record = JSON.parse(line) as { url?: string; msg?: string };
        if (record.url && record.msg?.includes('listening on')) found(record.url);
      }
    });
    proc.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then(({ code }) => fail(new Error(`server exited with ${code}:\n${output.join('\n')}`)));
  });
  return { url, output, exited };
}

describe('reference app (built, as `pnpm start` runs it)', () => {
  it('serves the sample plugin and /health, and exits 0 on SIGTERM', async () => {
    const server = await startServer();
    const hello = await fetch(`${server.url}/plugins/hello`);
    expect(await hello.json()).toEqual({ message: 'Hello, world!', greetings: 1 });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    child?.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(server.output.some((l) => l.includes('platform stopped'))).toBe(true);
  });

  it('finishes in-flight requests and stops plugins inside the deadline when SIGTERM arrives under load', async () => {
    const server = await startServer({ TRELLIS_PLUGINS_DIR: fixtures, TRELLIS_CONFIG_DIR: fixtureConfig });
    const outcomes: { status: number | 'refused'; startedAt: number }[] = [];
    let stopping = false;
    // 16 clients, each looping over a 300 ms route, at most 20 requests each: bounded load.
    const clients = Array.from({ length: 16 }, async () => {
      for (let i = 0; i < 20 && !stopping; i++) {
        const startedAt = Date.now();
        try {
          const res = await fetch(`${server.url}/plugins/slow/work`);
          await res.arrayBuffer();
          outcomes.push({ status: res.status, startedAt });
        } catch {
          outcomes.push({ status: 'refused', startedAt });
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 700));
    const signalledAt = Date.now();
    child?.kill('SIGTERM');
    const { code, at } = await server.exited;
    stopping = true;
    await Promise.all(clients);

    // The server's own log explains a non-zero exit (which module failed or timed out).
    expect({ code, log: code === 0 ? '' : server.output.join('\n') }).toEqual({ code: 0, log: '' });
    expect(at - signalledAt).toBeLessThan(5_000);
    const beforeSignal = outcomes.filter((o) => o.startedAt < signalledAt - 50);
    expect(beforeSignal.length).toBeGreaterThan(16);
    // Requests already running when the signal came were answered, not cut off.
    expect(beforeSignal.every((o) => o.status === 200)).toBe(true);
    // Nothing failed with a server error; late requests were refused or told 503 (closing).
    expect(outcomes.every((o) => o.status === 200 || o.status === 503 || o.status === 'refused')).toBe(true);
    const log = server.output.join('\n');
    expect(log.indexOf('slow plugin stopped')).toBeGreaterThan(-1);
    expect(log.indexOf('platform stopped')).toBeGreaterThan(log.indexOf('slow plugin stopped'));
  });

  it('exits at once with 130 on a second SIGINT while a stop is in progress', async () => {
    const server = await startServer({ TRELLIS_PLUGINS_DIR: fixtures, TRELLIS_CONFIG_DIR: fixtureConfig });
    // Keep one slow request in flight so the first stop has something to wait for.
    const pending = fetch(`${server.url}/plugins/slow/work`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    child?.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    child?.kill('SIGINT');
    expect((await server.exited).code).toBe(130);
    await pending;
  });

  it('hot-reloads a changed plugin, and keeps the running version when the new code is broken', async () => {
    // Inside the app folder so the plugin's `@trellis/core` import resolves (.tmp-test is ignored by git).
    await mkdir(resolve(__dirname, '../.tmp-test'), { recursive: true });
    const plugins = await mkdtemp(resolve(__dirname, '../.tmp-test/plugins-'));
    const write = (body: string) =>
      writeFile(
        join(plugins, 'greeter', 'index.mjs'),
        `import { definePlugin, HTTP_ROUTER } from '@trellis/core';\nexport const plugin = definePlugin({ setup(ctx) { ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => ({ body: '${body}' }) }); } });\n`,
      );
    try {
      await mkdir(join(plugins, 'greeter'));
      await writeFile(
        join(plugins, 'greeter', 'trellis.plugin.json'),
        JSON.stringify({
          name: 'greeter',
          version: '1.0.0',
          platform: '^0.1.0',
          main: 'index.mjs',
          permissions: ['http:route'],
        }),
      );
      await write('v1');
      const server = await startServer({
        TRELLIS_PLUGINS_DIR: plugins,
        TRELLIS_CONFIG_DIR: fixtureConfig,
        TRELLIS_PLUGIN_HOST__WATCH: 'true',
      });
      const greet = async () => (await fetch(`${server.url}/plugins/greeter`)).text();
      expect(await greet()).toBe('v1');
      await write('v2');
      for (let i = 0; i < 60 && (await greet()) !== 'v2'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await greet()).toBe('v2');
      await writeFile(join(plugins, 'greeter', 'index.mjs'), 'export const = broken;\n');
      for (let i = 0; i < 60 && !server.output.some((l) => l.includes('plugin reload failed')); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(server.output.some((l) => l.includes('plugin reload failed'))).toBe(true);
      expect(await greet()).toBe('v2');
      child?.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    } finally {
      await rm(plugins, { recursive: true, force: true });
    }
  });
});
