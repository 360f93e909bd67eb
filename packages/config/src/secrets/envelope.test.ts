import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import fc from 'fast-check';
import {
  AUTHENTICATION_FAILED,
  decryptSecret,
  ENVELOPE_PREFIX,
  encryptSecret,
  envelopeKeyId,
  isEnvelope,
} from './envelope.js';
import { Keyring } from './keyring.js';

const KEY_A = Buffer.alloc(32, 0xa1).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb2).toString('base64');
const k1 = Keyring.fromEnvValue(`k1:${KEY_A}`);

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

/** The envelope with one of its base64url parts (3 = iv, 4 = tag, 5 = ciphertext) replaced. */
function withPart(envelope: string, index: number, change: (bytes: Buffer) => Buffer): string {
  const parts = envelope.split(':');
  parts[index] = change(Buffer.from(parts[index] ?? '', 'base64url')).toString('base64url');
  return parts.join(':');
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constant(''),
  fc.string({ unit: 'grapheme', minLength: 5_000, maxLength: 20_000 }),
);
const configPath = fc
  .array(fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/), fc.nat({ max: 20 }).map(String)), {
    minLength: 1,
    maxLength: 6,
  })
  .map((segments) => segments.join('.'));

describe('encryptSecret / decryptSecret', () => {
  it('round-trips any unicode string at any path', () => {
    fc.assert(
      fc.property(anyText, fc.oneof(configPath, fc.string({ unit: 'binary' })), (plaintext, path) => {
        expect(decryptSecret(encryptSecret(plaintext, path, k1), path, k1)).toBe(plaintext);
      }),
      { numRuns: 200 },
    );
  });

  it('writes enc:v1:<keyId>:<iv>:<tag>:<ciphertext> with base64url parts', () => {
    const envelope = encryptSecret('hunter2', 'db.password', k1);
    expect(envelope).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(envelope.startsWith(ENVELOPE_PREFIX)).toBe(true);
  });

  it('never writes the plaintext into the envelope', () => {
    expect(encryptSecret('CANARY-7f3a9c', 'db.password', k1)).not.toContain('CANARY');
  });

  it('gives a different envelope each time for the same value (random iv)', () => {
    const first = encryptSecret('same', 'db.password', k1);
    const second = encryptSecret('same', 'db.password', k1);
    expect(first).not.toBe(second);
    expect(decryptSecret(second, 'db.password', k1)).toBe('same');
  });

  it('encrypts under the active key', () => {
    const keyring = k1.withKey('k2', KEY_B, { activate: true });
    expect(envelopeKeyId(encryptSecret('x', 'a', keyring))).toBe('k2');
  });

  it('replaces a lone surrogate, which UTF-8 cannot hold, with U+FFFD', () => {
    expect(decryptSecret(encryptSecret('a\ud800b', 'p', k1), 'p', k1)).toBe('a\ufffdb');
  });

  it('fails with CONFIG_SECRET_KEYRING_INVALID when the keyring holds no key', () => {
    const error = thrown(() => encryptSecret('x', 'db.password', Keyring.empty()));
    expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
    expect(error.message).toContain('no key is loaded, so "db.password" cannot be encrypted');
  });
});

