import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { encryptSecret, Keyring, loadConfig, secret } from '@trellis/config';
import { z } from 'zod';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliIO } from '../output.js';
import { run } from '../run.js';

const CANARY = 'CANARY-9d1e';
const K1 = Buffer.alloc(32, 7).toString('base64');
const K2 = Buffer.alloc(32, 9).toString('base64');
const keyring = Keyring.fromEnvValue(`k1:${K1}`);

/** Inside the package, so the schema module resolves `zod` and `@trellis/config` from its node_modules. */
const TMP_ROOT = resolve(__dirname, '../../.tmp-test');

const SCHEMA_MODULE = `
import { secret } from '@trellis/config';
import { z } from 'zod';

export const currentVersion = 2;
export const migrations = [
  {
    from: 1,
    to: 2,
    description: 'rename db.pool to db.poolSize',
    migrate: (document) => {
      const { pool, ...db } = document.db ?? {};
      return { ...document, db: pool === undefined ? db : { ...db, poolSize: pool } };
    },
  },
];

export const configSchema = z
  .object({
    db: z
      .object({ password: secret().optional(), poolSize: z.number().int().default(5) })
      .strict()
      .refine((db) => db.poolSize > 1, 'poolSize must be above 1')
      .prefault({}),
    name: z.string().default('app'),
  })
  .strict();
`;

/** The schema of SCHEMA_MODULE, for loading what the commands wrote. */
const schema = z
  .object({
    db: z
      .object({ password: secret().optional(), poolSize: z.number().int().default(5) })
      .strict()
      .refine((db) => db.poolSize > 1, 'poolSize must be above 1')
      .prefault({}),
    name: z.string().default('app'),
  })
  .strict();

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let root: string;
let dir: string;
let schemaFile: string;
const savedEnv = { ...process.env };

/** Runs `trellis config --schema <module> --dir <dir> <args>` with captured output. */
async function cli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const code = await run(['config', '--schema', schemaFile, '--dir', dir, ...args], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const password = (plaintext = CANARY) => encryptSecret(plaintext, 'db.password', keyring);
const load = (environment = 'development') =>
  loadConfig({
    schema,
    dir,
    keyring: Keyring.fromEnvValue(`k1:${K1},k2:${K2}`),
    env: {},
    environment,
    currentVersion: 2,
  });

beforeAll(async () => {
  await mkdir(TMP_ROOT, { recursive: true });
});

beforeEach(async () => {
  process.env.TRELLIS_CONFIG_KEYS = `k1:${K1}`;
  process.env.TRELLIS_ENV = 'development';
  root = await mkdtemp(join(TMP_ROOT, 'config-'));
  dir = join(root, 'config');
  await mkdir(dir);
  schemaFile = join(root, 'config.schema.mjs');
  await writeFile(schemaFile, SCHEMA_MODULE);
  await writeFile(join(dir, 'default.yaml'), `version: 2\nname: shop\ndb:\n  password: "${password()}"\n`);
  await writeFile(join(dir, 'production.yaml'), 'version: 2\ndb:\n  poolSize: 20\n');
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await rm(root, { recursive: true, force: true });
});

describe('trellis config validate', () => {
  it('prints the checksum and number of settings of a valid configuration, and exits 0', async () => {
    const result = await cli('validate');
    expect(result).toMatchObject({ code: EXIT_CODES.OK, stderr: '' });
    expect(result.stdout).toMatch(/^valid: {4}true\nchecksum: sha256:[0-9a-f]{64}\nsettings: 3\n$/);
  });

  it('prints every problem with its path, message and origin, and exits 1', async () => {
    await writeFile(join(dir, 'production.yaml'), 'version: 2\ndb:\n  poolSize: many\nnmae: x\n');
    const result = await cli('validate', '--env', 'production');
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    const file = join(dir, 'production.yaml');
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^path\s+message\s+origin$/),
      expect.stringMatching(
        new RegExp(`^db\\.poolSize\\s+expected number, received "many"\\s+${file}:3:13$`),
      ),
      expect.stringMatching(new RegExp(`^nmae\\s+unknown setting; did you mean "name"\\?\\s+${file}:4:7$`)),
      '',
    ]);
    expect(result.stderr).toBe('CONFIG_INVALID: the configuration is invalid (2 problems).\n');
  });

  it('prints one JSON document with the problems for --json, and exits 1', async () => {
    await writeFile(join(dir, 'default.yaml'), 'version: 2\ndb: [\n');
    const result = await cli('validate', '--json');
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      code: 'CONFIG_PARSE_FAILED',
      problems: [
        {
          path: '',
          message: expect.stringContaining('default.yaml:3:1'),
          origin: expect.stringContaining('default.yaml:3:1'),
        },
      ],
    });
  });

  it('names the root as (root) in the human table', async () => {
    await writeFile(join(dir, 'default.yaml'), 'version: 2\ndb: [\n');
    expect((await cli('validate')).stdout).toMatch(/^\(root\)\s+/m);
  });
});

