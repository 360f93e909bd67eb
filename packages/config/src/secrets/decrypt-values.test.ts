import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import fc from 'fast-check';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { secretPaths } from '../schema/schema-walk.js';
import { Secret } from '../schema/secret-value.js';
import { decryptValues, encryptPlainSecrets } from './decrypt-values.js';
import { encryptSecret, envelopeKeyId, isEnvelope } from './envelope.js';
import { Keyring } from './keyring.js';

const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 5).toString('base64')}`);
const schema = z.object({
  db: z.object({ host: z.string(), password: secret() }),
  tenants: z.record(z.string(), z.object({ apiKey: secret() })),
  servers: z.array(z.object({ name: z.string(), token: secret() })),
  oauth: secret(z.object({ id: z.string(), secret: z.string() })),
  pin: secret(z.number()),
});
const patterns = secretPaths(schema);

/** The error `run` throws; fails the test when it returns. */
function thrown(run: () => unknown): TrellisError {
  try {
    run();
  } catch (error) {
    if (error instanceof TrellisError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('decryptValues', () => {
  const values = {
    db: { host: 'localhost', password: encryptSecret('pw', 'db.password', keyring) },
    tenants: { acme: { apiKey: encryptSecret('acme-key', 'tenants.acme.apiKey', keyring) } },
    servers: [{ name: 'a', token: encryptSecret('tok-0', 'servers.0.token', keyring) }],
  };

  it('decrypts every envelope with its dotted path, array indices included', () => {
    const result = decryptValues(values, patterns, keyring);
    expect(result.values).toEqual({
      db: { host: 'localhost', password: 'pw' },
      tenants: { acme: { apiKey: 'acme-key' } },
      servers: [{ name: 'a', token: 'tok-0' }],
    });
    expect(result.decrypted).toEqual(['db.password', 'tenants.acme.apiKey', 'servers.0.token']);
    expect(result.unmarked).toEqual([]);
  });

  it('returns a new object and leaves its input as it was', () => {
    const before = structuredClone(values);
    const result = decryptValues(values, patterns, keyring);
    expect(values).toEqual(before);
    expect(result.values.db).not.toBe(values.db);
  });

  it('decrypts an envelope outside the secret paths and reports it as unmarked', () => {
    const result = decryptValues({ db: { host: encryptSecret('h', 'db.host', keyring) } }, patterns, keyring);
    expect(result.values).toEqual({ db: { host: 'h' } });
    expect(result.unmarked).toEqual(['db.host']);
  });

  it('fails with CONFIG_SECRET_DECRYPT_FAILED for an envelope copied to another path', () => {
    const moved = { servers: [values.servers[0], { name: 'b', token: values.servers[0]?.token }] };
    const error = thrown(() => decryptValues(moved, patterns, keyring));
    expect(error.code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('"servers.1.token"');
  });

  it('fails with CONFIG_SECRET_KEY_MISSING naming the key id when the keyring lacks it', () => {
    const error = thrown(() => decryptValues(values, patterns, Keyring.empty()));
    expect(error.code).toBe('CONFIG_SECRET_KEY_MISSING');
    expect(error.message).toContain('key "k1"');
  });

  it('keeps non-string leaves and plaintext as they are', () => {
    const input = { db: { host: 'h', password: 'plain' }, pin: 1234, list: [true, null] };
    expect(decryptValues(input, patterns, keyring)).toEqual({ values: input, decrypted: [], unmarked: [] });
  });
});

describe('encryptPlainSecrets', () => {
  it('encrypts plaintext strings at and under secret paths, and nothing else', () => {
    const input = {
      db: { host: 'localhost', password: 'pw' },
      tenants: { acme: { apiKey: 'k-acme' } },
      servers: [{ name: 'a', token: 't0' }],
      oauth: { id: 'client', secret: 'shh' },
      pin: 1234,
    };
    const result = encryptPlainSecrets(input, patterns, keyring);
    expect(result.encrypted).toEqual([
      'db.password',
      'tenants.acme.apiKey',
      'servers.0.token',
      'oauth.id',
      'oauth.secret',
    ]);
    expect(result.values.db).toMatchObject({ host: 'localhost' });
    expect(isEnvelope((result.values.db as { password: unknown }).password)).toBe(true);
    expect(result.values.pin).toBe(1234);
    expect(decryptValues(result.values, patterns, keyring).values).toEqual(input);
  });

  it('leaves values that are already envelopes as they are', () => {
    const envelope = encryptSecret('pw', 'db.password', keyring);
    const result = encryptPlainSecrets({ db: { password: envelope } }, patterns, keyring);
    expect(result).toEqual({ values: { db: { password: envelope } }, encrypted: [] });
  });

  it('encrypts the value of a Secret holding a string', () => {
    const result = encryptPlainSecrets({ db: { password: new Secret('pw') } }, patterns, keyring);
    expect(result.encrypted).toEqual(['db.password']);
    expect(decryptValues(result.values, patterns, keyring).values).toEqual({ db: { password: 'pw' } });
  });

  it('encrypts under the active key', () => {
    const next = keyring.withKey('k2', Keyring.generateKey(), { activate: true });
    const result = encryptPlainSecrets({ db: { password: 'pw' } }, patterns, next);
    expect(envelopeKeyId((result.values.db as { password: string }).password)).toBe('k2');
  });

  it('round-trips any secrets through decryptValues', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ unit: 'binary' })),
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }),
        fc.string({ unit: 'binary' }),
        (apiKeys, tokens, password) => {
          const input = {
            db: { host: 'h', password },
            tenants: Object.fromEntries(Object.entries(apiKeys).map(([name, apiKey]) => [name, { apiKey }])),
            servers: tokens.map((token, i) => ({ name: `s${i}`, token })),
          };
          const { values } = encryptPlainSecrets(input, patterns, keyring);
          expect(isEnvelope((values.db as { password: unknown }).password)).toBe(true);
          expect(decryptValues(values, patterns, keyring).values).toEqual(input);
        },
      ),
      { numRuns: 100 },
    );
  });
});
