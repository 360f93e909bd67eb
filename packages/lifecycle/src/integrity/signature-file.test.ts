import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { inspectSignature } from './inspect-signature.js';
import { signPlugin } from './sign-plugin.js';
import { readSignatureFile, SIGNATURE_FILE } from './signature-file.js';
import { generateSigningKey } from './signing-key.js';

const key = generateSigningKey();
let dir: string;
let signature: Record<string, unknown>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-sigfile-'));
  await writeFile(
    join(dir, 'trellis.plugin.json'),
    JSON.stringify({ name: 'billing', version: '1.2.0', platform: '^0.1.0' }),
  );
  await signPlugin(dir, { privateKey: key.privateKey });
  signature = JSON.parse(await readFile(join(dir, SIGNATURE_FILE), 'utf8')) as Record<string, unknown>;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readFailure(content: string): Promise<TrellisError> {
  await writeFile(join(dir, SIGNATURE_FILE), content);
  const error = await readSignatureFile(dir).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TrellisError)) throw new Error(`expected a TrellisError, got ${String(error)}`);
  return error;
}

describe('readSignatureFile', () => {
  it('returns undefined when the plugin has no signature file', async () => {
    await rm(join(dir, SIGNATURE_FILE));

    expect(await readSignatureFile(dir)).toBeUndefined();
  });

  it('names the file, line and column of broken JSON', async () => {
    const error = await readFailure('{\n  "format": 1,\n  oops\n}');

    expect(error.code).toBe('PLUGIN_SIGNATURE_INVALID');
    expect(error.message).toContain(join(dir, SIGNATURE_FILE));
    expect(error.message).toContain('line 3');
  });

  it.each([
    ['format', { format: 2 }, 'field "format" is 2, and this version of Trellis reads format 1'],
    [
      'algorithm',
      { algorithm: 'rsa-sha256' },
      'field "algorithm" is "rsa-sha256", and Trellis verifies "ed25519" only',
    ],
    ['keyId', { keyId: 'ABC' }, 'field "keyId" is invalid: expected the 16 lowercase hex digits of a key id'],
    ['plugin', { plugin: { name: 'billing' } }, 'field "plugin["version"]" is invalid'],
    [
      'a file digest',
      { files: { 'lib/a.js': 'md5:abc' } },
      'field "files["lib/a.js"]" is invalid: expected a lowercase SHA-256',
    ],
    ['a file path', { files: { '../etc/passwd': 'link:x' } }, 'field "files["../etc/passwd"]" is invalid'],
    [
      'signature',
      { signature: 'c2hvcnQ=' },
      'field "signature" is invalid: expected the base64 of a 64-byte',
    ],
    ['an unknown field', { note: 'hi' }, 'field "note" is invalid'],
  ])('names the bad field: %s', async (_what, change, message) => {
    const error = await readFailure(JSON.stringify({ ...signature, ...change }));

    expect(error.code).toBe('PLUGIN_SIGNATURE_INVALID');
    expect(error.message).toContain(message);
  });

  it('refuses a signature file that is not an object', async () => {
    expect((await readFailure('[]')).message).toContain('field "format" is undefined');
  });

  it('reports a signature file it cannot read', async () => {
    await rm(join(dir, SIGNATURE_FILE));
    await mkdir(join(dir, SIGNATURE_FILE));

    const error = await readSignatureFile(dir).catch((thrown: unknown) => thrown);

    expect(TrellisError.is(error, 'PLUGIN_SIGNATURE_INVALID')).toBe(true);
    expect((error as Error).message).toContain('cannot be read (EISDIR)');
  });
});

describe('inspectSignature', () => {
  it('says who signed what without a trust policy', async () => {
    expect(await inspectSignature(dir)).toEqual({
      file: join(dir, SIGNATURE_FILE),
      format: 1,
      algorithm: 'ed25519',
      keyId: key.keyId,
      plugin: { name: 'billing', version: '1.2.0' },
      files: 1,
    });
  });

  it('returns undefined for an unsigned plugin', async () => {
    await rm(join(dir, SIGNATURE_FILE));

    expect(await inspectSignature(dir)).toBeUndefined();
  });
});
