import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import { backupConfig } from './backup-config.js';
import type { ConfigTarget } from './config-target.js';
import { diffConfigSources } from './diff-config-sources.js';
import { encryptConfigValue } from './encrypt-config-value.js';
import { explainConfigPath } from './explain-config-path.js';
import { listConfigBackups } from './list-config-backups.js';
import { migrateConfigFiles } from './migrate-config-files.js';
import { printConfig } from './print-config.js';
import { restoreConfig } from './restore-config.js';
import { rotateConfigKey } from './rotate-config-key.js';
import { validateConfigFiles } from './validate-config-files.js';

const CANARY = 'CANARY-9d1e';
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
let target: ConfigTarget;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-canary-'));
  const dir = join(root, 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false, currentVersion: 2, migrations: [] };
  const password = encryptSecret(CANARY, 'db.password', keyring);
  await writeFile(join(dir, 'default.yaml'), `version: 2\ndb:\n  password: "${password}"\n`);
  await writeFile(join(dir, 'production.yaml'), `version: 2\ndb:\n  password: "${password}"\n  pool: 1\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The result of an operation, or the JSON form and message of the error it threw. */
async function outcome(operation: () => Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await operation());
  } catch (error) {
    return `${JSON.stringify(error)} ${(error as Error).message}`;
  }
}

describe('config operations', () => {
  it('never put a secret in a result or an error', async () => {
    const dir = target.dir;
    const { id } = await backupConfig(target);
    const production = { ...target, environment: 'production' };
    const outcomes = [
      await outcome(() => validateConfigFiles(target)),
      await outcome(() => validateConfigFiles(production)),
      await outcome(() => explainConfigPath(target, 'db.password')),
      await outcome(() => explainConfigPath(target, 'db')),
      await outcome(() => explainConfigPath(target, 'db.passwrd')),
      await outcome(() => printConfig(target)),
      await outcome(() => printConfig(production)),
      await outcome(() => diffConfigSources(target, 'development', 'test')),
      await outcome(() => diffConfigSources(target, join(dir, 'default.yaml'), join(dir, 'production.yaml'))),
      await outcome(() => migrateConfigFiles(target, { dryRun: true })),
      await outcome(() => encryptConfigValue(target, { path: 'db.pool', value: CANARY })),
      await outcome(() => encryptConfigValue(target, { path: 'db.password', value: CANARY })),
      await outcome(() =>
        rotateConfigKey({
          ...target,
          keyring: keyring.withKey('k2', Keyring.generateKey(), { activate: true }),
        }),
      ),
      await outcome(() => listConfigBackups(target)),
      await outcome(() => restoreConfig(production, id)),
      await outcome(() => restoreConfig(target, id)),
    ];
    expect(outcomes.filter((text) => text.includes(CANARY))).toEqual([]);
  });
});
