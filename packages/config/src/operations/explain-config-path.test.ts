import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigTarget } from './config-target.js';
import { explainConfigPath } from './explain-config-path.js';

const CANARY = 'CANARY-explain-31';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), pool: z.number().int().default(5) })
      .strict()
      .prefault({}),
    legacy: z.object({ token: z.string().optional() }).prefault({}),
  })
  .strict();

let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'trellis-explain-')), 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: { TRELLIS_DB__POOL: '9' }, envFile: false };
  await writeFile(
    join(dir, 'default.yaml'),
    `db:\n  password: "${encryptSecret(CANARY, 'db.password', keyring)}"\nlegacy:\n  token: "${encryptSecret(CANARY, 'legacy.token', keyring)}"\n`,
  );
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('explainConfigPath', () => {
  it('names the layer and origin of a value', async () => {
    await expect(explainConfigPath(target, 'db.pool')).resolves.toEqual({
      path: 'db.pool',
      value: '9',
      secret: false,
      layer: 'env',
      origin: 'env TRELLIS_DB__POOL',
    });
  });

  it('shows a secret as [redacted] with the file it comes from', async () => {
    const explanation = await explainConfigPath(target, 'db.password');
    expect(explanation).toEqual({
      path: 'db.password',
      value: '[redacted]',
      secret: true,
      layer: 'file',
      origin: `${join(dir, 'default.yaml')}:2:13`,
    });
  });

  it('redacts a value stored encrypted even where the schema does not mark it secret', async () => {
    expect((await explainConfigPath(target, 'legacy.token')).value).toBe('[redacted]');
    expect((await explainConfigPath(target, 'legacy')).value).toBe('[redacted]');
    expect(JSON.stringify(await explainConfigPath(target, 'db'))).not.toContain(CANARY);
  });

  it('fails for a path that is not in the schema, suggesting the closest one', async () => {
    await expect(explainConfigPath(target, 'db.pol')).rejects.toMatchObject({
      code: 'CONFIG_PATH_UNKNOWN',
      message: expect.stringContaining('"db.pol" is not a configuration path. Did you mean "db.pool"?'),
    });
  });
});
