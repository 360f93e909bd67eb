import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { Keyring } from '../secrets/keyring.js';
import { backupStoreOf, backupsDirOf, keyringOf, loadOptionsOf } from './config-target.js';

const schema = z.object({ name: z.string().default('app') });
const key = Buffer.alloc(32, 3).toString('base64');

describe('ConfigTarget helpers', () => {
  it('pass the loading options through and leave out backup settings', () => {
    const options = loadOptionsOf({
      schema,
      dir: 'cfg',
      environment: 'prod',
      envFile: false,
      backupsDir: 'b',
      retain: 3,
    });
    expect(options).toMatchObject({ schema, dir: 'cfg', environment: 'prod', envFile: false });
    expect(options).not.toHaveProperty('backupsDir');
    expect(options).not.toHaveProperty('retain');
  });

  it('keep backups in <dir>/../.trellis/config-backups unless told otherwise', () => {
    expect(backupsDirOf({ schema, dir: 'app/config' })).toBe(resolve('app/.trellis/config-backups'));
    expect(backupsDirOf({ schema, dir: 'app/config', backupsDir: 'elsewhere' })).toBe(resolve('elsewhere'));
    expect(backupStoreOf({ schema, dir: 'app/config', retain: 4 })).toMatchObject({
      dir: resolve(join('app', '.trellis', 'config-backups')),
      retain: 4,
    });
  });

  it('use the given keyring, else the keys of the environment', () => {
    const keyring = Keyring.fromEnvValue(`given:${key}`);
    expect(keyringOf({ schema, dir: 'c', keyring })).toBe(keyring);
    expect(keyringOf({ schema, dir: 'c', env: { TRELLIS_CONFIG_KEYS: `fromenv:${key}` } }).activeKeyId).toBe(
      'fromenv',
    );
    expect(keyringOf({ schema, dir: 'c', env: {} }).ids()).toEqual([]);
  });
});
