import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type Clock, systemClock } from '@trellis/core';
import { z } from 'zod';
import { backupConfig } from './backup-config.js';
import type { ConfigTarget } from './config-target.js';
import { listConfigBackups } from './list-config-backups.js';

let root: string;
let target: ConfigTarget;
let time: number;
const clock: Clock = { now: () => (time += 1000), setTimeout: systemClock.setTimeout };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-history-'));
  const dir = join(root, 'config');
  await mkdir(dir);
  time = Date.UTC(2025, 0, 1);
  target = { schema: z.object({}), dir, env: {}, envFile: false, clock, retain: 2 };
  await writeFile(join(dir, 'default.yaml'), 'name: app\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listConfigBackups', () => {
  it('lists no backups before the first', async () => {
    await expect(listConfigBackups(target)).resolves.toEqual([]);
  });

  it('lists the backups kept, oldest first, marking a corrupt one', async () => {
    await backupConfig(target, 'one');
    await backupConfig(target, 'two');
    const three = await backupConfig(target, 'three');
    await writeFile(three.file, '{"truncated": ');
    const list = await listConfigBackups(target);
    expect(list.map((info) => [info.label, info.corrupt])).toEqual([
      ['two', false],
      ['', true],
    ]);
    expect(list[1]?.problem).toContain('not valid JSON');
  });
});
