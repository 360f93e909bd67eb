import { afterEach, describe, expect, it } from '@jest/globals';
import type { PluginInstance } from './plugin-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import { createTestHost, fixtureSpec } from './runtime-test-host.js';

const deadline = { timeoutMs: 5_000 };
const instances: PluginInstance[] = [];
const runtimes: ProcessRuntime[] = [];

afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.dispose()));
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.dispose()));
});

function runtime(options: ConstructorParameters<typeof ProcessRuntime>[0] = {}): ProcessRuntime {
  const created = new ProcessRuntime(options);
  runtimes.push(created);
  return created;
}

async function load(
  on: ProcessRuntime,
  overrides: Parameters<typeof fixtureSpec>[1] & { warmStandby?: boolean },
) {
  const spec = { ...fixtureSpec('read-outside', overrides), warmStandby: overrides.warmStandby };
  const instance = await on.load(spec, createTestHost(spec).context);
  instances.push(instance);
  return instance;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ProcessRuntime warm standby', () => {
  it('keeps no spare unless the plugin or the runtime asks for one', async () => {
    const plain = runtime();
    await load(plain, {});
    expect(plain.standbyPid('read-outside')).toBeUndefined();
    const everyPlugin = runtime({ warmStandby: true });
    await load(everyPlugin, {});
    expect(everyPlugin.standbyPid('read-outside')).toEqual(expect.any(Number));
  });

  it('forks a spare with the same sandbox after a load and gives it to the next load of that plugin', async () => {
    const on = runtime();
    const first = await load(on, { warmStandby: true });
    const spare = on.standbyPid('read-outside');
    expect(spare).toEqual(expect.any(Number));
    expect(spare).not.toBe(first.stats().pid);
    await first.dispose();
    const second = await load(on, { warmStandby: true });
    expect(second.stats().pid).toBe(spare);
    // The spare runs under the plugin's own permission flags.
    const report = (await second.health(deadline)).details as Record<string, unknown>;
    expect(report.outside).toBe('ERR_ACCESS_DENIED');
    expect(report.inside).toBe('allowed');
    expect(on.standbyPid('read-outside')).not.toBe(spare);
  });

  it('does not hand a spare forked with other grants to a load, and ends it', async () => {
    const on = runtime();
    await load(on, { warmStandby: true });
    const spare = on.standbyPid('read-outside') as number;
    const widened = await load(on, { warmStandby: true, granted: ['fs:read:/etc/hostname'] });
    expect(widened.stats().pid).not.toBe(spare);
    expect(((await widened.health(deadline)).details as Record<string, unknown>).outside).toBe('allowed');
    for (let i = 0; i < 100 && alive(spare); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(spare)).toBe(false);
  });

  it('ends a plugin spare on release and all spares on dispose', async () => {
    const on = runtime();
    await load(on, { warmStandby: true });
    const spare = on.standbyPid('read-outside') as number;
    await on.release('read-outside');
    expect(on.standbyPid('read-outside')).toBeUndefined();
    expect(alive(spare)).toBe(false);
    await load(on, { warmStandby: true });
    const next = on.standbyPid('read-outside') as number;
    await on.dispose();
    expect(alive(next)).toBe(false);
    await load(on, { warmStandby: true });
    expect(on.standbyPid('read-outside')).toBeUndefined();
  });

  it('forgets a spare that died while idle and forks on demand', async () => {
    const on = runtime();
    await load(on, { warmStandby: true });
    const spare = on.standbyPid('read-outside') as number;
    process.kill(spare, 'SIGKILL');
    for (let i = 0; i < 100 && on.standbyPid('read-outside') !== undefined; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(on.standbyPid('read-outside')).toBeUndefined();
    const next = await load(on, { warmStandby: true });
    expect(next.stats().pid).not.toBe(spare);
    await expect(next.health(deadline)).resolves.toMatchObject({ status: 'pass' });
  });
});

describe('ProcessRuntime warm standby at the end of a program', () => {
  it('lets a program whose last act is dispose() finish it, spare reaped', async () => {
    const { spawn } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const { resolve } = await import('node:path');
    const dist = pathToFileURL(resolve(__dirname, '../../dist/index.js')).href;
    const fixture = resolve(__dirname, '../../test-fixtures/plugins/read-outside');
    // Loads a plugin with a spare, disposes both, and prints only once dispose() has settled.
    const script = `
      import { readFileSync } from 'node:fs';
      import { join } from 'node:path';
      import { ProcessRuntime } from ${JSON.stringify(dist)};
      const dir = ${JSON.stringify(fixture)};
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).trellis;
      const runtime = new ProcessRuntime({ warmStandby: true });
      const noop = () => undefined;
      const logger = { level: 'info', trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, child() { return logger; } };
      const context = { manifest, config: {}, logger, metrics: {}, cache: {}, events: { on: () => ({ dispose: noop }), emit: noop }, signal: new AbortController().signal, container: { isRegistered: () => false }, resolve: () => { throw new Error('none'); } };
      const instance = await runtime.load({ manifest, dir, entry: join(dir, manifest.main), config: {}, granted: manifest.permissions ?? [] }, context);
      const spare = runtime.standbyPid(manifest.name);
      await instance.dispose();
      await runtime.dispose();
      process.stdout.write('disposed ' + spare + '\\n');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((done) => child.on('close', done));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const spare = Number(/disposed (\d+)/.exec(stdout)?.[1]);
    expect(spare).toBeGreaterThan(0);
    expect(alive(spare)).toBe(false);
  });
});