describe('trellis config explain', () => {
  it('shows where a value comes from', async () => {
    const result = await cli('explain', 'db.poolSize', '--env', 'production');
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toBe(
      `path:   db.poolSize\nvalue:  20\nsecret: false\nlayer:  environment-file\norigin: ${join(dir, 'production.yaml')}:3:13\n`,
    );
  });

  it('exits 1 with a suggestion for a path that is not in the schema', async () => {
    const result = await cli('explain', 'db.pasword');
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stderr).toMatch(
      /^CONFIG_PATH_UNKNOWN: "db.pasword" is not a configuration path. Did you mean "db.password"\?/,
    );
  });
});

describe('trellis config print', () => {
  it('prints every setting as a table, secrets redacted', async () => {
    const result = await cli('print');
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['path', 'value', 'origin'],
      ['db.password', '[redacted]', `${join(dir, 'default.yaml')}:4:13`],
      ['db.poolSize', '5', 'schema default'],
      ['name', '"shop"', `${join(dir, 'default.yaml')}:2:7`],
      [''],
    ]);
  });
});

describe('trellis config diff', () => {
  it('compares two environments', async () => {
    const result = await cli('diff', 'development', 'production');
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toMatch(/^path\s+kind\s+before\s+after\ndb\.poolSize\s+changed\s+5\s+20\n$/);
  });

  it('compares two files, encrypted values by key id', async () => {
    const result = await cli('diff', 'default.yaml', 'production.yaml', '--json');
    expect(JSON.parse(result.stdout)).toEqual([
      { path: 'db.password', kind: 'removed', before: '[encrypted:k1]' },
      { path: 'db.poolSize', kind: 'added', after: '20' },
      { path: 'name', kind: 'removed', before: '"shop"' },
    ]);
  });

  it('exits 1 for a file and an environment, and 3 for a file that does not exist', async () => {
    expect((await cli('diff', 'default.yaml', 'production')).code).toBe(EXIT_CODES.FAILURE);
    const missing = await cli('diff', 'config/nope.yaml', 'default.yaml');
    expect(missing.code).toBe(EXIT_CODES.UNAVAILABLE);
    expect(missing.stderr).toMatch(/ENOENT/);
  });
});

describe('trellis config migrate', () => {
  beforeEach(async () => {
    await writeFile(join(dir, 'production.yaml'), 'db:\n  pool: 20\n');
  });

  it('shows the changes of a dry run and writes nothing', async () => {
    const result = await cli('migrate', '--dry-run');
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toContain(
      `${join(dir, 'production.yaml')}: v1 → v2 (rename db.pool to db.poolSize)`,
    );
    expect(result.stdout).toMatch(/^db\.pool\s+removed\s+20$/m);
    expect(result.stdout).toMatch(/Dry run: nothing was written\.\n$/);
    expect(await readFile(join(dir, 'production.yaml'), 'utf8')).toBe('db:\n  pool: 20\n');
    expect(existsSync(join(root, '.trellis'))).toBe(false);
  });

  it('migrates the files after a backup', async () => {
    const result = await cli('migrate', '--json');
    const report = JSON.parse(result.stdout) as { backupId: string; files: { file: string }[] };
    expect(report.files.map((file) => file.file)).toEqual([join(dir, 'production.yaml')]);
    expect(await readFile(join(dir, 'production.yaml'), 'utf8')).toBe('version: 2\ndb:\n  poolSize: 20\n');
    expect((await load('production')).value.db.poolSize).toBe(20);
    const human = await cli('migrate');
    expect(human.stdout).toBe('Every config file is current; nothing to migrate.\n');
    expect((await cli('history', '--json')).stdout).toContain(report.backupId);
  });

  it('says where the previous files are', async () => {
    const result = await cli('migrate');
    expect(result.stdout).toMatch(
      /Migrated 1 file; the previous files are in backup \d{8}T\d{9}Z-[0-9a-f]{4}\.\n$/,
    );
  });
});

