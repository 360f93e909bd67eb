import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '../runtime/load-config.js';
import { secret } from '../schema/markers.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigTarget } from './config-target.js';
import { encryptConfigValue } from './encrypt-config-value.js';

const CANARY = 'CANARY-encrypt-9e';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), pool: z.number().int().default(5) })
      .strict()
      .prefault({}),
    tenants: z.record(z.string(), z.object({ apiKey: secret() })).default({}),
  })
  .strict();

let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'trellis-encrypt-')), 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false };
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const load = () => loadConfig({ schema, dir, keyring, env: {}, envFile: false });

describe('encryptConfigValue', () => {
  it('creates default.yaml with the encrypted value, which loads back as the plaintext', async () => {
    const result = await encryptConfigValue(target, { path: 'db.password', value: CANARY });
    expect(result).toEqual({ file: join(dir, 'default.yaml'), path: 'db.password', keyId: 'k1' });
    expect(JSON.stringify(result)).not.toContain(CANARY);
    const text = await readFile(join(dir, 'default.yaml'), 'utf8');
    expect(text).toMatch(/^db:\n {2}password: enc:v1:k1:/);
    expect(text).not.toContain(CANARY);
    expect((await load()).value.db.password?.reveal()).toBe(CANARY);
  });

  it('replaces a value in the existing default.json, and reaches record entries', async () => {
    await writeFile(join(dir, 'default.json'), JSON.stringify({ db: { pool: 2, password: 'old' } }));
    await encryptConfigValue(target, { path: 'db.password', value: CANARY });
    const result = await encryptConfigValue(target, { path: 'tenants.acme.apiKey', value: `${CANARY}-acme` });
    expect(result.file).toBe(join(dir, 'default.json'));
    const value = (await load()).value;
    expect(value.db).toMatchObject({ pool: 2 });
    expect(value.db.password?.reveal()).toBe(CANARY);
    expect(value.tenants.acme?.apiKey.reveal()).toBe(`${CANARY}-acme`);
  });

  it('writes the file it is given', async () => {
    const file = join(dir, 'production.yaml');
    await writeFile(file, '# production\ndb:\n  pool: 9\n');
    await encryptConfigValue(target, { path: 'db.password', value: CANARY, file });
    expect(await readFile(file, 'utf8')).toMatch(/^# production\ndb:\n {2}pool: 9\n {2}password: enc:v1:k1:/);
  });

  it('refuses a path that is not in the schema, suggesting a secret path', async () => {
    await expect(encryptConfigValue(target, { path: 'db.pasword', value: CANARY })).rejects.toMatchObject({
      code: 'CONFIG_PATH_UNKNOWN',
      message: expect.stringContaining(
        '"db.pasword" is not a configuration path. Did you mean "db.password"?',
      ),
    });
    await expect(encryptConfigValue(target, { path: '', value: CANARY })).rejects.toMatchObject({
      code: 'CONFIG_PATH_UNKNOWN',
    });
  });

  it('refuses a path that is not a secret field, naming the secret fields', async () => {
    const error = (await encryptConfigValue(target, { path: 'db.pool', value: CANARY }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_PATH_UNKNOWN' });
    expect(error.message).toContain('"db.pool" is not a secret field');
    expect(error.message).toContain('db.password, tenants.*.apiKey');
    expect(JSON.stringify(error)).not.toContain(CANARY);
    expect(existsSync(join(dir, 'default.yaml'))).toBe(false);
  });

  it('fails without writing when no key is loaded', async () => {
    const error = (await encryptConfigValue(
      { ...target, keyring: Keyring.empty() },
      { path: 'db.password', value: CANARY },
    ).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_SECRET_KEYRING_INVALID' });
    expect(error.message).toContain('no key is loaded, so "db.password" cannot be encrypted');
    expect(error.message).not.toContain(CANARY);
    expect(existsSync(join(dir, 'default.yaml'))).toBe(false);
  });

  it('refuses a file that is not YAML or JSON', async () => {
    await expect(
      encryptConfigValue(target, { path: 'db.password', value: CANARY, file: join(dir, 'secrets.txt') }),
    ).rejects.toMatchObject({
      code: 'CONFIG_PARSE_FAILED',
      message: expect.stringContaining('expected a .yaml, .yml or .json file'),
    });
  });

  it('passes on errors reading the file other than a missing file', async () => {
    await mkdir(join(dir, 'dir.yaml'));
    await expect(
      encryptConfigValue(target, { path: 'db.password', value: CANARY, file: join(dir, 'dir.yaml') }),
    ).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
