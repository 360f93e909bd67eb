import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { hashFile } from './hash-plugin-files.js';
import { signPlugin } from './sign-plugin.js';
import { type PluginSignature, SIGNATURE_FILE, signedBytes } from './signature-file.js';
import { generateSigningKey, loadPublicKey } from './signing-key.js';

const key = generateSigningKey();
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-sign-'));
  await mkdir(join(dir, 'lib'));
  await mkdir(join(dir, 'vendor', 'dep'), { recursive: true });
  await mkdir(join(dir, '.git'));
  await writeFile(
    join(dir, 'trellis.plugin.json'),
    JSON.stringify({ name: 'billing', version: '1.2.0', platform: '^0.1.0' }),
  );
  await writeFile(join(dir, 'lib', 'index.js'), 'export default 1;\n');
  await writeFile(join(dir, 'vendor', 'dep', 'index.js'), 'module.exports = 3;\n');
  await writeFile(join(dir, '.git', 'HEAD'), 'ref');
  await symlink('lib/index.js', join(dir, 'main.js'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(options: Parameters<typeof signPlugin>[1] = { privateKey: key.privateKey }) {
  const error = await signPlugin(dir, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TrellisError)) throw new Error(`expected a TrellisError, got ${String(error)}`);
  return error;
}

describe('signPlugin', () => {
  it('lists every file with its SHA-256 and every link with its target, signed over the canonical form', async () => {
    const result = await signPlugin(dir, { privateKey: key.privateKey, keyId: key.keyId });

    expect(result).toEqual({ keyId: key.keyId, files: 4, file: join(dir, SIGNATURE_FILE) });
    const signature = JSON.parse(await readFile(result.file, 'utf8')) as PluginSignature;
    expect(signature).toMatchObject({
      format: 1,
      algorithm: 'ed25519',
      keyId: key.keyId,
      plugin: { name: 'billing', version: '1.2.0' },
    });
    expect(Object.keys(signature.files)).toEqual([
      'lib/index.js',
      'main.js',
      'trellis.plugin.json',
      'vendor/dep/index.js',
    ]);
    expect(signature.files['lib/index.js']).toBe(await hashFile(join(dir, 'lib', 'index.js')));
    expect(signature.files['main.js']).toBe('link:lib/index.js');
    const valid = verify(
      null,
      signedBytes(signature),
      loadPublicKey(key.publicKey),
      Buffer.from(signature.signature, 'base64'),
    );
    expect(valid).toBe(true);
  });

  it('leaves the old signature out of the new one when signing again', async () => {
    await signPlugin(dir, { privateKey: key.privateKey });
    await signPlugin(dir, { privateKey: key.privateKey });

    const signature = JSON.parse(await readFile(join(dir, SIGNATURE_FILE), 'utf8')) as PluginSignature;
    expect(Object.keys(signature.files)).not.toContain(SIGNATURE_FILE);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('takes name and version from package.json when the trellis field leaves them out', async () => {
    await rm(join(dir, 'trellis.plugin.json'));
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: '@acme/billing', version: '2.0.0', trellis: { platform: '^0.1.0' } }),
    );

    await signPlugin(dir, { privateKey: key.privateKey });

    const signature = JSON.parse(await readFile(join(dir, SIGNATURE_FILE), 'utf8')) as PluginSignature;
    expect(signature.plugin).toEqual({ name: '@acme/billing', version: '2.0.0' });
  });

  it.each([
    ['an absolute target', '/etc/passwd'],
    ['a target climbing out', '../../outside'],
  ])('refuses a folder with a link to %s', async (_what, target) => {
    await symlink(target, join(dir, 'lib', 'escape'));

    const error = await failure();

    expect(error.code).toBe('PLUGIN_SIGNING_FAILED');
    expect(error.message).toContain(`the symbolic link "lib/escape" leads outside the plugin folder`);
    await expect(readFile(join(dir, SIGNATURE_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a folder holding a FIFO', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);

    expect((await failure()).message).toContain('"pipe" is a device, FIFO or socket');
  });

  it('refuses a folder without a manifest, or with an invalid one', async () => {
    await rm(join(dir, 'trellis.plugin.json'));
    expect((await failure()).message).toContain('it has no plugin manifest');

    await writeFile(join(dir, 'trellis.plugin.json'), '{"name": "billing",');
    const invalid = await failure();
    expect(invalid.code).toBe('PLUGIN_SIGNING_FAILED');
    expect(invalid.message).toContain('its manifest is invalid');
  });

  it('refuses a key id that is not the private key’s own', async () => {
    const error = await failure({ privateKey: key.privateKey, keyId: '0000000000000000' });

    expect(error.code).toBe('PLUGIN_SIGNING_KEY_INVALID');
    expect(error.message).toContain(`the private key's id is ${key.keyId}, not 0000000000000000`);
  });

  it('refuses a key that is not Ed25519, or not a key at all', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });

    expect((await failure({ privateKey: rsa as string })).message).toContain(
      'it is an rsa key, not an Ed25519 key',
    );
    expect((await failure({ privateKey: 'not a key' })).code).toBe('PLUGIN_SIGNING_KEY_INVALID');
  });
});