describe('trellis config encrypt', () => {
  it('encrypts the value of an environment variable into default.yaml', async () => {
    process.env.NEW_PASSWORD = `${CANARY}-new`;
    const result = await cli('encrypt', 'db.password', '--value-env', 'NEW_PASSWORD');
    expect(result).toEqual({
      code: EXIT_CODES.OK,
      stdout: `file:  ${join(dir, 'default.yaml')}\npath:  db.password\nkeyId: k1\n`,
      stderr: '',
    });
    expect((await load()).value.db.password?.reveal()).toBe(`${CANARY}-new`);
  });

  it('reads the value from standard input, without its line ending', async () => {
    const stdin = Object.getOwnPropertyDescriptor(process, 'stdin') as PropertyDescriptor;
    Object.defineProperty(process, 'stdin', {
      value: Readable.from([`${CANARY}-stdin\n`]),
      configurable: true,
    });
    try {
      const result = await cli('encrypt', 'db.password', '--file', join(dir, 'production.yaml'));
      expect(result.code).toBe(EXIT_CODES.OK);
    } finally {
      Object.defineProperty(process, 'stdin', stdin);
    }
    expect((await load('production')).value.db.password?.reveal()).toBe(`${CANARY}-stdin`);
  });

  it('takes --value with a warning about shell history', async () => {
    const result = await cli('encrypt', 'db.password', '--value', 'visible', '--json');
    expect(JSON.parse(result.stdout)).toEqual({
      file: join(dir, 'default.yaml'),
      path: 'db.password',
      keyId: 'k1',
    });
    expect(result.stderr).toMatch(/^warning: --value leaves the secret in shell history/);
  });

  it('exits 2 for two values, a missing variable or an empty value', async () => {
    process.env.EMPTY = '';
    const both = await cli('encrypt', 'db.password', '--value', 'x', '--value-env', 'HOME');
    expect(both).toMatchObject({
      code: EXIT_CODES.USAGE,
      stderr: expect.stringContaining('one of --value-env and --value'),
    });
    const unset = await cli('encrypt', 'db.password', '--value-env', 'TRELLIS_TEST_UNSET');
    expect(unset).toMatchObject({
      code: EXIT_CODES.USAGE,
      stderr: expect.stringContaining('TRELLIS_TEST_UNSET is not set'),
    });
    const empty = await cli('encrypt', 'db.password', '--value-env', 'EMPTY');
    expect(empty).toMatchObject({
      code: EXIT_CODES.USAGE,
      stderr: expect.stringContaining('the value to encrypt is empty'),
    });
  });

  it('exits 1 for a field that is not secret, naming the secret fields', async () => {
    const result = await cli('encrypt', 'name', '--value', CANARY);
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stderr).toContain('CONFIG_PATH_UNKNOWN: "name" is not a secret field');
    expect(result.stderr).toContain('db.password');
  });
});

