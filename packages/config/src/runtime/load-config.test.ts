import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { duration, secret } from '../schema/markers.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import { loadConfig, resolveSourcePaths } from './load-config.js';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-load-'));
  dir = join(root, 'config');
  await mkdir(dir);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const schema = z
  .object({
    cache: z
      .object({
        ttlMs: duration().default(1000),
        enabled: z.boolean().default(true),
        hosts: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
    db: z
      .object({ password: secret().optional(), pool: z.number().int().default(5) })
      .strict()
      .prefault({}),
    name: z.string().default('app'),
  })
  .strict();

const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);

describe('loadConfig', () => {
  it('resolves layers in order: defaults < default file < environment file < .env < env', async () => {
    await writeFile(
      join(dir, 'default.yaml'),
      'cache:\n  ttlMs: 2s\n  hosts: [a, b]\nname: from-default\ndb:\n  pool: 1\n',
    );
    await writeFile(
      join(dir, 'production.json'),
      JSON.stringify({ name: 'from-production', db: { pool: 2 } }, null, 2),
    );
    await writeFile(join(root, '.env'), '# local\nTRELLIS_DB__POOL=3\nTRELLIS_NAME=from-dotenv\n');
    const config = await loadConfig({
      schema,
      dir,
      environment: 'production',
      env: { TRELLIS_NAME: 'from-env' },
      keyring,
    });
    expect(config.value).toMatchObject({
      cache: { ttlMs: 2000, enabled: true, hosts: ['a', 'b'] },
      db: { pool: 3 },
      name: 'from-env',
    });
    expect(config.explain('cache.ttlMs').origin).toBe(`${join(dir, 'default.yaml')}:2:10`);
    expect(config.explain('db.pool')).toMatchObject({ layer: 'env-file', origin: `${join(root, '.env')}:2` });
    expect(config.explain('name')).toMatchObject({ layer: 'env', origin: 'env TRELLIS_NAME' });
    expect(config.explain('cache.enabled').origin).toBe('schema default');
  });

  it('runs on schema defaults when there are no files', async () => {
    const config = await loadConfig({ schema, dir, envFile: false, env: {}, keyring });
    expect(config.value.name).toBe('app');
  });

  it('reports problems from every layer at once, each with its origin', async () => {
    await writeFile(join(dir, 'default.yaml'), 'cache:\n  ttlMs: soon\n  hostz: []\n');
    const error = (await loadConfig({
      schema,
      dir,
      envFile: false,
      env: { TRELLIS_DB__POOL: 'many' },
      keyring,
    }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.message).toContain(`${join(dir, 'default.yaml')}:2:10`);
    expect(error.message).toContain('did you mean "cache.hosts"?');
    expect(error.message).toContain('TRELLIS_DB__POOL');
  });

  it('reports malformed YAML with file, line and column', async () => {
    await writeFile(join(dir, 'default.yaml'), 'cache:\n  ttlMs: [1, 2\nname: x\n');
    await expect(loadConfig({ schema, dir, envFile: false, env: {}, keyring })).rejects.toMatchObject({
      code: 'CONFIG_PARSE_FAILED',
      message: expect.stringMatching(
        new RegExp(`${join(dir, 'default.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`),
      ),
    });
  });

  it('decrypts secrets bound to their path and keeps them redacted', async () => {
    const envelope = encryptSecret('CANARY-s3cret', 'db.password', keyring);
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${envelope}"\n`);
    const config = await loadConfig({ schema, dir, envFile: false, env: {}, keyring });
    expect(config.value.db.password?.reveal()).toBe('CANARY-s3cret');
    expect(JSON.stringify(config.value)).not.toContain('CANARY');
    expect(config.explain('db.password').value).toBe('[redacted]');
  });

  it('fails naming the key id when the key is missing, never returning garbage', async () => {
    const envelope = encryptSecret('x', 'db.password', keyring);
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${envelope}"\n`);
    await expect(
      loadConfig({
        schema,
        dir,
        envFile: false,
        env: {},
        keyring: Keyring.fromEnvValue(`k9:${Buffer.alloc(32, 1).toString('base64')}`),
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_SECRET_KEY_MISSING', message: expect.stringContaining('"k1"') });
  });

  it('migrates old documents in memory before validating', async () => {
    await writeFile(join(dir, 'default.yaml'), 'version: 1\nttl: 3\n');
    const config = await loadConfig({
      schema,
      dir,
      envFile: false,
      env: {},
      keyring,
      currentVersion: 2,
      migrations: [
        {
          from: 1,
          to: 2,
          description: 'ttl → cache.ttlMs',
          migrate: ({ ttl }) => ({ cache: { ttlMs: (ttl as number) * 1000 } }),
        },
      ],
    });
    expect(config.value.cache.ttlMs).toBe(3000);
    expect(config.explain('cache.ttlMs').origin).toBe(`${join(dir, 'default.yaml')} (migrated from v1)`);
  });

  it('resolves source paths with defaults', () => {
    const paths = resolveSourcePaths({ schema, dir, env: { NODE_ENV: 'test' } });
    expect(paths).toEqual({ dir, environment: 'test', envFile: join(root, '.env') });
    expect(
      resolveSourcePaths({ schema, dir, env: { TRELLIS_ENV: 'x', NODE_ENV: 'y' }, envFile: false }),
    ).toEqual({
      dir,
      environment: 'x',
      envFile: undefined,
    });
  });

  it('reload() picks up edited files', async () => {
    await writeFile(join(dir, 'default.yaml'), 'name: one\n');
    const config = await loadConfig({ schema, dir, envFile: false, env: {}, keyring });
    await writeFile(join(dir, 'default.yaml'), 'name: two\n');
    await expect(config.reload()).resolves.toMatchObject({ applied: true, paths: ['name'] });
    expect(config.value.name).toBe('two');
  });

  it('keys the secret digests in the checksum with the config key', async () => {
    const envelope = encryptSecret('same-secret', 'db.password', keyring);
    await writeFile(join(dir, 'default.yaml'), `db:\n  password: "${envelope}"\n`);
    const a = await loadConfig({ schema, dir, envFile: false, env: {}, keyring });
    const b = await loadConfig({ schema, dir, envFile: false, env: {}, keyring });
    expect(a.checksum).toBe(b.checksum);
    const other = keyring.withKey('k0', Buffer.alloc(32, 9), { activate: true });
    const c = await loadConfig({ schema, dir, envFile: false, env: {}, keyring: other });
    expect(c.value.db.password?.reveal()).toBe('same-secret');
    expect(c.checksum).not.toBe(a.checksum);
  });
});
