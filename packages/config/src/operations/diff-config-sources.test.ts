import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigTarget } from './config-target.js';
import { diffConfigSources } from './diff-config-sources.js';

const CANARY = 'CANARY-diff-0a';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), pool: z.number().int().default(5) })
      .strict()
      .prefault({}),
    legacy: z.object({ token: z.string().optional() }).prefault({}),
    name: z.string().default('app'),
  })
  .strict();

let dir: string;
let target: ConfigTarget;

const password = (plaintext: string) => encryptSecret(plaintext, 'db.password', keyring);

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'trellis-diff-')), 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false };
  await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${password(CANARY)}"\n`);
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('diffConfigSources', () => {
  it('compares two environments as resolved, secrets by value but shown redacted', async () => {
    await writeFile(join(dir, 'staging.yaml'), `db:\n  password: "${password(CANARY)}"\n  pool: 2\n`);
    await writeFile(
      join(dir, 'production.yaml'),
      `db:\n  password: "${password(`${CANARY}-prod`)}"\nname: shop\n`,
    );
    const changes = await diffConfigSources(target, 'staging', 'production');
    expect(changes).toEqual([
      { path: 'db.password', kind: 'changed', before: '[redacted]', after: '[redacted]' },
      { path: 'db.pool', kind: 'changed', before: '2', after: '5' },
      { path: 'name', kind: 'changed', before: '"app"', after: '"shop"' },
    ]);
    expect(JSON.stringify(changes)).not.toContain(CANARY);
  });

  it('shows no change for one secret encrypted twice in two environments', async () => {
    await writeFile(join(dir, 'staging.yaml'), `db:\n  password: "${password(CANARY)}"\n`);
    await expect(diffConfigSources(target, 'staging', 'development')).resolves.toEqual([]);
  });

  it('redacts environment values stored encrypted where the schema does not mark them secret', async () => {
    await writeFile(
      join(dir, 'production.yaml'),
      `legacy:\n  token: "${encryptSecret(CANARY, 'legacy.token', keyring)}"\n`,
    );
    const changes = await diffConfigSources(target, 'development', 'production');
    expect(changes).toEqual([
      { path: 'legacy', kind: 'removed', before: '[redacted]' },
      { path: 'legacy.token', kind: 'added', after: '[redacted]' },
    ]);
    expect(JSON.stringify(changes)).not.toContain(CANARY);
  });

  it('compares two files as written, encrypted values shown with their key id', async () => {
    const other = join(dir, '..', 'other.json');
    await writeFile(
      other,
      JSON.stringify({ version: 2, db: { password: password(CANARY) }, legacy: { token: CANARY } }),
    );
    const changes = await diffConfigSources(target, join(dir, 'default.yaml'), other);
    expect(changes).toEqual([
      { path: 'db.password', kind: 'changed', before: '[encrypted:k1]', after: '[encrypted:k1]' },
      { path: 'legacy.token', kind: 'added', after: `"${CANARY}"` },
      { path: 'version', kind: 'added', after: '2' },
    ]);
  });

  it('redacts plaintext under secret paths in files', async () => {
    const plain = join(dir, 'plain.yaml');
    await writeFile(plain, `db:\n  password: ${CANARY}\n`);
    const changes = await diffConfigSources(target, plain, join(dir, 'default.yaml'));
    expect(changes).toEqual([
      { path: 'db.password', kind: 'changed', before: '[redacted]', after: '[encrypted:k1]' },
    ]);
  });

  it("looks a bare file name up in the target's folder", async () => {
    await writeFile(join(dir, 'production.yaml'), 'name: shop\n');
    const changes = await diffConfigSources(target, 'default.yaml', 'production.yaml');
    expect(changes.map((change) => change.path)).toEqual(['db.password', 'name']);
  });

  it('refuses to compare a file with an environment', async () => {
    await expect(diffConfigSources(target, 'production', join(dir, 'default.yaml'))).rejects.toMatchObject({
      code: 'CONFIG_DIFF_SOURCES_MIXED',
      message: expect.stringContaining(
        `Cannot compare the file ${join(dir, 'default.yaml')} (as written) with the environment "production"`,
      ),
    });
  });

  it('fails for a file that does not exist rather than taking it for an environment', async () => {
    await expect(
      diffConfigSources(target, 'config/nope.yaml', join(dir, 'default.yaml')),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
