import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { decryptSecret, encryptSecret } from './envelope.js';
import { KEY_FILE_ENV_VAR, KEYS_ENV_VAR, Keyring, loadKeyring } from './keyring.js';

const BYTES_1 = Buffer.alloc(32, 0x11);
const BYTES_2 = Buffer.alloc(32, 0x22);
const KEY_1 = BYTES_1.toString('base64');
const KEY_2 = BYTES_2.toString('base64');
const SHORT_KEY = Buffer.alloc(16, 0x33).toString('base64');

const dir = mkdtempSync(join(tmpdir(), 'trellis-keyring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeKeyFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

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

/** Every text form of the key bytes that could leak: base64, base64url and hex. */
function keyForms(...keys: Buffer[]): string[] {
  return keys.flatMap((key) => [
    key.toString('base64').slice(0, 20),
    key.toString('base64url').slice(0, 20),
    key.toString('hex').slice(0, 20),
  ]);
}

function expectNoKeyMaterial(text: string, ...keys: Buffer[]): void {
  for (const form of keyForms(...keys)) expect(text).not.toContain(form);
}

describe('Keyring.fromEnvValue', () => {
  it('loads every key and makes the first active', () => {
    const keyring = Keyring.fromEnvValue(`k2:${KEY_2},k1:${KEY_1}`);
    expect(keyring.ids()).toEqual(['k2', 'k1']);
    expect(keyring.activeKeyId).toBe('k2');
    expect(keyring.get('k1')?.equals(BYTES_1)).toBe(true);
    expect(keyring.source).toBe(KEYS_ENV_VAR);
  });

  it('ignores spaces around entries and a trailing comma', () => {
    expect(Keyring.fromEnvValue(` a.b_c-1 : ${KEY_1} , k2:${KEY_2},`).ids()).toEqual(['a.b_c-1', 'k2']);
  });

  it('accepts unpadded base64', () => {
    expect(
      Keyring.fromEnvValue(`k1:${KEY_1.replace(/=+$/, '')}`)
        .get('k1')
        ?.equals(BYTES_1),
    ).toBe(true);
  });

  it.each([
    ['an empty value', ' , ', 'no keys are given', []],
    ['an entry without an id', `k1:${KEY_1},${KEY_2}`, 'entry 2 is not "<id>:<base64 key>"', [BYTES_2]],
    [
      'an id with a space',
      `my key:${KEY_1}`,
      'entry 1 has an invalid key id (use 1 to 64 of A-Z a-z 0-9 . _ -)',
      [BYTES_1],
    ],
    ['an empty id', `:${KEY_1}`, 'entry 1 has an invalid key id', [BYTES_1]],
    ['an id of 65 characters', `${'k'.repeat(65)}:${KEY_1}`, 'entry 1 has an invalid key id', [BYTES_1]],
    [
      'a key that is not base64',
      `k1:${KEY_1.slice(0, 20)}!${KEY_1.slice(21)}`,
      'key "k1" is not valid base64',
      [BYTES_1],
    ],
    [
      'a 16-byte key',
      `k1:${SHORT_KEY}`,
      'key "k1" is 16 bytes; AES-256 needs exactly 32',
      [Buffer.alloc(16, 0x33)],
    ],
    ['a duplicate id', `k1:${KEY_1},k1:${KEY_2}`, 'key id "k1" is given more than once', [BYTES_1, BYTES_2]],
  ])(
    'rejects %s with CONFIG_SECRET_KEYRING_INVALID, without echoing key material',
    (_case, text, problem, keys) => {
      const error = thrown(() => Keyring.fromEnvValue(text));
      expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
      expect(error.message).toContain(`Secret keys from ${KEYS_ENV_VAR} are invalid: ${problem}`);
      expectNoKeyMaterial(error.message, ...keys);
      expectNoKeyMaterial(JSON.stringify(error), ...keys);
    },
  );

  it('names the given source in errors', () => {
    expect(thrown(() => Keyring.fromEnvValue('', '--keys')).message).toContain(
      'Secret keys from --keys are invalid',
    );
  });
});

describe('Keyring.fromKeyFileText', () => {
  it('loads the keys with the named active key', () => {
    const keyring = Keyring.fromKeyFileText(
      JSON.stringify({ active: 'k2', keys: { k1: KEY_1, k2: KEY_2 } }),
      'keys.json',
    );
    expect(keyring.ids()).toEqual(['k1', 'k2']);
    expect(keyring.activeKeyId).toBe('k2');
    expect(keyring.source).toBe('keys.json');
  });

  it('makes the only key active when "active" is left out', () => {
    expect(Keyring.fromKeyFileText(JSON.stringify({ keys: { k1: KEY_1 } }), 'keys.json').activeKeyId).toBe(
      'k1',
    );
  });

  it('loads an empty keyring from an empty "keys"', () => {
    const keyring = Keyring.fromKeyFileText('{"keys": {}}', 'keys.json');
    expect(keyring.ids()).toEqual([]);
    expect(keyring.activeKeyId).toBeUndefined();
  });

  it.each([
    ['an array', [], 'the key file must be a JSON object'],
    ['null', null, 'the key file must be a JSON object'],
    [
      'an unknown field',
      { activ: 'k1', keys: { k1: KEY_1 } },
      'unknown field "activ" (expected "active" and "keys")',
    ],
    ['a key as a field name', { [KEY_1]: 'k1', keys: {} }, 'unknown field (expected "active" and "keys")'],
    ['no "keys"', { active: 'k1' }, '"keys" must be an object mapping key ids to base64 keys'],
    ['"keys" as a list', { keys: [KEY_1] }, '"keys" must be an object'],
    ['a bad key id', { keys: { 'k 1': KEY_1 } }, 'entry 1 of "keys" has an invalid key id'],
    ['a key that is not a string', { keys: { k1: 42 } }, 'key "k1" must be a base64 string'],
    [
      'a key that is not base64',
      { keys: { k1: `${KEY_1.slice(0, 10)}%%${KEY_1.slice(12)}` } },
      'key "k1" is not valid base64',
    ],
    ['a 16-byte key', { keys: { k1: SHORT_KEY } }, 'key "k1" is 16 bytes; AES-256 needs exactly 32'],
    [
      'two keys and no "active"',
      { keys: { k1: KEY_1, k2: KEY_2 } },
      '"active" is missing; name the key that encrypts new values (one of k1, k2)',
    ],
    [
      '"active" naming no key',
      { active: 'k3', keys: { k1: KEY_1 } },
      '"active" must name one of the keys in "keys" (k1)',
    ],
    [
      '"active" in an empty keyring',
      { active: 'k1', keys: {} },
      '"active" must name one of the keys in "keys" (none)',
    ],
    [
      '"active" that is not a string',
      { active: 1, keys: { k1: KEY_1 } },
      '"active" must name one of the keys',
    ],
  ])(
    'rejects %s with CONFIG_SECRET_KEYRING_INVALID naming the file, without echoing key material',
    (_case, data, problem) => {
      const error = thrown(() => Keyring.fromKeyFileText(JSON.stringify(data), 'secrets/keys.json'));
      expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
      expect(error.message).toContain(`Secret keys from secrets/keys.json are invalid: ${problem}`);
      expectNoKeyMaterial(error.message, BYTES_1, BYTES_2);
    },
  );

  it.each([
    [
      'a missing comma',
      `{\n  "keys": {\n    "k1": "${KEY_1}"\n    "k2": "${KEY_2}"\n  }\n}`,
      4,
      5,
      "Expected ',' or '}'",
    ],
    ['an unquoted key', `{\n  "keys": {\n    "k1": ${KEY_1}\n  }\n}`, 3, 11, 'Unexpected character'],
    ['a missing brace', `{"keys": {"k1": "${KEY_1}"`, 1, 63, "Expected ',' or '}' after property value"],
    ['a truncated file', '{"keys": {"k1":', 1, 16, 'Unexpected end of input'],
  ])(
    'rejects malformed JSON (%s) with CONFIG_PARSE_FAILED at its line and column, without echoing key material',
    (_case, text, line, column, problem) => {
      const error = thrown(() => Keyring.fromKeyFileText(text, 'keys.json'));
      expect(error.code).toBe('CONFIG_PARSE_FAILED');
      expect(error.message).toContain(`keys.json:${line}:${column}: ${problem}`);
      expectNoKeyMaterial(error.message, BYTES_1, BYTES_2);
    },
  );
});

describe('Keyring.fromKeyFile', () => {
  it('reads a key file from disk', () => {
    const file = writeKeyFile('good.json', JSON.stringify({ active: 'k1', keys: { k1: KEY_1 } }));
    expect(Keyring.fromKeyFile(file).activeKeyId).toBe('k1');
  });

  it('fails with CONFIG_SECRET_KEYRING_INVALID naming the file and the reason when it cannot be read', () => {
    const file = join(dir, 'missing.json');
    const error = thrown(() => Keyring.fromKeyFile(file));
    expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
    expect(error.message).toContain(
      `Secret keys from ${file} are invalid: the key file cannot be read (ENOENT)`,
    );
  });
});

describe('Keyring.combine', () => {
  const env = Keyring.fromEnvValue(`k2:${KEY_2}`);
  const file = Keyring.fromKeyFileText(
    JSON.stringify({ active: 'k1', keys: { k1: KEY_1, k2: KEY_2 } }),
    'keys.json',
  );

  it('holds the keys of both, keeping the active key of the first', () => {
    const keyring = Keyring.combine(env, file);
    expect(keyring.ids()).toEqual(['k2', 'k1']);
    expect(keyring.activeKeyId).toBe('k2');
    expect(keyring.source).toBe(`${KEYS_ENV_VAR} and keys.json`);
  });

  it('returns the other keyring when one is empty', () => {
    expect(Keyring.combine(Keyring.empty(), file)).toBe(file);
    expect(Keyring.combine(env, Keyring.empty())).toBe(env);
  });

  it('fails naming the id when an id holds different keys in the two', () => {
    const other = Keyring.fromEnvValue(`k2:${KEY_1}`);
    const error = thrown(() => Keyring.combine(other, file));
    expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
    expect(error.message).toContain(`key "k2" is different in ${KEYS_ENV_VAR} and keys.json`);
    expectNoKeyMaterial(error.message, BYTES_1, BYTES_2);
  });
});

describe('Keyring', () => {
  const keyring = Keyring.fromEnvValue(`k1:${KEY_1}`);

  it('returns a copy of a key, so callers cannot change the keyring', () => {
    const key = keyring.get('k1');
    key?.fill(0);
    expect(keyring.get('k1')?.equals(BYTES_1)).toBe(true);
  });

  it('answers undefined and false for an id it does not hold', () => {
    expect(keyring.get('nope')).toBeUndefined();
    expect(keyring.has('nope')).toBe(false);
    expect(keyring.has('k1')).toBe(true);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(keyring)).toBe(true);
  });

  describe('withKey', () => {
    it('returns a new keyring with the key, leaving the original as it was', () => {
      const next = keyring.withKey('k2', KEY_2);
      expect(next.ids()).toEqual(['k1', 'k2']);
      expect(next.activeKeyId).toBe('k1');
      expect(keyring.ids()).toEqual(['k1']);
    });

    it('activates the new key when asked', () => {
      expect(keyring.withKey('k2', KEY_2, { activate: true }).activeKeyId).toBe('k2');
    });

    it('activates the first key added to an empty keyring', () => {
      expect(Keyring.empty().withKey('k9', BYTES_2).activeKeyId).toBe('k9');
    });

    it('copies a key given as bytes', () => {
      const bytes = Buffer.from(BYTES_2);
      const next = keyring.withKey('k2', bytes);
      bytes.fill(0);
      expect(next.get('k2')?.equals(BYTES_2)).toBe(true);
    });

    it('re-activates an id already loaded with the same key', () => {
      const next = keyring.withKey('k2', KEY_2).withKey('k1', KEY_1, { activate: false });
      expect(next.activeKeyId).toBe('k1');
      expect(next.withKey('k2', BYTES_2, { activate: true }).activeKeyId).toBe('k2');
    });

    it.each([
      ['an invalid id', 'k/1', KEY_2, 'the key id is invalid'],
      ['a 16-byte key', 'k2', SHORT_KEY, 'key "k2" is 16 bytes'],
      ['a 31-byte buffer', 'k2', Buffer.alloc(31), 'key "k2" is 31 bytes'],
      [
        'an id loaded with another key',
        'k1',
        KEY_2,
        'key "k1" is already loaded with different key material',
      ],
    ])('rejects %s', (_case, id, key, problem) => {
      const error = thrown(() => keyring.withKey(id, key, { source: '--new-key' }));
      expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
      expect(error.message).toContain(`Secret keys from --new-key are invalid: ${problem}`);
      expectNoKeyMaterial(error.message, BYTES_1, BYTES_2);
    });

    it('names withKey() as the source by default', () => {
      expect(thrown(() => keyring.withKey('k 2', KEY_2)).message).toContain(
        'Secret keys from withKey() are invalid',
      );
    });
  });

  describe('withoutKey', () => {
    const two = keyring.withKey('k2', KEY_2, { activate: true });

    it('returns a keyring without the retired key', () => {
      const next = two.withoutKey('k1');
      expect(next.ids()).toEqual(['k2']);
      expect(two.ids()).toEqual(['k1', 'k2']);
    });

    it('returns the same keyring for an id it does not hold', () => {
      expect(two.withoutKey('k9')).toBe(two);
    });

    it('refuses to retire the active key', () => {
      const error = thrown(() => two.withoutKey('k2'));
      expect(error.code).toBe('CONFIG_SECRET_KEYRING_INVALID');
      expect(error.message).toContain('key "k2" is active and cannot be retired; activate another key first');
    });
  });

  describe('generateKey', () => {
    it('returns base64 of 32 random bytes', () => {
      const key = Keyring.generateKey();
      expect(Buffer.from(key, 'base64')).toHaveLength(32);
      expect(key).not.toBe(Keyring.generateKey());
      expect(Keyring.empty().withKey('k1', key).activeKeyId).toBe('k1');
    });
  });

  describe('toKeyFile', () => {
    it('writes a key file that reads back as the same keyring', () => {
      const original = keyring.withKey('k2', KEY_2, { activate: true });
      const copy = Keyring.fromKeyFileText(original.toKeyFile(), 'keys.json');
      expect(copy.ids()).toEqual(['k1', 'k2']);
      expect(copy.activeKeyId).toBe('k2');
      expect(copy.get('k2')?.equals(BYTES_2)).toBe(true);
      const envelope = encryptSecret('v', 'a.b', original);
      expect(decryptSecret(envelope, 'a.b', copy)).toBe('v');
    });
  });

  describe('printing', () => {
    const two = keyring.withKey('k2', KEY_2, { activate: true });

    it('JSON.stringify shows ids only, also when nested', () => {
      expect(JSON.parse(JSON.stringify(two))).toEqual({ activeKeyId: 'k2', ids: ['k1', 'k2'] });
      expectNoKeyMaterial(JSON.stringify({ config: { keyring: two }, list: [two] }), BYTES_1, BYTES_2);
    });

    it('util.inspect and console.log show ids only', () => {
      expect(inspect(two)).toBe('Keyring(k1, k2*)');
      for (const options of [
        {},
        { showHidden: true, depth: 10 },
        { customInspect: false, showHidden: true },
      ]) {
        expectNoKeyMaterial(inspect({ nested: [two] }, options), BYTES_1, BYTES_2);
      }
    });

    it('String() and template literals show ids only', () => {
      expect(String(two)).toBe('Keyring(k1, k2*)');
      expect(`${Keyring.empty()}`).toBe('Keyring()');
    });
  });
});

describe('loadKeyring', () => {
  const keyFile = writeKeyFile('keys.json', JSON.stringify({ active: 'k1', keys: { k1: KEY_1, k3: KEY_2 } }));

  it('returns an empty keyring when neither variable is set, and encrypting then says so', () => {
    const keyring = loadKeyring({ env: {} });
    expect(keyring.ids()).toEqual([]);
    const error = thrown(() => encryptSecret('x', 'db.password', keyring));
    expect(error.message).toContain(
      `Secret keys from ${KEYS_ENV_VAR} / ${KEY_FILE_ENV_VAR} (neither is set) are invalid`,
    );
  });

  it('treats blank variables as unset', () => {
    expect(loadKeyring({ env: { [KEYS_ENV_VAR]: '  ', [KEY_FILE_ENV_VAR]: '' } }).ids()).toEqual([]);
  });

  it(`reads ${KEYS_ENV_VAR}`, () => {
    expect(loadKeyring({ env: { [KEYS_ENV_VAR]: `k2:${KEY_2}` } }).ids()).toEqual(['k2']);
  });

  it(`reads the key file named by ${KEY_FILE_ENV_VAR}`, () => {
    expect(loadKeyring({ env: { [KEY_FILE_ENV_VAR]: keyFile } }).source).toBe(keyFile);
  });

  it(`prefers the keyFile option to ${KEY_FILE_ENV_VAR}`, () => {
    expect(loadKeyring({ env: { [KEY_FILE_ENV_VAR]: join(dir, 'missing.json') }, keyFile }).source).toBe(
      keyFile,
    );
  });

  it(`merges ${KEYS_ENV_VAR} and the key file, the first env key active`, () => {
    const keyring = loadKeyring({ env: { [KEYS_ENV_VAR]: `k2:${KEY_2}` }, keyFile });
    expect(keyring.ids()).toEqual(['k2', 'k1', 'k3']);
    expect(keyring.activeKeyId).toBe('k2');
  });

  it('reads process.env by default', () => {
    const saved = process.env[KEYS_ENV_VAR];
    process.env[KEYS_ENV_VAR] = `k5:${KEY_1}`;
    try {
      expect(loadKeyring().ids()).toContain('k5');
    } finally {
      if (saved === undefined) delete process.env[KEYS_ENV_VAR];
      else process.env[KEYS_ENV_VAR] = saved;
    }
  });
});
