import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '../runtime/load-config.js';
import { secret } from '../schema/markers.js';
import type { Secret } from '../schema/secret-value.js';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import type { ConfigMigration } from '../versions/migrations.js';
import type { ConfigTarget } from './config-target.js';
import { migrateConfigFiles } from './migrate-config-files.js';

const CANARY = 'CANARY-migrate-42';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), poolSize: z.number().int().default(5) })
      .strict()
      .prefault({}),
    name: z.string().default('app'),
  })
  .strict();

/** v1 → v2: `db.pass` becomes `db.password`, `db.pool` becomes `db.poolSize`. */
const migrations: ConfigMigration[] = [
  {
    from: 1,
    to: 2,
    description: 'rename db.pass and db.pool',
    migrate: (document) => {
      const { pass, pool, ...db } = (document.db ?? {}) as Record<string, unknown>;
      return {
        ...document,
        db: {
          ...db,
          ...(pass === undefined ? {} : { password: pass }),
          ...(pool === undefined ? {} : { poolSize: pool }),
        },
      };
    },
  },
];

let root: string;
let dir: string;
let target: ConfigTarget;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-migrate-'));
  dir = join(root, 'config');
  await mkdir(dir);
  target = { schema, dir, keyring, env: {}, envFile: false, currentVersion: 2, migrations };
  await writeFile(
    join(dir, 'default.yaml'),
    `# defaults\ndb:\n  pass: "${encryptSecret(CANARY, 'db.pass', keyring)}"\n  pool: 3\n`,
  );
  await writeFile(join(dir, 'production.json'), JSON.stringify({ db: { pool: 9 } }));
  await writeFile(join(dir, 'staging.yaml'), 'version: 2\nname: staging\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const snapshotOf = async () =>
  Object.fromEntries(
    await Promise.all(
      (await readdir(dir)).map(async (name) => [name, await readFile(join(dir, name), 'utf8')]),
    ),
  );

describe('migrateConfigFiles', () => {
  it('reports what a dry run would change and writes nothing', async () => {
    const before = await snapshotOf();
    const report = await migrateConfigFiles(target, { dryRun: true });
    expect(report).toEqual({
      files: [
        {
          file: join(dir, 'default.yaml'),
          from: 1,
          to: 2,
          steps: [{ from: 1, to: 2, description: 'rename db.pass and db.pool' }],
          changes: [
            { path: 'db.pass', kind: 'removed', before: '[encrypted:k1]' },
            { path: 'db.password', kind: 'added', after: '[encrypted:k1]' },
            { path: 'db.pool', kind: 'removed', before: '3' },
            { path: 'db.poolSize', kind: 'added', after: '3' },
            { path: 'version', kind: 'added', after: '2' },
          ],
        },
        expect.objectContaining({ file: join(dir, 'production.json'), from: 1, to: 2 }),
      ],
    });
    expect(await snapshotOf()).toEqual(before);
    expect(existsSync(join(root, '.trellis'))).toBe(false);
    expect(JSON.stringify(report)).not.toContain(CANARY);
  });

  it('backs up every file, then writes the migrated YAML and JSON files, secrets still decrypting', async () => {
    const before = await snapshotOf();
    const report = await migrateConfigFiles(target);
    expect(report.backupId).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{4}$/);
    expect(report.files.map((file) => file.file)).toEqual([
      join(dir, 'default.yaml'),
      join(dir, 'production.json'),
    ]);
    expect(await readFile(join(dir, 'production.json'), 'utf8')).toBe(
      `${JSON.stringify({ version: 2, db: { poolSize: 9 } }, null, 2)}\n`,
    );
    expect(await readFile(join(dir, 'default.yaml'), 'utf8')).toMatch(
      /^version: 2\ndb:\n {2}password: enc:v1:k1:/,
    );
    expect(await readFile(join(dir, 'staging.yaml'), 'utf8')).toBe(before['staging.yaml']);
    const backups = join(root, '.trellis', 'config-backups');
    const [backup] = await readdir(backups);
    const stored = JSON.parse(await readFile(join(backups, backup as string), 'utf8')) as {
      body: { label: string; files: unknown };
    };
    expect(stored.body).toMatchObject({ label: 'before migrate', files: before });
    const config = await loadConfig({
      schema,
      dir,
      keyring,
      env: {},
      envFile: false,
      currentVersion: 2,
      environment: 'production',
    });
    expect((config.value.db.password as Secret<string>).reveal()).toBe(CANARY);
    expect(config.value.db.poolSize).toBe(9);
  });

  it('does nothing and takes no backup when every file is current', async () => {
    await migrateConfigFiles(target);
    const after = await snapshotOf();
    await expect(migrateConfigFiles(target)).resolves.toEqual({ files: [] });
    expect(await snapshotOf()).toEqual(after);
    expect(await readdir(join(root, '.trellis', 'config-backups'))).toHaveLength(1);
  });

  it('aborts before writing anything when a migration fails, naming the file', async () => {
    const before = await snapshotOf();
    const failing: ConfigMigration[] = [
      {
        from: 1,
        to: 2,
        description: 'breaks',
        migrate: (document) => {
          if ('db' in document && !('pass' in (document.db as object)))
            throw new Error('db.pass is required');
          return document;
        },
      },
    ];
    const error = (await migrateConfigFiles({ ...target, migrations: failing }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ code: 'CONFIG_MIGRATION_FAILED' });
    expect(error.message).toContain(join(dir, 'production.json'));
    expect(error.message).toContain('from version 1 to 2 failed: db.pass is required');
    expect(await snapshotOf()).toEqual(before);
    expect(existsSync(join(root, '.trellis'))).toBe(false);
  });

  it('refuses a file newer than the current version', async () => {
    await writeFile(join(dir, 'staging.yaml'), 'version: 3\n');
    await expect(migrateConfigFiles(target)).rejects.toMatchObject({
      code: 'CONFIG_VERSION_UNSUPPORTED',
      message: expect.stringContaining(`${join(dir, 'staging.yaml')}: The configuration is version 3`),
    });
  });

  it('fails without writing when a moved secret cannot be decrypted', async () => {
    const before = await snapshotOf();
    await expect(migrateConfigFiles({ ...target, keyring: Keyring.empty() })).rejects.toMatchObject({
      code: 'CONFIG_SECRET_KEY_MISSING',
    });
    expect(await snapshotOf()).toEqual(before);
  });
});
