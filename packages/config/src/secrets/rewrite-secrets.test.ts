import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { parse } from 'yaml';
import { decryptValues } from './decrypt-values.js';
import { decryptSecret, encryptSecret, envelopeKeyId } from './envelope.js';
import { Keyring } from './keyring.js';
import { encryptPathInText, rotateSecretsInText } from './rewrite-secrets.js';

const KEY_1 = Buffer.alloc(32, 0x01).toString('base64');
const KEY_2 = Buffer.alloc(32, 0x02).toString('base64');
const k1 = Keyring.fromEnvValue(`k1:${KEY_1}`);
const k2 = k1.withKey('k2', KEY_2, { activate: true });
const FILE = 'config/default.yaml';
const ENVELOPES = /enc:v1:[A-Za-z0-9._-]+:[A-Za-z0-9_-]*:[A-Za-z0-9_-]*:[A-Za-z0-9_-]*/g;

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

const enc = (plaintext: string, path: string, keyring = k1) => encryptSecret(plaintext, path, keyring);

/** Every leaf of a parsed file, decrypted. */
function readBack(text: string, keyring: Keyring): Record<string, unknown> {
  return decryptValues(parse(text) as Record<string, unknown>, [], keyring).values;
}

const yamlFile = () => `# Database settings
db:
  host: db.internal   # primary
  password: ${enc('db-pw', 'db.password')}  # rotated by ops

tenants:
  acme:
    apiKey: '${enc('acme-key', 'tenants.acme.apiKey')}'
servers:
- name: a
  token: "${enc('tok-0', 'servers.0.token')}"
flow: {token: ${enc('f', 'flow.token')}, list: [${enc('l0', 'flow.list.0')}, 2]}
# end
`;

