import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, createPlatform, HEALTH_REGISTRY, ManualClock, type Platform } from '@trellis/core';
import { createResilienceModule, createSupervisionModule } from '@trellis/resilience';
import Fastify, { type FastifyInstance } from 'fastify';
import { createHttpModule } from '../http/http-module.js';
import { PLUGIN_HOST } from '../tokens.js';
import { createPluginHostModule } from './plugin-host-module.js';

let root: string;
let server: FastifyInstance;
let platform: Platform | undefined;
let logLines: string[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-plugins-'));
  server = Fastify({ logger: false });
  logLines = [];
});

afterEach(async () => {
  await platform?.stop();
  platform = undefined;
  await server.close();
  await rm(root, { recursive: true, force: true });
});

interface FixtureManifest {
  name?: string;
  version?: string;
  platform?: string;
  main?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  health?: { critical?: boolean };
  activation?: string[];
  permissions?: string[];
}

/** Writes a plugin folder: a manifest and an ESM entry whose body defines the plugin. */
async function writePlugin(
  folder: string,
  definition: string,
  manifest: FixtureManifest = {},
): Promise<void> {
  const dir = join(root, folder);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'trellis.plugin.json'),
    JSON.stringify({
      name: folder,
      version: '1.0.0',
      platform: '^0.1.0',
      main: 'index.mjs',
      permissions: ['http:route'],
      ...manifest,
    }),
  );
  await writeFile(
    join(dir, 'index.mjs'),
    `import { definePlugin, HTTP_ROUTER } from '@trellis/core';\nexport const plugin = definePlugin(${definition});\n`,
  );
}

const okPlugin = (tag: string) => `{
  setup(ctx) {
    globalThis.__trellisLog?.push('setup ${tag}');
    ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => ({ body: { tag: '${tag}', config: ctx.config } }) });
  },
  start() { globalThis.__trellisLog?.push('start ${tag}'); },
  stop(ctx) { globalThis.__trellisLog?.push('stop ${tag} aborted=' + ctx.signal.aborted); },
}`;

async function boot(options: { config?: Record<string, unknown>; clock?: ManualClock } = {}) {
  const logger = new ConsoleLogger({ level: 'debug', destination: { write: (l) => logLines.push(l) } });
  platform = createPlatform({
    config: options.config ?? {},
    services: { logger, ...(options.clock ? { clock: options.clock } : {}) },
    modules: [
      createResilienceModule(),
      createHttpModule(server),
      createPluginHostModule({ pluginsDir: root, startTimeoutMs: 1_000 }),
      // Plugin health checks come from resilience's supervision, as in the app.
      createSupervisionModule({ config: { prediction: { enabled: false } } }),
    ],
  });
  const starting = platform.start();
  return { starting, host: () => (platform as Platform).resolve(PLUGIN_HOST) };
}

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
  (globalThis as { __trellisLog?: string[] }).__trellisLog = log;
});

