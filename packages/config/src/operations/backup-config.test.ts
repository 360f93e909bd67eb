import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { SnapshotStore } from '../store/snapshot-store.js';
import { backupConfig, MANUAL_BACKUP_LABEL } from './backup-config.js';
import type { ConfigTarget } from './config-target.js';

let root: string;
let target: ConfigTarget;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-backup-'));
  const dir = join(root, 'config');
  await mkdir(dir);
  target = { schema: z.object({}), dir, env: {}, envFile: false };
  await writeFile(join(dir, 'default.yaml'), 'name: app\n');
  await writeFile(join(dir, 'production.json'), '{}');
  await writeFile(join(root, '.env'), 'TRELLIS_DB__PASSWORD=CANARY-env\n');
  await writeFile(join(dir, '.env'), 'TRELLIS_DB__PASSWORD=CANARY-env\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('backupConfig', () => {
  it('saves every config file, and never a .env file, under the default label', async () => {
    const info = await backupConfig(target);
    expect(info).toMatchObject({
      label: MANUAL_BACKUP_LABEL,
      corrupt: false,
      file: expect.stringContaining(join(root, '.trellis', 'config-backups')),
    });
    const snapshot = await new SnapshotStore({ dir: join(root, '.trellis', 'config-backups') }).get(info.id);
    expect(snapshot.files).toEqual({ 'default.yaml': 'name: app\n', 'production.json': '{}' });
    expect(JSON.stringify(snapshot)).not.toContain('CANARY');
  });

  it('uses the given label and backups folder', async () => {
    const backupsDir = join(root, 'elsewhere');
    const info = await backupConfig({ ...target, backupsDir }, 'before the release');
    expect(info).toMatchObject({ label: 'before the release', file: expect.stringContaining(backupsDir) });
  });
});