describe('trellis config rotate-key', () => {
  it('re-encrypts every secret under a key read from a variable', async () => {
    process.env.NEW_KEY = K2;
    const result = await cli('rotate-key', '--new-key-id', 'k2', '--new-key-env', 'NEW_KEY', '--json');
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(JSON.parse(result.stdout)).toMatchObject({
      keyId: 'k2',
      files: [{ file: join(dir, 'default.yaml'), rotated: ['db.password'] }, { rotated: [] }],
    });
    expect(result.stderr).toContain('Next: make "k2" the active key');
    expect(await readFile(join(dir, 'default.yaml'), 'utf8')).toContain('enc:v1:k2:');
    expect((await load()).value.db.password?.reveal()).toBe(CANARY);
  });

  it('generates a key when none is given and prints it once, to stderr, with a warning', async () => {
    const result = await cli('rotate-key', '--new-key-id', 'k3');
    expect(result.code).toBe(EXIT_CODES.OK);
    const printed = /^k3:([A-Za-z0-9+/]{43}=)$/m.exec(result.stderr);
    expect(printed).not.toBeNull();
    expect(result.stderr.split(printed?.[1] as string)).toHaveLength(2);
    expect(result.stderr).toMatch(/^warning: generated a new key "k3"\. It is shown only this once/);
    expect(result.stdout).not.toContain(printed?.[1]);
    expect(result.stdout).toMatch(/^keyId: {4}k3$/m);
  });

  it('exits 2 when the key variable is not set and 1 for an invalid key id, writing nothing', async () => {
    const before = await readFile(join(dir, 'default.yaml'), 'utf8');
    const unset = await cli('rotate-key', '--new-key-id', 'k2', '--new-key-env', 'TRELLIS_TEST_UNSET');
    expect(unset).toMatchObject({
      code: EXIT_CODES.USAGE,
      stderr: expect.stringContaining('TRELLIS_TEST_UNSET is not set'),
    });
    const invalid = await cli('rotate-key', '--new-key-id', 'bad id');
    expect(invalid).toMatchObject({
      code: EXIT_CODES.FAILURE,
      stderr: expect.stringContaining('the key id is invalid'),
    });
    expect(invalid.stderr).not.toContain('warning: generated');
    expect(await readFile(join(dir, 'default.yaml'), 'utf8')).toBe(before);
  });
});

describe('trellis config backup, history and restore', () => {
  it('backs up, lists and restores the config files', async () => {
    const backup = await cli('backup', '--label', 'before the release', '--json');
    const { id } = JSON.parse(backup.stdout) as { id: string };
    const original = await readFile(join(dir, 'default.yaml'), 'utf8');
    await writeFile(join(dir, 'default.yaml'), 'version: 2\nname: changed\n');
    const history = await cli('history');
    expect(history.stdout).toMatch(
      new RegExp(`^${id}\\s+\\S+Z\\s+before the release\\s+\\d+\\s+ok\\s+${id}\\.snapshot\\.json$`, 'm'),
    );
    const restore = await cli('restore', id);
    expect(restore.code).toBe(EXIT_CODES.OK);
    expect(restore.stdout).toMatch(
      /^restored: {8}\["default.yaml","production.yaml"\]\nremoved: {9}\[\]\nbackupOfCurrent: \S+\n$/,
    );
    expect(await readFile(join(dir, 'default.yaml'), 'utf8')).toBe(original);
  });

  it('prints a backup as key: value lines', async () => {
    const result = await cli('backup');
    expect(result.stdout).toMatch(
      /^id: {6}\S+\ncreated: \S+Z\nlabel: {3}manual backup\nbytes: {3}\d+\nstatus: {2}ok\nfile: {4}\S+\.snapshot\.json\n$/,
    );
  });

  it('refuses a corrupt backup, and exits 1', async () => {
    const { id } = JSON.parse((await cli('backup', '--json')).stdout) as { id: string };
    const file = join(root, '.trellis', 'config-backups', `${id}.snapshot.json`);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('shop', 'shoq'));
    expect((await cli('history')).stdout).toMatch(/corrupt: checksum mismatch/);
    const result = await cli('restore', id);
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stderr).toMatch(
      /^CONFIG_SNAPSHOT_CORRUPT: Backup "\S+" \(.+\) is corrupt: checksum mismatch/,
    );
  });

  it('lists and restores backups of a config folder that is gone', async () => {
    const { id } = JSON.parse((await cli('backup', '--json')).stdout) as { id: string };
    await rm(dir, { recursive: true });
    expect((await cli('history', '--json')).code).toBe(EXIT_CODES.OK);
    expect((await cli('restore', id)).code).toBe(EXIT_CODES.OK);
    expect(existsSync(join(dir, 'default.yaml'))).toBe(true);
  });

  it('uses the --backups folder', async () => {
    const backups = join(root, 'backups');
    await cli('--backups', backups, 'backup');
    expect(await readdir(backups)).toHaveLength(1);
  });
});

