import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type Clock, systemClock } from '@trellis/core';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import { SnapshotStore } from '../store/snapshot-store.js';
import { backupConfig } from './backup-config.js';
import type { ConfigTarget } from './config-target.js';
import { restoreConfig } from './restore-config.js';

const CANARY = 'CANARY-restore-b2';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret(), pool: z.number().int().default(5) })
      .strict()
      .refine((db) => db.pool > 1, 'pool must be above 1'),
    name: z.string().default('app'),
  })
  .strict();

let root: string;
let dir: string;
let target: ConfigTarget;
let time: number;
const clock: Clock = { now: () => (time += 1000), setTimeout: systemClock.setTimeout };
const backups = () => new SnapshotStore({ dir: join(root, '.trellis', 'config-backups') });
const password = encryptSecret(CANARY, 'db.password', keyring);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-restore-test-'));
  dir = join(root, 'config');
  await mkdir(dir);
  time = Date.UTC(2025, 0, 1);
  target = { schema, dir, keyring, env: {}, envFile: false, clock };
  await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password}"\n  pool: 4\n`);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const filesOf = async () =>
  Object.fromEntries(
    await Promise.all(
      (await readdir(dir)).map(async (name) => [name, await readFile(join(dir, name), 'utf8')]),
    ),
  );

/** Saves a backup holding `files` directly, as a damaged or foreign backup would. */
const saveBackup = (files: Record<string, string>) => backups().save({ label: 'crafted', files });

describe('restoreConfig', () => {
  it('puts the backup back after saving the current files, removing files the backup lacks', async () => {
    const saved = await filesOf();
    const { id } = await backupConfig(target);
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password}"\n  pool: 8\n`);
    await writeFile(join(dir, 'production.yaml'), 'name: shop\n');
    const changed = await filesOf();
    const result = await restoreConfig(target, id);
    expect(result).toEqual({
      restored: ['default.yaml'],
      removed: ['production.yaml'],
      backupOfCurrent: expect.any(String),
    });
    expect(await filesOf()).toEqual(saved);
    const undo = await backups().get(result.backupOfCurrent);
    expect(undo).toMatchObject({ label: `before restore ${id}`, files: changed });
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it('restores into a config folder that was deleted', async () => {
    const { id } = await backupConfig(target);
    await rm(dir, { recursive: true });
    await expect(restoreConfig(target, id)).resolves.toMatchObject({
      restored: ['default.yaml'],
      removed: [],
    });
    expect(existsSync(join(dir, 'default.yaml'))).toBe(true);
  });

  it('refuses a corrupt backup (one byte flipped) and writes nothing', async () => {
    const info = await backupConfig(target);
    const text = await readFile(info.file, 'utf8');
    const at = text.indexOf('pool: 4');
    await writeFile(info.file, `${text.slice(0, at)}pool: 5${text.slice(at + 7)}`);
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password}"\n  pool: 8\n`);
    const before = await filesOf();
    const error = (await restoreConfig(target, info.id).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_SNAPSHOT_CORRUPT' });
    expect(error.message).toContain(`Backup "${info.id}"`);
    expect(error.message).toContain('checksum mismatch');
    expect(await filesOf()).toEqual(before);
    expect(await backups().list()).toHaveLength(1);
  });

  it('refuses a backup whose configuration is invalid, naming the backup file, and writes nothing', async () => {
    const { id } = await saveBackup({
      'default.yaml': `db:\n  password: "${password}"\n  pool: 1\n`,
      'production.yaml': 'nmae: x\n',
    });
    const before = await filesOf();
    const error = (await restoreConfig({ ...target, environment: 'production' }, id).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.message).toContain(
      `db: pool must be above 1, received [redacted] (from backup ${id}/default.yaml:2:13)`,
    );
    expect(error.message).toContain(
      `nmae: unknown setting; did you mean "name"? (from backup ${id}/production.yaml:1:7)`,
    );
    expect(error.message).not.toContain(CANARY);
    expect(error.message).not.toContain(tmpdir());
    expect(await filesOf()).toEqual(before);
    expect(await backups().list()).toHaveLength(1);
  });

  it('refuses a backup with a malformed file, naming it', async () => {
    const { id } = await saveBackup({
      'default.yaml': `db:\n  password: "${password}"\n`,
      'staging.json': '{',
    });
    await expect(restoreConfig(target, id)).rejects.toMatchObject({
      code: 'CONFIG_PARSE_FAILED',
      message: expect.stringContaining(`backup ${id}/staging.json:1:2`),
    });
  });

  it('refuses a backup holding a file that is not a config file', async () => {
    const { id } = await saveBackup({ 'default.yaml': `db:\n  password: "${password}"\n`, '.env': 'X=1' });
    await expect(restoreConfig(target, id)).rejects.toMatchObject({
      code: 'CONFIG_SNAPSHOT_CORRUPT',
      message: expect.stringContaining('it holds ".env", which is not the name of a config file'),
    });
  });

  it('validates with the .env beside the real folder', async () => {
    const { id } = await saveBackup({ 'default.yaml': `db:\n  password: "${password}"\n` });
    await writeFile(join(root, '.env'), 'TRELLIS_DB__POOL=0\n');
    await expect(restoreConfig({ ...target, envFile: undefined }, id)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('pool must be above 1'),
    });
  });

  it('fails for an unknown backup id', async () => {
    await expect(restoreConfig(target, 'nope')).rejects.toMatchObject({ code: 'CONFIG_SNAPSHOT_NOT_FOUND' });
  });
});
