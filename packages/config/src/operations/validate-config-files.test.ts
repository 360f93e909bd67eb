import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigTarget } from './config-target.js';
import { validateConfigFiles } from './validate-config-files.js';

const CANARY = 'CANARY-validate-7f';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), pool: z.number().int().default(5) })
      .strict()
      .refine((db) => db.pool > 1, 'pool must be above 1')
      .prefault({}),
    name: z.string().default('app'),
  })
  .strict();

let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'trellis-validate-')), 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false, environment: 'production' };
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const password = () => encryptSecret(CANARY, 'db.password', keyring);

describe('validateConfigFiles', () => {
  it('reports a valid configuration with its checksum and number of settings', async () => {
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password()}"\n`);
    const result = await validateConfigFiles(target);
    expect(result).toEqual({ valid: true, checksum: expect.stringMatching(/^sha256:/), settings: 3 });
  });

  it('reports every problem with its path, message and origin', async () => {
    await writeFile(join(dir, 'default.yaml'), 'db:\n  pool: many\nnmae: x\n');
    const result = await validateConfigFiles(target);
    expect(result).toEqual({
      valid: false,
      code: 'CONFIG_INVALID',
      problems: [
        {
          path: 'db.pool',
          message: 'expected number, received "many"',
          origin: `${join(dir, 'default.yaml')}:2:9`,
        },
        {
          path: 'nmae',
          message: 'unknown setting; did you mean "name"?',
          origin: `${join(dir, 'default.yaml')}:3:7`,
        },
      ],
    });
  });

  it('never shows a decrypted secret in a problem about the object holding it', async () => {
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password()}"\n  pool: 1\n`);
    const result = await validateConfigFiles(target);
    expect(result).toMatchObject({
      valid: false,
      problems: [{ path: 'db', message: 'pool must be above 1, received [redacted]' }],
    });
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it('reports a malformed file as one problem located at file:line:column', async () => {
    await writeFile(join(dir, 'production.json'), '{"name": }');
    const result = await validateConfigFiles(target);
    expect(result).toMatchObject({
      valid: false,
      code: 'CONFIG_PARSE_FAILED',
      problems: [{ path: '', origin: `${join(dir, 'production.json')}:1:10` }],
    });
    expect(result.valid || result.problems[0]?.message).toContain('production.json:1:10');
  });

  it('reports a missing key as one problem naming the key, with the folder as origin', async () => {
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password()}"\n`);
    const result = await validateConfigFiles({ ...target, keyring: Keyring.empty() });
    expect(result).toMatchObject({
      valid: false,
      code: 'CONFIG_SECRET_KEY_MISSING',
      problems: [{ path: '', message: expect.stringContaining('key "k1"'), origin: dir }],
    });
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it('throws errors that are not configuration errors', async () => {
    await mkdir(join(dir, 'default.yaml'));
    await expect(validateConfigFiles(target)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