function sortedStates(list: readonly { name: string; state: string; error?: { code: string } }[]) {
  return list
    .map((p) => [p.name, p.state, p.error?.code])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe('PluginHost', () => {
  it('starts a plugin, serves its routes under /plugins/<name> and reports it healthy', async () => {
    await writePlugin('alpha', okPlugin('a'));
    const { starting, host } = await boot();
    await starting;
    expect(host().list()).toEqual([
      expect.objectContaining({ name: 'alpha', version: '1.0.0', state: 'active', dir: join(root, 'alpha') }),
    ]);
    const res = await server.inject({ method: 'GET', url: '/plugins/alpha' });
    expect(res.json()).toEqual({ tag: 'a', config: {} });
    const health = await (platform as Platform).resolve(HEALTH_REGISTRY).check();
    expect(health.checks['plugin:alpha']).toMatchObject({ status: 'pass', critical: false });
  });

  it('keeps the other plugins running when one throws in setup, and withdraws its routes', async () => {
    await writePlugin('alpha', okPlugin('a'));
    await writePlugin(
      'broken',
      `{ setup(ctx) {
          ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => ({ body: 'half' }) });
          throw new Error('setup exploded');
        } }`,
    );
    await writePlugin('gamma', okPlugin('g'));
    const { starting, host } = await boot();
    await starting;
    const states = Object.fromEntries(
      host()
        .list()
        .map((p) => [p.name, p.state]),
    );
    expect(states).toEqual({ alpha: 'active', broken: 'failed', gamma: 'active' });
    expect(host().list()[1]?.error).toEqual({
      code: 'PLUGIN_HOOK_FAILED',
      message: expect.stringContaining('setup exploded'),
    });
    expect((await server.inject({ method: 'GET', url: '/plugins/broken' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: '/plugins/gamma' })).statusCode).toBe(200);
    const health = await (platform as Platform).resolve(HEALTH_REGISTRY).check();
    expect(health.status).toBe('warn');
    expect(health.checks['plugin:broken']).toMatchObject({ status: 'fail' });
  });

  it('fails a plugin whose start hangs past its deadline, without waiting for it', async () => {
    const clock = new ManualClock();
    await writePlugin('hangs', '{ start: () => new Promise(() => {}) }');
    await writePlugin('zeta', okPlugin('z'));
    const { starting, host } = await boot({ clock });
    let settled = false;
    void starting.then(() => {
      settled = true;
    });
    // Wait (for real file I/O, not for time) until the plugin's start deadline is armed: the
    // plugin-host module's own deadline is the first timer, the hook's the second.
    for (let polls = 0; clock.pendingTimers < 2 && polls < 1_000; polls++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await clock.advanceAsync(1_000);
    for (let polls = 0; !settled && polls < 1_000; polls++) await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(true);
    expect(host().list()[0]?.error?.message).toContain('did not finish start within 1000 ms');
    expect(sortedStates(host().list())).toEqual([
      ['hangs', 'failed', 'PLUGIN_HOOK_TIMEOUT'],
      ['zeta', 'active', undefined],
    ]);
  });

  it('marks invalid manifests, missing exports, import errors and platform mismatches as failed', async () => {
    await mkdir(join(root, 'bad-manifest'));
    await writeFile(join(root, 'bad-manifest', 'trellis.plugin.json'), '{"name": 1}');
    await writePlugin('no-export', '{}');
    await writeFile(join(root, 'no-export', 'index.mjs'), 'export const nothing = 1;\n');
    await writePlugin('syntax', '{}');
    await writeFile(join(root, 'syntax', 'index.mjs'), 'export const = ;\n');
    await writePlugin('future', okPlugin('f'), { platform: '^9.0.0' });
    await writePlugin('ok', okPlugin('o'));
    await mkdir(join(root, 'not-a-plugin'));
    const { starting, host } = await boot();
    await starting;
    expect(sortedStates(host().list())).toEqual([
      ['bad-manifest', 'failed', 'PLUGIN_MANIFEST_INVALID'],
      ['future', 'failed', 'PLUGIN_PLATFORM_INCOMPATIBLE'],
      ['no-export', 'failed', 'PLUGIN_LOAD_FAILED'],
      ['ok', 'active', undefined],
      ['syntax', 'failed', 'PLUGIN_LOAD_FAILED'],
    ]);
  });

  it('gives each plugin its config slice parsed by its schema, and fails on invalid config', async () => {
    const withSchema = `{
      configSchema: { safeParse: (v) => typeof v.size === 'number' || v.size === undefined
        ? { success: true, data: { size: v.size ?? 10 } }
        : { success: false, error: { issues: [{ path: ['size'], message: 'expected number' }] } } },
      setup(ctx) { ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => ({ body: ctx.config }) }); },
    }`;
    await writePlugin('sized', withSchema);
    await writePlugin('wrong', withSchema);
    const { starting, host } = await boot({ config: { plugins: { wrong: { size: 'big' } } } });
    await starting;
    expect((await server.inject({ method: 'GET', url: '/plugins/sized' })).json()).toEqual({ size: 10 });
    expect(host().list()[1]).toMatchObject({
      state: 'failed',
      error: {
        code: 'PLUGIN_CONFIG_INVALID',
        message: expect.stringContaining('plugins.wrong.size: expected number'),
      },
    });
  });

  it('starts dependencies first and fails plugins whose dependencies are missing, failed or too old', async () => {
    await writePlugin('app', okPlugin('app'), { dependencies: { zlib: '^1.0.0' } });
    await writePlugin('zlib', okPlugin('zlib'));
    await writePlugin('needs-missing', okPlugin('m'), { dependencies: { ghost: '*' } });
    await writePlugin('needs-new', okPlugin('n'), { dependencies: { zlib: '^2.0.0' } });
    await writePlugin('needs-broken', okPlugin('b'), { dependencies: { broken: '*' } });
    await writePlugin('broken', '{ setup() { throw new Error("no"); } }');
    await writePlugin('soft', okPlugin('soft'), { optionalDependencies: { ghost: '*' } });
    const { starting, host } = await boot();
    await starting;
    const byName = Object.fromEntries(
      host()
        .list()
        .map((p) => [p.name, p]),
    );
    expect(log.indexOf('start zlib')).toBeLessThan(log.indexOf('start app'));
    expect(byName.app?.state).toBe('active');
    expect(byName.soft?.state).toBe('active');
    expect(byName['needs-missing']?.error?.message).toContain(
      'needs ghost@*, but no plugin "ghost" is installed',
    );
    expect(byName['needs-new']?.error?.message).toContain('needs zlib@^2.0.0, found zlib@1.0.0 at zlib');
    expect(byName['needs-broken']?.error).toMatchObject({
      code: 'PLUGIN_DEPENDENCY_DISABLED',
      message: expect.stringContaining('failed in setup: no'),
    });
  });

  it('fails every plugin in a dependency cycle and keeps the rest', async () => {
    await writePlugin('a', okPlugin('a'), { dependencies: { b: '*' } });
    await writePlugin('b', okPlugin('b'), { dependencies: { a: '*' } });
    await writePlugin('c', okPlugin('c'));
    const { starting, host } = await boot();
    await starting;
    expect(sortedStates(host().list())).toEqual([
      ['a', 'failed', 'PLUGIN_DEPENDENCY_CYCLE'],
      ['b', 'failed', 'PLUGIN_DEPENDENCY_CYCLE'],
      ['c', 'active', undefined],
    ]);
  });

  it('fails the second of two folders declaring the same plugin name, naming both', async () => {
    await writePlugin('one', okPlugin('1'), { name: 'same' });
    await writePlugin('two', okPlugin('2'), { name: 'same' });
    const { starting, host } = await boot();
    await starting;
    expect(
      host()
        .list()
        .find((p) => p.error?.code === 'PLUGIN_NAME_TAKEN'),
    ).toMatchObject({
      state: 'failed',
      error: { message: expect.stringContaining(join(root, 'one')) },
    });
    expect(
      host()
        .list()
        .filter((p) => p.state === 'active'),
    ).toHaveLength(1);
  });

  it('runs with no plugins when the folder does not exist', async () => {
    await rm(root, { recursive: true });
    const { starting, host } = await boot();
    await starting;
    expect(host().list()).toEqual([]);
    expect(logLines.some((l) => l.includes('plugins folder not readable'))).toBe(true);
  });

  it('stops plugins in reverse order with their signal aborted, and withdraws their routes', async () => {
    await writePlugin('a', okPlugin('a'));
    await writePlugin('b', okPlugin('b'), { dependencies: { a: '*' } });
    const { starting, host } = await boot();
    await starting;
    const pluginHost = host();
    await (platform as Platform).stop();
    expect(log.filter((l) => l.startsWith('stop'))).toEqual(['stop b aborted=true', 'stop a aborted=true']);
    expect(pluginHost.list().map((p) => p.state)).toEqual(['stopped', 'stopped']);
    expect((await server.inject({ method: 'GET', url: '/plugins/a' })).statusCode).toBe(404);
  });

  it('keeps stopping the others when one plugin stop throws', async () => {
    await writePlugin('a', okPlugin('a'));
    await writePlugin('b', '{ stop() { throw new Error("stop broke"); } }');
    const { starting } = await boot();
    await starting;
    await (platform as Platform).stop();
    expect(log).toContain('stop a aborted=true');
    expect(
      logLines.some((l) => l.includes('plugin failed to stop cleanly') && l.includes('stop broke')),
    ).toBe(true);
  });

  it('fails readiness when a critical plugin fails', async () => {
    await writePlugin('vital', '{ setup() { throw new Error("down"); } }', { health: { critical: true } });
    const { starting } = await boot();
    await starting;
    const health = await (platform as Platform).resolve(HEALTH_REGISTRY).check();
    expect(health.status).toBe('fail');
  });

  it('does not import a lazy plugin until its route is requested, then starts it once', async () => {
    await writePlugin('eager', okPlugin('e'));
    await writePlugin(
      'lazy',
      `{ setup(ctx) {
        globalThis.__trellisLog?.push('setup lazy');
        ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => ({ body: 'woke' }) });
      } }`,
      { activation: ['onRoute:/plugins/lazy'] },
    );
    await writeFile(
      join(root, 'lazy', 'index.mjs'),
      `import { definePlugin, HTTP_ROUTER } from '@trellis/core';\nglobalThis.__trellisLog?.push('import lazy');\n` +
        (await import('node:fs'))
          .readFileSync(join(root, 'lazy', 'index.mjs'), 'utf8')
          .split('\n')
          .slice(1)
          .join('\n'),
    );
    const { starting, host } = await boot();
    await starting;
    expect(log).not.toContain('import lazy');
    expect(
      host()
        .list()
        .find((p) => p.name === 'lazy')?.state,
    ).toBe('lazy');
    const [a, b] = await Promise.all([
      server.inject({ method: 'GET', url: '/plugins/lazy' }),
      server.inject({ method: 'GET', url: '/plugins/lazy' }),
    ]);
    expect([a.body, b.body]).toEqual(['woke', 'woke']);
    expect(log.filter((l) => l === 'import lazy' || l === 'setup lazy')).toEqual([
      'import lazy',
      'setup lazy',
    ]);
    expect(
      host()
        .list()
        .find((p) => p.name === 'lazy')?.state,
    ).toBe('active');
    expect((await server.inject({ method: 'GET', url: '/plugins/lazyx' })).statusCode).toBe(404);
  });

  it('activates a lazy plugin on its event, and its lazy dependency first', async () => {
    await writePlugin('base', okPlugin('base'), { activation: ['onCommand:never'] });
    await writePlugin('listener', okPlugin('listener'), {
      activation: ['onEvent:orders.created'],
      dependencies: { base: '*' },
    });
    const { starting, host } = await boot();
    await starting;
    expect(log).toEqual([]);
    (platform as Platform).events.emit('orders.created' as never, {} as never);
    for (
      let i = 0;
      i < 100 &&
      host()
        .list()
        .some((p) => p.state === 'lazy');
      i++
    )
      await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['setup base', 'start base', 'setup listener', 'start listener']);
  });

  it('reloads a plugin with its dependents in reverse stop and forward start order', async () => {
    // Fresh code cannot be shown inside Jest (it caches module sources); the e2e test covers that.
    await writePlugin('core-lib', okPlugin('v1'));
    await writePlugin('user', okPlugin('u'), { dependencies: { 'core-lib': '*' } });
    const { starting, host } = await boot();
    await starting;
    const outcome = await host().reload(['core-lib']);
    expect(outcome.ok).toBe(true);
    expect(log.slice(-6)).toEqual([
      'stop u aborted=true',
      'stop v1 aborted=true',
      'setup v1',
      'start v1',
      'setup u',
      'start u',
    ]);
    expect((await server.inject({ method: 'GET', url: '/plugins/user' })).statusCode).toBe(200);
  });

  it('lets calls in flight finish before a reloading plugin stops', async () => {
    await writePlugin(
      'slowpoke',
      `{
        setup(ctx) {
          ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: () => new Promise((resolve) => {
            globalThis.__trellisRelease = () => { globalThis.__trellisLog?.push('call done'); resolve({ body: 'done' }); };
          }) });
        },
        stop() { globalThis.__trellisLog?.push('stop hook'); },
      }`,
    );
    const { starting, host } = await boot();
    await starting;
    const call = server.inject({ method: 'GET', url: '/plugins/slowpoke' });
    for (let i = 0; i < 100 && !(globalThis as { __trellisRelease?: () => void }).__trellisRelease; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const reloading = host().reload(['slowpoke']);
    await new Promise((r) => setTimeout(r, 50));
    expect(log).not.toContain('stop hook');
    (globalThis as { __trellisRelease?: () => void }).__trellisRelease?.();
    expect((await call).body).toBe('done');
    expect((await reloading).ok).toBe(true);
    expect(log.indexOf('call done')).toBeLessThan(log.indexOf('stop hook'));
  });

  it('refuses calls beyond the plugin concurrency limit with 503, and serves them again after', async () => {
    await writePlugin(
      'busy',
      `{ setup(ctx) {
          ctx.resolve(HTTP_ROUTER).route({ method: 'GET', path: '/', handler: async () => {
            await new Promise((resolve) => setTimeout(resolve, 300));
            return { body: 'done' };
          } });
        } }`,
    );
    const { starting } = await boot();
    await starting;
    // The default adaptive limit starts at 20 concurrent calls.
    const responses = await Promise.all(
      Array.from({ length: 26 }, () => server.inject({ method: 'GET', url: '/plugins/busy' })),
    );
    const refused = responses.filter((r) => r.statusCode === 503);
    expect(responses.filter((r) => r.statusCode === 200).length).toBeGreaterThanOrEqual(20);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.json()).toMatchObject({ error: { code: 'RESILIENCE_LIMIT_EXCEEDED' } });
    expect(refused[0]?.headers['retry-after']).toBe('1');
    expect((await server.inject({ method: 'GET', url: '/plugins/busy' })).statusCode).toBe(200);
  });

  it('sheds about half of a plugin calls while failure prediction asks it to', async () => {
    await writePlugin('alpha', okPlugin('a'));
    const { starting, host } = await boot();
    await starting;
    host().shed('alpha', 60_000);
    const codes = await Promise.all(
      Array.from(
        { length: 60 },
        async () => (await server.inject({ method: 'GET', url: '/plugins/alpha' })).statusCode,
      ),
    );
    const shed = codes.filter((code) => code === 503).length;
    expect(shed).toBeGreaterThan(10);
    expect(shed).toBeLessThan(50);
    host().shed('alpha', 0);
    expect((await server.inject({ method: 'GET', url: '/plugins/alpha' })).statusCode).toBe(200);
  });
});
