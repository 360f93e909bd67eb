// The canary-secret test: one known secret value is pushed through every way a config value can
// leave the process as text, and not one byte of it may appear in any of them.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, MemoryAuditLog, TrellisError } from '@trellis/core';
import { z } from 'zod';
import type { Config } from './runtime/config.js';
import { diffConfig } from './runtime/diff-config.js';
import { loadConfig } from './runtime/load-config.js';
import { secret } from './schema/markers.js';
import { encryptSecret } from './secrets/envelope.js';
import { Keyring } from './secrets/keyring.js';

const CANARY = 'CANARY-5e1f0c77';
const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 3).toString('base64')}`);
const schema = z
  .object({
    db: z.object({ url: z.string(), password: secret(z.string().min(8)) }).strict(),
    tenants: z.record(z.string(), z.object({ apiKey: secret() }).strict()).default({}),
  })
  .strict();

let root: string;
let config: Config<z.output<typeof schema>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-canary-'));
  const dir = join(root, 'config');
  await mkdir(dir);
  const envelope = encryptSecret(CANARY, 'db.password', keyring);
  await writeFile(join(dir, 'default.yaml'), `db:\n  url: postgres://db\n  password: "${envelope}"\n`);
  config = await loadConfig({
    schema,
    dir,
    envFile: false,
    env: { TRELLIS_TENANTS__ACME__API_KEY: CANARY },
    keyring,
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function expectNoCanary(output: string): void {
  expect(output).not.toContain(CANARY);
  // Not even a fragment long enough to matter.
  expect(output).not.toContain(CANARY.slice(7));
}

describe('a secret config value', () => {
  it('is usable where it is needed', () => {
    expect(config.value.db.password.reveal()).toBe(CANARY);
    expect(config.value.tenants.acme?.apiKey.reveal()).toBe(CANARY);
  });

  it('never appears in JSON, inspect, format, String or template output', () => {
    const outputs = [
      JSON.stringify(config),
      JSON.stringify(config.value),
      JSON.stringify(config.get('db')),
      inspect(config, { depth: Number.POSITIVE_INFINITY }),
      inspect(config.value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      format('%s %o %O %j', config.value.db.password, config.value, config.value, config.value),
      String(config.value.db.password),
      `${config.value.db.password}`,
      `${config.get('db.password')}`,
    ];
    for (const output of outputs) expectNoCanary(output);
  });

  it('never appears in explain()', () => {
    expectNoCanary(JSON.stringify(config.explain('db.password')));
    expectNoCanary(JSON.stringify(config.explain('tenants.acme.apiKey')));
    expectNoCanary(JSON.stringify(config.explain('db')));
  });

  it('never appears in logs written through the platform logger', () => {
    const lines: string[] = [];
    const logger = new ConsoleLogger({ level: 'trace', destination: { write: (l) => lines.push(l) } });
    logger.info({ config: config.value, password: config.value.db.password }, 'loaded');
    logger.error({ err: new Error(`connect failed with ${config.value.db.password}`) }, 'db');
    for (const line of lines) expectNoCanary(line);
  });

  it('never appears in validation errors, even when the secret itself is invalid', async () => {
    const dir = join(root, 'bad');
    await mkdir(dir);
    await writeFile(join(dir, 'default.yaml'), 'db:\n  url: 1\n');
    const error = (await loadConfig({
      schema,
      dir,
      envFile: false,
      env: { TRELLIS_DB__PASSWORD: CANARY.slice(0, 7) },
      keyring,
    }).catch((e: unknown) => e)) as TrellisError;
    expect(error.code).toBe('CONFIG_INVALID');
    for (const output of [
      error.message,
      JSON.stringify(error.toJSON()),
      inspect(error),
      String(error.stack),
    ]) {
      expect(output).not.toContain(CANARY.slice(0, 7));
    }
  });

  it('never appears in change events and diffs', () => {
    const events: string[] = [];
    const subscription = config.onChange((event) => events.push(JSON.stringify(event)));
    config.set('db.password', `${CANARY}-rotated`);
    subscription.dispose();
    config.clearOverrides();
    expect(events).toHaveLength(1);
    expectNoCanary(events[0] as string);
    expectNoCanary(
      JSON.stringify(diffConfig({ db: { password: config.value.db.password } }, { db: {} }, ['db.password'])),
    );
  });

  it('never appears in audit entries or metric labels built from it', async () => {
    const audit = new MemoryAuditLog();
    const record = await audit.record({
      action: 'config.set',
      actor: 'admin',
      target: 'db.password',
      outcome: 'success',
      details: { value: config.value.db.password },
    });
    expectNoCanary(JSON.stringify(record));
    const labels = { tenant: `${config.value.tenants.acme?.apiKey}` };
    expectNoCanary(JSON.stringify(labels));
  });

  it('never appears in a TrellisError that wraps it as a cause', () => {
    const error = new TrellisError('X', 'failed', {
      cause: new Error(`${config.value.db.password}`),
      details: { secret: config.value.db.password },
    });
    expectNoCanary(JSON.stringify(error.toJSON()));
    expectNoCanary(inspect(error, { depth: 5 }));
  });
});
