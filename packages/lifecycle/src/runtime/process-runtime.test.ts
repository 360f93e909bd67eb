// What Node's permission model keeps a `process` plugin from doing, compared with a worker.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { PluginInstance, PluginRuntime } from './plugin-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import { createTestHost, fixtureSpec } from './runtime-test-host.js';
import { WorkerRuntime } from './worker-runtime.js';

const deadline = { timeoutMs: 5_000 };

describe('ProcessRuntime sandbox', () => {
  const instances: PluginInstance[] = [];
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.dispose()));
  });

  async function sandboxReport(runtime: PluginRuntime, granted: readonly string[] = []) {
    const spec = fixtureSpec('read-outside', { granted });
    const host = createTestHost(spec);
    const instance = await runtime.load(spec, host.context);
    instances.push(instance);
    const result = await instance.health(deadline);
    return { details: result.details as Record<string, unknown>, host };
  }

  it('denies reading outside the plugin folder with ERR_ACCESS_DENIED, and allows its own files', async () => {
    const { details } = await sandboxReport(new ProcessRuntime());
    expect(details.outside).toBe('ERR_ACCESS_DENIED');
    expect(details.inside).toBe('allowed');
  });

  it('lets an fs:read grant open a path outside the plugin folder', async () => {
    const { details } = await sandboxReport(new ProcessRuntime(), ['fs:read:/etc/hostname']);
    expect(details.outside).toBe('allowed');
  });

  it('disallows code generation from strings unless code:eval is granted', async () => {
    expect((await sandboxReport(new ProcessRuntime())).details.evaluate).toBe('EvalError');
    expect((await sandboxReport(new ProcessRuntime(), ['code:eval'])).details.evaluate).toBe('allowed');
    expect((await sandboxReport(new ProcessRuntime({ allowCodeGeneration: true }))).details.evaluate).toBe(
      'allowed',
    );
  });

  it('hands the child a minimal environment, not the host one', async () => {
    // A host secret the child must not see (NODE_OPTIONS is set by the test script too).
    process.env.TRELLIS_HOST_SECRET = 'not for plugins';
    try {
      const { details } = await sandboxReport(new ProcessRuntime());
      const env = details.env as string[];
      expect(env).toContain('TRELLIS_PLUGIN');
      expect(
        env.filter((key) => !['PATH', 'NODE_ENV', 'TZ', 'LANG', 'TRELLIS_PLUGIN'].includes(key)),
      ).toEqual([]);
    } finally {
      delete process.env.TRELLIS_HOST_SECRET;
    }
  });

  it('fails to load a plugin that imports a package it does not declare as a dependency', async () => {
    const spec = fixtureSpec('undeclared-import');
    const error = await new ProcessRuntime()
      .load(spec, createTestHost(spec).context)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PLUGIN_RUNTIME_START_FAILED',
      cause: { code: 'ERR_ACCESS_DENIED' },
    });
  });

  it.each([
    ['worker', () => new WorkerRuntime()],
    ['process', () => new ProcessRuntime()],
  ])('sends what a %s plugin prints to its logger', async (_kind, makeRuntime) => {
    const { host } = await sandboxReport(makeRuntime());
    await instances.splice(0)[0]?.dispose();
    expect(host.logs).toEqual(
      expect.arrayContaining([
        {
          level: 'info',
          bindings: { plugin: 'read-outside' },
          fields: { stream: 'stdout' },
          msg: 'checking the sandbox',
        },
        {
          level: 'warn',
          bindings: { plugin: 'read-outside' },
          fields: { stream: 'stderr' },
          msg: 'on stderr',
        },
      ]),
    );
  });

  it('leaves a worker plugin the host file access (workers isolate faults, not privileges)', async () => {
    const { details } = await sandboxReport(new WorkerRuntime());
    expect(details.outside).not.toBe('ERR_ACCESS_DENIED');
  });
});
