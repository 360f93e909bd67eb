// Runs against the real Redis on 127.0.0.1:6379 (.ci/run starts one when none answers).
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Disposer } from '@trellis/core';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { loadConfig } from './load-config.js';
import { type ConfigSyncEvent, startRedisConfigSync } from './redis-config-sync.js';

const schema = z
  .object({ name: z.string().default('app'), size: z.number().int().min(0).default(1) })
  .strict();
const connections: Redis[] = [];
const disposers: Disposer[] = [];
let root: string;

function redis(): Redis {
  const connection = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: false,
    maxRetriesPerRequest: 2,
  });
  connections.push(connection);
  return connection;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-sync-'));
});

afterEach(async () => {
  for (const d of disposers.splice(0)) d.dispose();
  await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => undefined)));
  await rm(root, { recursive: true, force: true });
});

async function instance(dir: string, channel: string, id: string) {
  const config = await loadConfig({ schema, dir, envFile: false, env: {} });
  const events: ConfigSyncEvent[] = [];
  let notify: () => void = () => {};
  disposers.push(
    await startRedisConfigSync({
      config,
      publisher: redis(),
      subscriber: redis(),
      channel,
      instanceId: id,
      onEvent: (event) => {
        events.push(event);
        notify();
      },
    }),
  );
  const waitFor = (type: ConfigSyncEvent['type']) =>
    new Promise<ConfigSyncEvent>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${id}: no "${type}" event; saw ${events.map((e) => e.type)}`)),
        3_000,
      );
      const check = () => {
        const found = events.find((e) => e.type === type);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      notify = check;
      check();
    });
  return { config, events, waitFor };
}

async function configDir(name: string, content: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'default.yaml'), content);
  return dir;
}

describe('startRedisConfigSync', () => {
  it('makes other instances reload after one applies a change', async () => {
    const channel = `trellis:test:${randomUUID()}`;
    const dir = await configDir('shared', 'size: 1\n');
    const a = await instance(dir, channel, 'a');
    const b = await instance(dir, channel, 'b');
    await writeFile(join(dir, 'default.yaml'), 'size: 2\n');
    await a.config.reload();
    const applied = await b.waitFor('applied');
    expect(applied).toMatchObject({ from: { instanceId: 'a', checksum: a.config.checksum } });
    expect(b.config.get('size')).toBe(2);
    expect(b.config.checksum).toBe(a.config.checksum);
    expect(a.events.map((e) => e.type)).toEqual(['published']);
  });

  it('keeps the old config on an instance that cannot validate the new version, and says so', async () => {
    const channel = `trellis:test:${randomUUID()}`;
    const good = await configDir('a', 'size: 1\n');
    const bad = await configDir('b', 'size: 1\n');
    const a = await instance(good, channel, 'a');
    const b = await instance(bad, channel, 'b');
    await writeFile(join(bad, 'default.yaml'), 'size: -4\n');
    await writeFile(join(good, 'default.yaml'), 'size: 5\n');
    await a.config.reload();
    const rejected = await b.waitFor('rejected');
    expect(rejected).toMatchObject({ error: expect.stringContaining('size') });
    expect(b.config.get('size')).toBe(1);
  });

  it('reports an instance whose sources differ as diverged', async () => {
    const channel = `trellis:test:${randomUUID()}`;
    const dir = await configDir('shared', 'size: 1\n');
    const a = await instance(dir, channel, 'a');
    const b = await instance(dir, channel, 'b');
    a.config.set('size', 9);
    const diverged = await b.waitFor('diverged');
    expect(diverged).toMatchObject({ checksum: b.config.checksum });
    expect(b.config.get('size')).toBe(1);
  });

  it('ignores foreign messages on the channel', async () => {
    const channel = `trellis:test:${randomUUID()}`;
    const dir = await configDir('shared', 'size: 1\n');
    const b = await instance(dir, channel, 'b');
    await redis().publish(channel, 'not json');
    await redis().publish(
      channel,
      JSON.stringify({ instanceId: 'b', version: 9, checksum: 'x', reason: 'self' }),
    );
    await redis().publish(
      channel,
      JSON.stringify({ instanceId: 'c', version: 2, checksum: b.config.checksum, reason: 'x' }),
    );
    await b.waitFor('in-sync');
    expect(b.events.map((e) => e.type)).toEqual(['in-sync']);
  });
});
