import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '../runtime/load-config.js';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigTarget } from './config-target.js';
import { rotateConfigKey } from './rotate-config-key.js';

const CANARY = 'CANARY-rotate-d4';
const k1 = Buffer.alloc(32, 7).toString('base64');
const k2 = Buffer.alloc(32, 9).toString('base64');
const keyring = Keyring.fromEnvValue(`k1:${k1}`);
const rotated = keyring.withKey('k2', k2, { activate: true });
const schema = z
  .object({
    db: z.object({ password: secret().optional() }).prefault({}),
    servers: z.array(z.object({ host: z.string(), token: secret() })).default([]),
  })
  .strict();

let root: string;
let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-rotate-'));
  dir = join(root, 'config');
  await mkdir(dir);
  target = { schema, dir, keyring: rotated, env: {}, envFile: false, environment: 'production' };
  await writeFile(
    join(dir, 'default.yaml'),
    `# keep me\ndb:\n  password: "${encryptSecret(CANARY, 'db.password', keyring)}"\n`,
  );
  await writeFile(
    join(dir, 'production.json'),
    JSON.stringify({
      servers: [{ host: 'a', token: encryptSecret(`${CANARY}-0`, 'servers.0.token', keyring) }],
    }),
  );
  await writeFile(join(dir, 'staging.yaml'), 'db: {}\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const backupsDir = () => join(root, '.trellis', 'config-backups');

describe('rotateConfigKey', () => {
  it('re-encrypts every value under the active key after backing up every file', async () => {
    const before = await readFile(join(dir, 'default.yaml'), 'utf8');
    const result = await rotateConfigKey(target);
    expect(result).toEqual({
      keyId: 'k2',
      files: [
        { file: join(dir, 'default.yaml'), rotated: ['db.password'] },
        { file: join(dir, 'production.json'), rotated: ['servers.0.token'] },
        { file: join(dir, 'staging.yaml'), rotated: [] },
      ],
      backupId: expect.stringMatching(/Z-[0-9a-f]{4}$/),
    });
    expect(JSON.stringify(result)).not.toContain(CANARY);
    const after = await readFile(join(dir, 'default.yaml'), 'utf8');
    expect(after).toMatch(/^# keep me\ndb:\n {2}password: "enc:v1:k2:/);
    const onlyK2 = Keyring.fromEnvValue(`k2:${k2}`);
    const config = await loadConfig({
      schema,
      dir,
      keyring: onlyK2,
      env: {},
      envFile: false,
      environment: 'production',
    });
    expect(config.value.db.password?.reveal()).toBe(CANARY);
    expect(config.value.servers[0]?.token.reveal()).toBe(`${CANARY}-0`);
    const [backup] = await readdir(backupsDir());
    const stored = JSON.parse(await readFile(join(backupsDir(), backup as string), 'utf8')) as {
      body: { label: string; files: Record<string, string> };
    };
    expect(stored.body.label).toBe('before rotate-key');
    expect(stored.body.files['default.yaml']).toBe(before);
  });

  it('writes nothing and takes no backup when a value cannot be decrypted', async () => {
    const stranger = Keyring.fromEnvValue(`k3:${k2}`);
    await writeFile(
      join(dir, 'staging.yaml'),
      `db:\n  password: "${encryptSecret('x', 'db.password', stranger)}"\n`,
    );
    const before = await readFile(join(dir, 'default.yaml'), 'utf8');
    await expect(rotateConfigKey(target)).rejects.toMatchObject({
      code: 'CONFIG_SECRET_KEY_MISSING',
      message: expect.stringContaining('key "k3"'),
    });
    expect(await readFile(join(dir, 'default.yaml'), 'utf8')).toBe(before);
    await expect(readdir(backupsDir())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an empty keyring', async () => {
    await expect(rotateConfigKey({ ...target, keyring: Keyring.empty('nowhere') })).rejects.toMatchObject({
      code: 'CONFIG_SECRET_KEYRING_INVALID',
      message: expect.stringContaining(
        'Secret keys from nowhere are invalid: no key is loaded, so there is no key to rotate to',
      ),
    });
  });
});
