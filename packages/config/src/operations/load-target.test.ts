import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigMigration } from '../versions/migrations.js';
import type { ConfigTarget } from './config-target.js';
import { loadTargetConfig, readEncryptedPaths, unmarkedEncryptedPaths } from './load-target.js';

const CANARY = 'CANARY-load-11';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    tokens: z.array(secret()).min(2).default([]),
    legacy: z.object({ token: z.string().min(40).optional() }).prefault({}),
  })
  .strict();

let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'trellis-target-')), 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false, environment: 'production' };
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('loadTargetConfig', () => {
  it('never shows decrypted secrets in the problems of an invalid configuration', async () => {
    await writeFile(
      join(dir, 'default.yaml'),
      `tokens:\n  - "${encryptSecret(CANARY, 'tokens.0', keyring)}"\nlegacy:\n  token: "${encryptSecret(CANARY, 'legacy.token', keyring)}"\n`,
    );
    const error = (await loadTargetConfig(target).catch((e: unknown) => e)) as Error & { problems: unknown };
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.message).toContain(
      'tokens: too small: expected array to have >=2 items, received [redacted]',
    );
    expect(error.message).toContain('legacy.token:');
    expect(error.message).not.toContain(CANARY);
    expect(JSON.stringify(error.problems)).not.toContain(CANARY);
  });

  it('passes other errors through', async () => {
    await writeFile(join(dir, 'default.yaml'), 'tokens: [\n');
    await expect(loadTargetConfig(target)).rejects.toMatchObject({ code: 'CONFIG_PARSE_FAILED' });
  });
});

describe('readEncryptedPaths', () => {
  it('lists the encrypted paths of the default and environment files, after migration', async () => {
    const migrations: ConfigMigration[] = [
      { from: 1, to: 2, description: 'nothing', migrate: (document) => document },
    ];
    await writeFile(join(dir, 'default.yaml'), `tokens:\n  - "${encryptSecret('a', 'tokens.0', keyring)}"\n`);
    await writeFile(
      join(dir, 'production.json'),
      JSON.stringify({ legacy: { token: encryptSecret('b', 'legacy.token', keyring) } }),
    );
    await writeFile(
      join(dir, 'staging.yaml'),
      `legacy:\n  token: "${encryptSecret('c', 'legacy.token', keyring)}"\n`,
    );
    await expect(readEncryptedPaths({ ...target, currentVersion: 2, migrations })).resolves.toEqual([
      'tokens.0',
      'legacy.token',
    ]);
    await expect(unmarkedEncryptedPaths(target)).resolves.toEqual(['legacy.token']);
  });
});
