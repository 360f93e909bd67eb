import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { duration, secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigTarget } from './config-target.js';
import { printConfig } from './print-config.js';

const CANARY = 'CANARY-print-5c';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), pool: z.number().int().default(5) })
      .strict()
      .prefault({}),
    cache: z.object({ ttlMs: duration().default(1000), hosts: z.array(z.string()).default([]) }).prefault({}),
    tokens: z.array(secret()).default([]),
    legacy: z.object({ token: z.string().optional() }).prefault({}),
  })
  .strict();

let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'trellis-print-')), 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false };
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('printConfig', () => {
  it('lists every setting in schema order with its value and origin, secrets redacted', async () => {
    const file = join(dir, 'default.yaml');
    await writeFile(
      file,
      [
        'db:',
        `  password: "${encryptSecret(CANARY, 'db.password', keyring)}"`,
        'cache:',
        '  ttlMs: 2s',
        'tokens:',
        `  - "${encryptSecret(CANARY, 'tokens.0', keyring)}"`,
        'legacy:',
        `  token: "${encryptSecret(CANARY, 'legacy.token', keyring)}"`,
        '',
      ].join('\n'),
    );
    const rows = await printConfig(target);
    expect(rows).toEqual([
      { path: 'db.password', value: '[redacted]', origin: `${file}:2:13` },
      { path: 'db.pool', value: '5', origin: 'schema default' },
      { path: 'cache.ttlMs', value: '2000', origin: `${file}:4:10` },
      { path: 'cache.hosts', value: '[]', origin: 'schema default' },
      { path: 'tokens', value: '[redacted]', origin: `${file}:6:3` },
      { path: 'legacy.token', value: '[redacted]', origin: `${file}:8:10` },
    ]);
    expect(JSON.stringify(rows)).not.toContain(CANARY);
  });

  it('lists values the schema adds at paths it does not declare', async () => {
    const loose = z
      .object({ name: z.string().default('app') })
      .transform((value) => ({ ...value, upper: 'APP' }));
    await expect(printConfig({ ...target, schema: loose })).resolves.toEqual([
      { path: 'name', value: '"app"', origin: 'schema default' },
      { path: 'upper', value: '"APP"', origin: 'not declared by the schema' },
    ]);
  });

  it('fails with the load error when the configuration is invalid', async () => {
    await writeFile(join(dir, 'default.yaml'), 'db:\n  pool: x\n');
    await expect(printConfig(target)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