describe('rotateSecretsInText (YAML)', () => {
  it('re-encrypts every envelope under the active key and lists the paths', () => {
    const { text, rotated } = rotateSecretsInText(yamlFile(), 'yaml', k2, FILE);
    expect(rotated).toEqual([
      'db.password',
      'tenants.acme.apiKey',
      'servers.0.token',
      'flow.token',
      'flow.list.0',
    ]);
    for (const envelope of text.match(ENVELOPES) ?? []) expect(envelopeKeyId(envelope)).toBe('k2');
    expect(readBack(text, k2.withoutKey('k1'))).toEqual({
      db: { host: 'db.internal', password: 'db-pw' },
      tenants: { acme: { apiKey: 'acme-key' } },
      servers: [{ name: 'a', token: 'tok-0' }],
      flow: { token: 'f', list: ['l0', 2] },
    });
  });

  it('keeps every byte other than the envelopes: comments, quoting, blank lines, layout', () => {
    const before = yamlFile();
    const { text } = rotateSecretsInText(before, 'yaml', k2, FILE);
    expect(text.replace(ENVELOPES, 'ENVELOPE')).toBe(before.replace(ENVELOPES, 'ENVELOPE'));
    expect(text).toContain('  password: enc:v1:k2:');
    expect(text).toContain('  # rotated by ops\n');
    expect(text).toContain("apiKey: 'enc:v1:k2:");
  });

  it('leaves envelopes already under the active key untouched', () => {
    const current = enc('new', 'b', k2);
    const { text, rotated } = rotateSecretsInText(`a: ${enc('old', 'a')}\nb: ${current}\n`, 'yaml', k2, FILE);
    expect(rotated).toEqual(['a']);
    expect(text).toContain(`b: ${current}\n`);
  });

  it('returns the very same text when nothing needs rotating', () => {
    const before = `# nothing secret\na: 1\nb: ${enc('x', 'b', k2)}\n`;
    expect(rotateSecretsInText(before, 'yaml', k2, FILE)).toEqual({ text: before, rotated: [] });
    expect(rotateSecretsInText('', 'yaml', k2, FILE)).toEqual({ text: '', rotated: [] });
  });

  it('still decrypts old k1 envelopes while k1 is loaded, and fails naming k1 once it is retired', () => {
    const old = enc('v', 'db.password');
    expect(decryptSecret(old, 'db.password', k2)).toBe('v');
    const error = thrown(() => decryptSecret(old, 'db.password', k2.withoutKey('k1')));
    expect(error.code).toBe('CONFIG_SECRET_KEY_MISSING');
    expect(error.message).toContain('encrypted with key "k1"');
  });

  it('fails naming the key id when an envelope is under a key that is not loaded', () => {
    const error = thrown(() =>
      rotateSecretsInText(yamlFile(), 'yaml', Keyring.fromEnvValue(`k2:${KEY_2}`), FILE),
    );
    expect(error.code).toBe('CONFIG_SECRET_KEY_MISSING');
    expect(error.message).toContain('"k1"');
  });

  it('refuses to re-bind an envelope that was moved to another path', () => {
    const error = thrown(() => rotateSecretsInText(`a: ${enc('x', 'b')}\n`, 'yaml', k2, FILE));
    expect(error.code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
  });

  it('keeps the quotes an envelope of an empty value needs (it ends in a colon)', () => {
    const { text } = rotateSecretsInText(
      `a: '${enc('', 'a')}'\nlist: ['${enc('', 'list.0')}']\n`,
      'yaml',
      k2,
      FILE,
    );
    expect(text).toMatch(/^a: 'enc:v1:k2:[^']+:'\nlist: \['enc:v1:k2:[^']+:'\]\n$/);
    expect(readBack(text, k2)).toEqual({ a: '', list: [''] });
  });

  it('quotes an envelope of an empty value written where the value was plain', () => {
    const text = encryptPathInText('a: plain\n', 'yaml', 'a', '', k2, FILE);
    expect(text).toMatch(/^a: "enc:v1:k2:[^"]+:"\n$/);
    expect(readBack(text, k2)).toEqual({ a: '' });
  });

  it('writes an envelope found in a block scalar inline', () => {
    const { text } = rotateSecretsInText(`a:\n  b: |-\n    ${enc('x', 'a.b')}\n  c: 1\n`, 'yaml', k2, FILE);
    expect(text).toMatch(/^a:\n {2}b: enc:v1:k2:\S+\n {2}c: 1\n$/);
    expect(readBack(text, k2)).toEqual({ a: { b: 'x', c: 1 } });
  });

  it('fails with CONFIG_PARSE_FAILED at the line and column of a syntax error', () => {
    const error = thrown(() => rotateSecretsInText('a: 1\nb: [1, 2\nc: 3\n', 'yaml', k2, FILE));
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toMatch(
      /^config\/default\.yaml:3:1: Flow sequence in block collection must be sufficiently indented/,
    );
  });

  it('fails with CONFIG_PARSE_FAILED for a file holding two documents', () => {
    const error = thrown(() => rotateSecretsInText('a: 1\n---\nb: 2\n', 'yaml', k2, FILE));
    expect(error.message).toContain('config/default.yaml:2:1: the file holds more than one YAML document');
  });

  it('fails with CONFIG_SECRET_DECRYPT_FAILED for a malformed envelope', () => {
    const error = thrown(() => rotateSecretsInText('a: enc:v1:k1:oops\n', 'yaml', k2, FILE));
    expect(error.code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
    expect(error.message).toContain('malformed envelope');
  });
});

describe('rotateSecretsInText (JSON)', () => {
  const jsonFile = () =>
    JSON.stringify({
      db: { host: 'h', password: enc('pw', 'db.password') },
      servers: [{ token: enc('t', 'servers.0.token') }],
    });

  it('re-encrypts every envelope and writes JSON with 2-space indentation', () => {
    const { text, rotated } = rotateSecretsInText(jsonFile(), 'json', k2, 'config/default.json');
    expect(rotated).toEqual(['db.password', 'servers.0.token']);
    expect(text).toMatch(/^\{\n {2}"db": \{\n {4}"host": "h",\n {4}"password": "enc:v1:k2:/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(readBack(text, k2.withoutKey('k1'))).toEqual({
      db: { host: 'h', password: 'pw' },
      servers: [{ token: 't' }],
    });
  });

  it('returns the very same text when nothing needs rotating', () => {
    const before = '{"a":1}';
    expect(rotateSecretsInText(before, 'json', k2, 'c.json')).toEqual({ text: before, rotated: [] });
    expect(rotateSecretsInText(' \n', 'json', k2, 'c.json')).toEqual({ text: ' \n', rotated: [] });
  });

  it('fails with CONFIG_PARSE_FAILED at the line and column of a syntax error, without quoting the file', () => {
    const error = thrown(() =>
      rotateSecretsInText('{\n  "password": CANARY-7f3a9c\n}', 'json', k2, 'c.json'),
    );
    expect(error.code).toBe('CONFIG_PARSE_FAILED');
    expect(error.message).toContain('c.json:2:15: Unexpected character');
    expect(error.message).not.toContain('CANARY');
  });
});

describe('encryptPathInText (YAML)', () => {
  it('replaces an existing value in place, keeping every other byte', () => {
    const before = '# settings\ndb:\n  host: h  # the host\n  password: "old plaintext"  # set me\n';
    const text = encryptPathInText(before, 'yaml', 'db.password', 'n3w', k2, FILE);
    expect(text).toMatch(
      /^# settings\ndb:\n {2}host: h {2}# the host\n {2}password: "enc:v1:k2:\S+" {2}# set me\n$/,
    );
    expect(readBack(text, k2)).toEqual({ db: { host: 'h', password: 'n3w' } });
  });

  it('replaces a value inside a sequence or a flow collection', () => {
    const before = 'servers:\n  - token: x\nflow: {a: 1}\n';
    const once = encryptPathInText(before, 'yaml', 'servers.0.token', 't', k2, FILE);
    const twice = encryptPathInText(once, 'yaml', 'flow.a', 'fa', k2, FILE);
    expect(readBack(twice, k2)).toEqual({ servers: [{ token: 't' }], flow: { a: 'fa' } });
    expect(twice).toMatch(/^servers:\n {2}- token: enc:v1:k2:\S+\nflow: \{a: enc:v1:k2:\S+\}\n$/);
  });

  it('creates missing mappings, keeping comments', () => {
    const before = '# top\ndb:\n  host: h # the host\n';
    const text = encryptPathInText(before, 'yaml', 'db.auth.password', 'pw', k2, FILE);
    expect(text).toContain('# top\n');
    expect(text).toContain('host: h # the host\n');
    expect(readBack(text, k2)).toEqual({ db: { host: 'h', auth: { password: 'pw' } } });
  });

  it('fills a key that has no value', () => {
    const text = encryptPathInText('db:\n  password:\n', 'yaml', 'db.password', 'pw', k2, FILE);
    expect(readBack(text, k2)).toEqual({ db: { password: 'pw' } });
  });

  it('writes into an empty file', () => {
    const text = encryptPathInText('', 'yaml', 'db.password', 'pw', k2, FILE);
    expect(text).toMatch(/^db:\n {2}password: enc:v1:k2:\S+\n$/);
  });

  it('binds the envelope to the path, so it decrypts there only', () => {
    const text = encryptPathInText('', 'yaml', 'a.b', 'pw', k2, FILE);
    const envelope = (parse(text) as { a: { b: string } }).a.b;
    expect(decryptSecret(envelope, 'a.b', k2)).toBe('pw');
    expect(thrown(() => decryptSecret(envelope, 'a.c', k2)).code).toBe('CONFIG_SECRET_DECRYPT_FAILED');
  });

  it('fails with CONFIG_WRITE_FAILED when the path runs through a scalar', () => {
    const error = thrown(() => encryptPathInText('db: 5\n', 'yaml', 'db.password', 'pw', k2, FILE));
    expect(error.code).toBe('CONFIG_WRITE_FAILED');
    expect(error.message).toContain(`Could not write ${FILE}: Expected YAML collection at db`);
  });

  it.each(['', 'db..password', '.db'])('fails with CONFIG_WRITE_FAILED for the path %j', (path) => {
    const error = thrown(() => encryptPathInText('', 'yaml', path, 'pw', k2, FILE));
    expect(error.code).toBe('CONFIG_WRITE_FAILED');
    expect(error.message).toContain(`"${path}" is not a config path`);
  });

  it('fails with CONFIG_PARSE_FAILED for malformed YAML', () => {
    expect(thrown(() => encryptPathInText('a: [\n', 'yaml', 'a', 'pw', k2, FILE)).code).toBe(
      'CONFIG_PARSE_FAILED',
    );
  });

  it('fails with CONFIG_SECRET_KEYRING_INVALID when no key is loaded', () => {
    expect(thrown(() => encryptPathInText('', 'yaml', 'a', 'pw', Keyring.empty(), FILE)).code).toBe(
      'CONFIG_SECRET_KEYRING_INVALID',
    );
  });
});

describe('encryptPathInText (JSON)', () => {
  const JSON_FILE = 'config/default.json';

  it('sets an existing value and writes JSON with 2-space indentation', () => {
    const text = encryptPathInText(
      '{"db": {"host": "h", "password": "old"}}',
      'json',
      'db.password',
      'pw',
      k2,
      JSON_FILE,
    );
    expect(text).toMatch(
      /^\{\n {2}"db": \{\n {4}"host": "h",\n {4}"password": "enc:v1:k2:\S+"\n {2}\}\n\}\n$/,
    );
    expect(readBack(text, k2)).toEqual({ db: { host: 'h', password: 'pw' } });
  });

  it('creates missing objects, also through a null', () => {
    const text = encryptPathInText('{"db": null}', 'json', 'db.auth.password', 'pw', k2, JSON_FILE);
    expect(readBack(text, k2)).toEqual({ db: { auth: { password: 'pw' } } });
  });

  it('treats a blank file as an empty object', () => {
    expect(readBack(encryptPathInText(' \n', 'json', 'a', 'pw', k2, JSON_FILE), k2)).toEqual({ a: 'pw' });
  });

  it('sets an element of a list by index', () => {
    const text = encryptPathInText(
      '{"servers": [{"token": "x"}]}',
      'json',
      'servers.0.token',
      't',
      k2,
      JSON_FILE,
    );
    expect(readBack(text, k2)).toEqual({ servers: [{ token: 't' }] });
  });

  it('keeps a "__proto__" segment as a key', () => {
    const text = encryptPathInText('{}', 'json', '__proto__.polluted', 'pw', k2, JSON_FILE);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['__proto__']);
  });

  it.each([
    ['{"db": 5}', 'db.password', '"db" is not an object, so "db.password" cannot be set'],
    ['[1]', '0.x', '"0" is not an object'],
    ['"text"', 'a', '"(root)" is not an object'],
    ['{"list": [1]}', 'list.name', '"list" is a list, so "name" must be an index'],
  ])('fails with CONFIG_WRITE_FAILED for %s at %s', (before, path, problem) => {
    const error = thrown(() => encryptPathInText(before, 'json', path, 'pw', k2, JSON_FILE));
    expect(error.code).toBe('CONFIG_WRITE_FAILED');
    expect(error.message).toContain(problem);
  });

  it('fails with CONFIG_PARSE_FAILED for malformed JSON', () => {
    const error = thrown(() => encryptPathInText('{"a": 1,}', 'json', 'a', 'pw', k2, JSON_FILE));
    expect(error.message).toContain(`${JSON_FILE}:1:9: Expected double-quoted property name`);
  });
});
