// Real file-system events: these tests wait for the watcher (bounded by the 1 s the issue allows
// for a change to apply), they do not measure speed.
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Disposer } from '@trellis/core';
import { z } from 'zod';
import type { Config, ConfigChangeEvent } from './config.js';
import { loadConfig } from './load-config.js';
import { watchConfig } from './watch-config.js';

const schema = z.object({ name: z.string().default('app'), size: z.number().int().default(1) }).strict();
let root: string;
let watcher: Disposer | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-watch-'));
});

afterEach(async () => {
  watcher?.dispose();
  await rm(root, { recursive: true, force: true });
});

function nextChange<T>(config: Config<T>, withinMs = 1_000): Promise<ConfigChangeEvent<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change applied within ${withinMs} ms`)), withinMs);
    const subscription = config.onChange((event) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(event);
    });
  });
}

function nextError<T>(config: Config<T>, withinMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no error within ${withinMs} ms`)), withinMs);
    const subscription = config.onError((error) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(error.code);
    });
  });
}

describe('watchConfig', () => {
  it('applies a valid edit of a watched file within 1 s', async () => {
    const dir = join(root, 'config');
    await mkdir(dir);
    await writeFile(join(dir, 'default.yaml'), 'name: one\n');
    const config = await loadConfig({ schema, dir, envFile: false, env: {} });
    watcher = watchConfig(
      config,
      { dir, environment: 'development', envFile: undefined },
      { debounceMs: 50 },
    );
    const change = nextChange(config);
    await writeFile(join(dir, 'default.yaml'), 'name: two\n');
    expect((await change).paths).toEqual(['name']);
    expect(config.get('name')).toBe('two');
  });

  it('keeps the last good config and reports an invalid edit', async () => {
    const dir = join(root, 'config');
    await mkdir(dir);
    await writeFile(join(dir, 'default.yaml'), 'size: 1\n');
    const config = await loadConfig({ schema, dir, envFile: false, env: {} });
    watcher = watchConfig(
      config,
      { dir, environment: 'development', envFile: undefined },
      { debounceMs: 50 },
    );
    const error = nextError(config);
    await writeFile(join(dir, 'default.yaml'), 'size: [broken\n');
    expect(await error).toBe('CONFIG_PARSE_FAILED');
    expect(config.get('size')).toBe(1);
  });

  it('sees a Kubernetes ConfigMap update (atomic ..data symlink swap)', async () => {
    // The kubelet's layout: files are links into ..data, which links to a timestamped folder.
    const dir = join(root, 'mount');
    await mkdir(join(dir, '..2026_11_26_01'), { recursive: true });
    await writeFile(join(dir, '..2026_11_26_01', 'default.yaml'), 'name: v1\n');
    await symlink('..2026_11_26_01', join(dir, '..data'));
    await symlink(join('..data', 'default.yaml'), join(dir, 'default.yaml'));
    const config = await loadConfig({ schema, dir, envFile: false, env: {} });
    expect(config.get('name')).toBe('v1');
    watcher = watchConfig(
      config,
      { dir, environment: 'development', envFile: undefined },
      { debounceMs: 50 },
    );

    const change = nextChange(config);
    await mkdir(join(dir, '..2026_11_26_02'));
    await writeFile(join(dir, '..2026_11_26_02', 'default.yaml'), 'name: v2\n');
    await symlink('..2026_11_26_02', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await rm(join(dir, '..2026_11_26_01'), { recursive: true });
    expect((await change).paths).toEqual(['name']);
    expect(config.get('name')).toBe('v2');
  });

  it('watches the .env file beside the config folder', async () => {
    const dir = join(root, 'config');
    await mkdir(dir);
    const envFile = join(root, '.env');
    await writeFile(envFile, 'TRELLIS_SIZE=2\n');
    const config = await loadConfig({ schema, dir, envFile, env: {} });
    watcher = watchConfig(config, { dir, environment: 'development', envFile }, { debounceMs: 50 });
    const change = nextChange(config);
    await writeFile(envFile, 'TRELLIS_SIZE=3\n');
    await change;
    expect(config.get('size')).toBe(3);
  });

  it('stops reloading once disposed', async () => {
    const dir = join(root, 'config');
    await mkdir(dir);
    await writeFile(join(dir, 'default.yaml'), 'name: one\n');
    const config = await loadConfig({ schema, dir, envFile: false, env: {} });
    watchConfig(config, { dir: join(root, 'missing'), environment: 'x', envFile: undefined }).dispose();
    watcher = watchConfig(
      config,
      { dir, environment: 'development', envFile: undefined },
      { debounceMs: 20 },
    );
    watcher.dispose();
    await writeFile(join(dir, 'default.yaml'), 'name: two\n');
    await expect(nextChange(config, 300)).rejects.toThrow('no change applied');
    expect(config.get('name')).toBe('one');
  });
});