describe('trellis config exit codes', () => {
  it('exits 2 without --schema', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['config', 'validate'], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    expect(code).toBe(EXIT_CODES.USAGE);
    expect(err.join('')).toContain("required option '--schema <module>' not specified");
  });

  it('exits 3 when the schema module does not exist or does not import', async () => {
    schemaFile = join(root, 'missing.mjs');
    const missing = await cli('validate');
    expect(missing).toMatchObject({
      code: EXIT_CODES.UNAVAILABLE,
      stderr: expect.stringContaining('CLI_SCHEMA_UNAVAILABLE'),
    });
    schemaFile = join(root, 'broken.mjs');
    await writeFile(schemaFile, 'export const configSchema = ;\n');
    const broken = await cli('validate', '--json');
    expect(broken.code).toBe(EXIT_CODES.UNAVAILABLE);
    expect(JSON.parse(broken.stdout)).toMatchObject({ error: { code: 'CLI_SCHEMA_UNAVAILABLE' } });
  });

  it('exits 3 when the config folder does not exist', async () => {
    dir = join(root, 'nowhere');
    const result = await cli('print');
    expect(result).toMatchObject({
      code: EXIT_CODES.UNAVAILABLE,
      stderr: expect.stringContaining(`CLI_CONFIG_DIR_NOT_FOUND: The config folder ${dir}`),
    });
  });

  it('exits 1 when the schema module exports no schema', async () => {
    schemaFile = join(root, 'empty.mjs');
    await writeFile(schemaFile, 'export const nothing = 1;\n');
    const result = await cli('validate');
    expect(result).toMatchObject({
      code: EXIT_CODES.FAILURE,
      stderr: expect.stringContaining('CLI_SCHEMA_INVALID'),
    });
  });

  it('accepts a module exporting an async createConfigSchema()', async () => {
    schemaFile = join(root, 'factory.mjs');
    await writeFile(
      schemaFile,
      "import { z } from 'zod';\nexport async function createConfigSchema() {\n  return z.object({ name: z.string() }).passthrough();\n}\n",
    );
    await writeFile(join(dir, 'default.yaml'), 'name: factory\n');
    await writeFile(join(dir, 'production.yaml'), 'name: factory\n');
    expect((await cli('validate')).code).toBe(EXIT_CODES.OK);
  });
});

describe('trellis config secrecy', () => {
  it(`never prints the plaintext of a secret (${CANARY}) from any command`, async () => {
    await writeFile(join(dir, 'production.yaml'), `db:\n  pool: 1\n  password: "${password()}"\n`);
    await writeFile(
      join(dir, 'staging.yaml'),
      `version: 2\ndb:\n  password: "${password(`${CANARY}-staging`)}"\n`,
    );
    const { id } = JSON.parse((await cli('backup', '--json')).stdout) as { id: string };
    process.env.CANARY_VALUE = CANARY;
    process.env.NEW_KEY = K2;
    const runs: CliRun[] = [];
    for (const json of [[], ['--json']]) {
      runs.push(
        await cli('validate', ...json),
        await cli('validate', '--env', 'staging', ...json),
        await cli('explain', 'db.password', ...json),
        await cli('explain', 'db', ...json),
        await cli('explain', 'db.pasword', ...json),
        await cli('print', ...json),
        await cli('print', '--env', 'staging', ...json),
        await cli('diff', 'development', 'staging', ...json),
        await cli('diff', 'default.yaml', 'staging.yaml', ...json),
        await cli('migrate', '--dry-run', ...json),
        await cli('history', ...json),
        await cli('backup', ...json),
        await cli('encrypt', 'name', '--value-env', 'CANARY_VALUE', ...json),
        await cli('encrypt', 'db.password', '--value-env', 'CANARY_VALUE', ...json),
      );
    }
    runs.push(
      await cli('migrate'),
      await cli('rotate-key', '--new-key-id', 'k2', '--new-key-env', 'NEW_KEY', '--json'),
      await cli('restore', id),
      await cli('restore', id, '--json'),
    );
    process.env.TRELLIS_CONFIG_KEYS = `k1:${K1},k2:${K2}`;
    runs.push(await cli('print'), await cli('validate', '--env', 'production', '--json'));
    expect(runs.filter((result) => result.code > EXIT_CODES.FAILURE)).toEqual([]);
    // The invalid production config reports a problem on the object that holds the secret.
    expect(runs.at(-1)?.stdout).toContain('poolSize must be above 1, received [redacted]');
    const leaks = runs.filter((result) => `${result.stdout}${result.stderr}`.includes(CANARY));
    expect(leaks).toEqual([]);
  });
});
