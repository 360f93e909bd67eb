import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PluginHookFailedError } from '../errors.js';
import { InlineRuntime } from './inline-runtime.js';
import type { RuntimePluginSpec } from './plugin-runtime.js';
import { createTestHost, fixtureSpec, PROBE } from './runtime-test-host.js';

const deadline = { timeoutMs: 1_000 };
const root = mkdtempSync(join(tmpdir(), 'trellis-inline-'));
let count = 0;

/** A plugin whose entry is `body` (an object literal of hooks), in a folder of its own. */
function tempPlugin(body: string): RuntimePluginSpec {
  count += 1;
  const dir = join(root, `p${count}`);
  const name = `temp-${count}`;
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'index.mjs'),
    `export const plugin = { [Symbol.for('@trellis/core.Plugin')]: true, ...${body} };`,
  );
  return {
    manifest: { name, version: '1.0.0', platform: '^0.1.0', main: 'index.mjs' },
    dir,
    entry: join(dir, 'index.mjs'),
    config: {},
    granted: [],
  };
}

async function load(spec: RuntimePluginSpec) {
  const host = createTestHost(spec);
  return { host, instance: await new InlineRuntime().load(spec, host.context) };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('InlineRuntime', () => {
  it('hands hooks the host context, whose container resolves granted services', async () => {
    const spec = tempPlugin(
      `{ async start(ctx) { await ctx.resolve(Symbol.for('${PROBE.description}')).report(ctx.config.word); } }`,
    );
    const { host, instance } = await load({ ...spec, config: { word: 'hi' } });
    await instance.call('start', deadline);
    expect(host.probe.reports).toEqual([{ label: 'hi', traceparent: undefined }]);
  });

  it('wraps what a hook throws, synchronously or not, in PLUGIN_HOOK_FAILED with the cause', async () => {
    const { instance } = await load(
      tempPlugin("{ setup() { throw new TypeError('sync'); }, async start() { throw new Error('async'); } }"),
    );
    const sync = await instance.call('setup', deadline).catch((e: unknown) => e);
    expect(sync).toBeInstanceOf(PluginHookFailedError);
    expect((sync as Error).message).toContain('failed in setup: sync');
    expect((sync as Error).cause).toBeInstanceOf(TypeError);
    await expect(instance.call('start', deadline)).rejects.toMatchObject({ code: 'PLUGIN_HOOK_FAILED' });
  });

  it('lets a Trellis error (a code and a fix) through with its own code', async () => {
    const { instance } = await load(
      tempPlugin(
        "{ setup() { throw Object.assign(new Error('denied'), { code: 'PLUGIN_PERMISSION_DENIED', fix: 'grant it' }); } }",
      ),
    );
    await expect(instance.call('setup', deadline)).rejects.toMatchObject({
      code: 'PLUGIN_PERMISSION_DENIED',
    });
  });

  it('maps every kind of health answer to a HealthCheckResult', async () => {
    const health = async (body: string) =>
      (await load(tempPlugin(`{ health: ${body} }`))).instance.health(deadline);
    await expect(health("() => 'fail'")).resolves.toEqual({ status: 'fail' });
    await expect(
      health("async () => ({ status: 'pass', message: 'ok', details: { n: 1 } })"),
    ).resolves.toEqual({
      status: 'pass',
      message: 'ok',
      details: { n: 1 },
    });
    await expect(health("() => 'ok'")).resolves.toMatchObject({
      status: 'fail',
      message: expect.stringContaining('"ok"'),
    });
    await expect(health("() => { throw new Error('db down'); }")).resolves.toEqual({
      status: 'fail',
      message: 'db down',
    });
    await expect(health('() => new Promise(() => {})')).resolves.toEqual({
      status: 'fail',
      message: expect.stringContaining('did not finish health within 1000 ms'),
    });
    await expect((await load(tempPlugin('{}'))).instance.health(deadline)).resolves.toEqual({
      status: 'pass',
    });
  });

  it('aborts the plugin signal on abort() and when the host aborts its own', async () => {
    const spec = tempPlugin(
      `{ start(ctx) { ctx.signal.addEventListener('abort', () => ctx.resolve(Symbol.for('${PROBE.description}')).report(ctx.signal.reason)); } }`,
    );
    const first = await load(spec);
    const second = await load(spec);
    await first.instance.call('start', deadline);
    await second.instance.call('start', deadline);
    first.instance.abort('stopping');
    first.instance.abort('twice');
    second.host.controller.abort('host stopping');
    expect(first.host.probe.reports.map((r) => r.label)).toEqual(['stopping']);
    expect(second.host.probe.reports.map((r) => r.label)).toEqual(['host stopping']);
  });

  it('has no hooks it was not given, never exits on its own, and reports its kind only', async () => {
    const { instance } = await load(tempPlugin('{ start() {} }'));
    expect([instance.has('start'), instance.has('stop'), instance.has('health')]).toEqual([
      true,
      false,
      false,
    ]);
    await expect(instance.call('stop', deadline)).resolves.toBeUndefined();
    const disposer = instance.onExit(() => {});
    disposer.dispose();
    await instance.dispose();
    expect(instance.stats()).toEqual({ kind: 'inline' });
  });

  it('rejects with the loader error when the entry cannot be loaded', async () => {
    const spec = fixtureSpec('echo');
    const broken = { ...spec, manifest: { ...spec.manifest, main: 'missing.mjs' } };
    await expect(new InlineRuntime().load(broken, createTestHost(broken).context)).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
    });
  });
});