describe('decryptSecret failures', () => {
  const envelope = encryptSecret('s3cret-value', 'db.password', k1);

  it('fails with CONFIG_SECRET_DECRYPT_FAILED when the envelope is moved to another path', () => {
    fc.assert(
      fc.property(configPath, configPath, anyText, (from, to, plaintext) => {
        fc.pre(from !== to);
        const error = thrown(() => decryptSecret(encryptSecret(plaintext, from, k1), to, k1));
        expect(error.code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
        expect(error.message).toContain(AUTHENTICATION_FAILED);
        expect(error.message).toContain(`"${to}"`);
      }),
      { numRuns: 100 },
    );
  });

  it('fails with CONFIG_SECRET_KEY_MISSING naming the key id and the loaded ids when the key is not loaded', () => {
    const other = Keyring.fromEnvValue(`k7:${KEY_B},k8:${KEY_A}`);
    const error = thrown(() => decryptSecret(envelope, 'db.password', other));
    expect(error.code).toBe('CONFIG_SECRET_KEY_MISSING');
    expect(error.message).toContain('encrypted with key "k1"');
    expect(error.message).toContain('loaded: k7, k8');
    expect(error.details).toMatchObject({ keyId: 'k1', path: 'db.password', known: ['k7', 'k8'] });
  });

  it('fails with CONFIG_SECRET_KEY_MISSING saying none are loaded for an empty keyring', () => {
    expect(thrown(() => decryptSecret(envelope, 'db.password', Keyring.empty())).message).toContain(
      'loaded: none',
    );
  });

  it('fails with CONFIG_SECRET_DECRYPT_FAILED, never garbage, under the same id with other key material', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        fc.pre(!Buffer.from(bytes).equals(Buffer.from(KEY_A, 'base64')));
        const impostor = Keyring.empty().withKey('k1', Buffer.from(bytes));
        const error = thrown(() => decryptSecret(envelope, 'db.password', impostor));
        expect(error.code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
        expect(error.message).toContain('with key "k1"');
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ['iv', 3],
    ['tag', 4],
    ['ciphertext', 5],
  ])('fails when any byte of the %s is changed', (_part, index) => {
    const length = Buffer.from(envelope.split(':')[index] ?? '', 'base64url').length;
    fc.assert(
      fc.property(fc.nat({ max: length - 1 }), fc.integer({ min: 1, max: 255 }), (position, mask) => {
        const altered = withPart(envelope, index, (bytes) => {
          const copy = Buffer.from(bytes);
          copy[position] = (copy[position] ?? 0) ^ mask;
          return copy;
        });
        expect(thrown(() => decryptSecret(altered, 'db.password', k1)).code).toBe(
          'CONFIG_SECRET_DECRYPT_FAILED',
        );
      }),
    );
  });

  it('fails when the ciphertext is truncated or extended', () => {
    for (const change of [
      (b: Buffer) => b.subarray(1),
      (b: Buffer) => Buffer.concat([b, Buffer.from([0])]),
    ]) {
      const altered = withPart(envelope, 5, change);
      expect(thrown(() => decryptSecret(altered, 'db.password', k1)).message).toContain(
        AUTHENTICATION_FAILED,
      );
    }
  });

  it('rejects a part whose text changes while its bytes do not (non-canonical base64url)', () => {
    const parts = envelope.split(':');
    const tag = parts[4] ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The last of 22 characters carries 2 bits of the 16-byte tag; its low 4 bits are padding.
    const last = alphabet[alphabet.indexOf(tag.at(-1) ?? 'A') ^ 1] ?? 'A';
    parts[4] = tag.slice(0, -1) + last;
    expect(Buffer.from(parts[4], 'base64url').equals(Buffer.from(tag, 'base64url'))).toBe(true);
    const error = thrown(() => decryptSecret(parts.join(':'), 'db.password', k1));
    expect(error.message).toContain('malformed envelope: the tag is not 16 bytes of base64url');
  });

  it.each([
    ['plain text', 'hunter2', 'expected enc:v1:<keyId>:<iv>:<tag>:<ciphertext>'],
    ['too few parts', 'enc:v1:k1:abc', 'expected enc:v1:'],
    ['too many parts', `${envelope}:extra`, 'expected enc:v1:'],
    ['an unknown version', 'enc:v9:k1:a:b:c', 'version "v9" is not supported (this build reads v1)'],
    ['an invalid key id', envelope.replace(':k1:', ':k 1:'), 'the key id is invalid'],
    ['a short iv', withPart(envelope, 3, (b) => b.subarray(1)), 'the iv is not 12 bytes'],
    ['a long tag', withPart(envelope, 4, (b) => Buffer.concat([b, b])), 'the tag is not 16 bytes'],
    ['a ciphertext that is not base64url', `${envelope}+/`, 'the ciphertext is not base64url'],
    ['a ciphertext with an impossible length', `${envelope}A`, 'the ciphertext is not base64url'],
  ])('reports a malformed envelope for %s', (_case, text, problem) => {
    const error = thrown(() => decryptSecret(text, 'db.password', k1));
    expect(error.code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('malformed envelope');
    expect(error.message).toContain(problem);
  });

  it('names the key id of a malformed envelope when it can be read, else (unknown)', () => {
    expect(thrown(() => decryptSecret('enc:v1:k1:x', 'p', k1)).details).toMatchObject({ keyId: 'k1' });
    expect(thrown(() => decryptSecret('nope', 'p', k1)).details).toMatchObject({ keyId: '(unknown)' });
  });
});

describe('isEnvelope', () => {
  it.each([
    ['enc:v1:k1:a:b:c', true],
    ['enc:v2:anything', true],
    ['enc:v1:', true],
    ['encrypted', false],
    ['enc:x:', false],
    ['', false],
    [' enc:v1:k1:a:b:c', false],
    [42, false],
    [null, false],
    [{ value: 'enc:v1:k1:a:b:c' }, false],
  ])('%j → %s', (value, expected) => {
    expect(isEnvelope(value)).toBe(expected);
  });
});

describe('envelopeKeyId', () => {
  it('reads the key id of a well-formed envelope', () => {
    expect(envelopeKeyId(encryptSecret('x', 'p', k1))).toBe('k1');
  });

  it('is undefined for a malformed envelope', () => {
    expect(envelopeKeyId('enc:v1:k1:short')).toBeUndefined();
  });
});
