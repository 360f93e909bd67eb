import { describe, expect, it } from '@jest/globals';
import { createPlatform, definePlugin, PLUGIN_CONTROL, resolveService, TrellisError } from '@trellis/core';
import { createLifecycleModule } from './lifecycle-module.js';
import type { BootReport } from './report/boot-report.js';

const calls: string[] = [];
const input = (name: string, dependencies: Record<string, string> = {}) => ({
  manifest: { name, version: '1.0.0', platform: '^0.1.0', dependencies },
  dir: `/plugins/${name}`,
  plugin: definePlugin({
    start: () => void calls.push(`start ${name}`),
    stop: () => void calls.push(`stop ${name}`),
  }),
});

describe('createLifecycleModule', () => {
  it('boots plugins when the platform starts, provides PLUGIN_CONTROL and stops them with it', async () => {
    calls.length = 0;
    let booted: BootReport | undefined;
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [
        createLifecycleModule({
          plugins: async () => [input('db'), input('api', { db: '^1.0.0' })],
          onBoot: (report) => {
            booted = report;
          },
        }),
      ],
    });
    await platform.start();
    const control = platform.resolve(PLUGIN_CONTROL);
    expect(booted?.counts.active).toBe(2);
    expect(control.list().map((p) => [p.name, p.state])).toEqual([
      ['db', 'active'],
      ['api', 'active'],
    ]);
    await control.stop('api');
    expect(control.get('api')?.state).toBe('stopped');
    await control.start('api');
    await control.restart('db', { withDependents: false });
    expect(control.get('db')?.state).toBe('active');

    calls.length = 0;
    await platform.stop();
    expect(calls).toEqual(['stop api', 'stop db']);
  });

  it('answers PLUGIN_MANAGER_STATE through PLUGIN_CONTROL until it has started', async () => {
    const platform = createPlatform({ logLevel: 'silent' });
    const module = createLifecycleModule({ plugins: [input('db')] });
    module.register(platform.container);
    const typed = resolveService(platform.container, PLUGIN_CONTROL);
    expect(typed.list()).toEqual([]);
    expect(typed.get('db')).toBeUndefined();
    await expect(typed.start('db')).rejects.toMatchObject({ code: 'PLUGIN_MANAGER_STATE' });
    await expect(typed.stop('db')).rejects.toMatchObject({ code: 'PLUGIN_MANAGER_STATE' });
    await expect(typed.restart('db')).rejects.toMatchObject({ code: 'PLUGIN_MANAGER_STATE' });
  });

  it('fails the platform start when a plugin with policy abort fails', async () => {
    const platform = createPlatform({
      logLevel: 'silent',
      modules: [
        createLifecycleModule({
          plugins: [
            {
              ...input('vital'),
              plugin: definePlugin({
                start() {
                  throw new Error('no disk');
                },
              }),
            },
          ],
          policies: { vital: { failure: 'abort' } },
        }),
      ],
    });
    const error = await platform.start().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TrellisError);
    expect(JSON.stringify((error as TrellisError).toJSON())).toContain('PLUGIN_BOOT_ABORTED');
  });
});
