import { sign } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import type { PluginFileTamperedError } from './integrity-errors.js';
import { signPlugin } from './sign-plugin.js';
import { formatSignatureFile, type PluginSignature, SIGNATURE_FILE, signedBytes } from './signature-file.js';
import { generateSigningKey, loadPrivateKey, type SigningKeyPair } from './signing-key.js';
import { verifyPlugin } from './verify-plugin.js';

const signer: SigningKeyPair = generateSigningKey();
const other: SigningKeyPair = generateSigningKey();
const trustSigner = { trustedKeys: { [signer.keyId]: signer.publicKey } };

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-verify-'));
  await mkdir(join(dir, 'lib'), { recursive: true });
  await mkdir(join(dir, 'node_modules', 'dep'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'billing',
      version: '1.2.0',
      bundleDependencies: true,
      trellis: { platform: '^0.1.0' },
    }),
  );
  await writeFile(join(dir, 'lib', 'index.js'), 'export default 1;\n');
  await writeFile(join(dir, 'lib', 'util.js'), 'export const two = 2;\n');
  await writeFile(join(dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 3;\n');
  await symlink('lib/index.js', join(dir, 'main.js'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(policy: Parameters<typeof verifyPlugin>[1] = trustSigner): Promise<TrellisError> {
  const error = await verifyPlugin(dir, policy).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TrellisError)) throw new Error(`expected a TrellisError, got ${String(error)}`);
  return error;
}

async function readSignature(): Promise<PluginSignature> {
  return JSON.parse(await readFile(join(dir, SIGNATURE_FILE), 'utf8')) as PluginSignature;
}

/** Writes a signature file made with `privateKey` over `content`, however inconsistent. */
async function writeSigned(content: Omit<PluginSignature, 'signature'>, privateKey = signer.privateKey) {
  const signature = sign(null, signedBytes(content), loadPrivateKey(privateKey)).toString('base64');
  await writeFile(join(dir, SIGNATURE_FILE), formatSignatureFile({ ...content, signature }));
}

describe('verifyPlugin', () => {
  it('accepts a plugin signed with a trusted key and counts what the signature covers', async () => {
    await signPlugin(dir, { privateKey: signer.privateKey });

    expect(await verifyPlugin(dir, trustSigner)).toEqual({ status: 'signed', keyId: signer.keyId, files: 5 });
  });

  it('verifies files whose names are object keys JavaScript treats specially', async () => {
    // Integer-like keys are ordered numerically by JavaScript, and __proto__ is not a plain key.
    for (const name of ['10', '9', '__proto__', 'constructor']) await writeFile(join(dir, name), name);
    await signPlugin(dir, { privateKey: signer.privateKey });

    expect(await verifyPlugin(dir, trustSigner)).toMatchObject({ status: 'signed', files: 9 });
    await writeFile(join(dir, '__proto__'), 'changed');
    expect((await failure()).details).toMatchObject({ modified: ['__proto__'] });
  });

  describe('refuses a tampered plugin, naming the file', () => {
    beforeEach(async () => {
      await signPlugin(dir, { privateKey: signer.privateKey });
    });

    it('modified', async () => {
      await writeFile(join(dir, 'lib', 'util.js'), 'export const two = 3;\n');

      const error = (await failure()) as PluginFileTamperedError;

      expect(error.code).toBe('PLUGIN_FILE_TAMPERED');
      expect(error.message).toContain('"lib/util.js" was modified since it was signed');
      expect(error.details).toMatchObject({ dir, modified: ['lib/util.js'], missing: [], added: [] });
    });

    it('missing', async () => {
      await unlink(join(dir, 'node_modules', 'dep', 'index.js'));

      const error = await failure();

      expect(error.message).toContain('"node_modules/dep/index.js" is missing');
      expect(error.details).toMatchObject({
        modified: [],
        missing: ['node_modules/dep/index.js'],
        added: [],
      });
    });

    it('added', async () => {
      await writeFile(join(dir, 'lib', 'backdoor.js'), 'steal();\n');

      const error = await failure();

      expect(error.message).toContain('"lib/backdoor.js" was added');
      expect(error.details).toMatchObject({ modified: [], missing: [], added: ['lib/backdoor.js'] });
    });

    it('a symbolic link pointed elsewhere', async () => {
      await unlink(join(dir, 'main.js'));
      await symlink('lib/util.js', join(dir, 'main.js'));

      expect((await failure()).details).toMatchObject({ modified: ['main.js'] });
    });

    it('a file replaced by a link to the same content', async () => {
      await unlink(join(dir, 'lib', 'util.js'));
      await writeFile(join(dir, 'util-copy.js'), 'export const two = 2;\n');
      await symlink('../util-copy.js', join(dir, 'lib', 'util.js'));

      expect((await failure()).details).toMatchObject({ modified: ['lib/util.js'], added: ['util-copy.js'] });
    });

    it('naming the first changed file in path order and listing them all', async () => {
      await writeFile(join(dir, 'lib', 'util.js'), 'changed');
      await unlink(join(dir, 'lib', 'index.js'));
      await writeFile(join(dir, 'z-last.js'), 'new');
      await writeFile(join(dir, 'a-first.js'), 'new');

      const error = await failure();

      expect(error.message).toContain('"a-first.js" was added since it was signed (4 files differ in all)');
      expect(error.details).toMatchObject({
        modified: ['lib/util.js'],
        missing: ['lib/index.js'],
        added: ['a-first.js', 'z-last.js'],
      });
    });

    it('a file list edited to match the tampered file', async () => {
      await writeFile(join(dir, 'lib', 'util.js'), 'evil');
      const signature = await readSignature();
      const { createHash } = await import('node:crypto');
      signature.files['lib/util.js'] = createHash('sha256').update('evil').digest('hex');
      await writeFile(join(dir, SIGNATURE_FILE), JSON.stringify(signature));

      const error = await failure();

      expect(error.code).toBe('PLUGIN_SIGNATURE_INVALID');
      expect(error.message).toContain(`does not verify with trusted key ${signer.keyId}`);
    });
  });

  describe('keys', () => {
    it('refuses a signature by a key the policy does not trust, naming it and the trusted ones', async () => {
      await signPlugin(dir, { privateKey: other.privateKey });

      const error = await failure();

      expect(error.code).toBe('PLUGIN_SIGNATURE_INVALID');
      expect(error.message).toContain(`made with key ${other.keyId}, which the trust policy does not trust`);
      expect(error.message).toContain(`trusted keys: ${signer.keyId}`);
      expect(error.details).toMatchObject({ keyId: other.keyId, trustedKeys: [signer.keyId] });
    });

    it('says so when no key is trusted at all', async () => {
      await signPlugin(dir, { privateKey: signer.privateKey });

      expect((await failure({ trustedKeys: {} })).message).toContain('trusted keys: none');
    });

    it('refuses a signature made with another key than the trusted key it names', async () => {
      await signPlugin(dir, { privateKey: other.privateKey });
      const { signature: _drop, ...content } = await readSignature();
      await writeSigned({ ...content, keyId: signer.keyId }, other.privateKey);

      const error = await failure();

      expect(error.code).toBe('PLUGIN_SIGNATURE_INVALID');
      expect(error.message).toContain('does not verify');
    });

    it('refuses a signature by an untrusted key even when unsigned plugins are allowed', async () => {
      await signPlugin(dir, { privateKey: other.privateKey });

      expect((await failure({ ...trustSigner, allowUnsigned: true })).code).toBe('PLUGIN_SIGNATURE_INVALID');
    });
  });

  describe('unsigned plugins', () => {
    it('refuses them by default, saying how to sign or allow them', async () => {
      const error = await failure();

      expect(error.code).toBe('PLUGIN_UNSIGNED');
      expect(error.message).toContain(`Plugin ${dir} is not signed`);
      expect(error.fix).toContain('trellis plugins sign');
      expect(error.fix).toContain('allowUnsigned');
    });

    it('accepts them when the policy allows unsigned plugins', async () => {
      expect(await verifyPlugin(dir, { allowUnsigned: true })).toEqual({ status: 'unsigned' });
    });

    it('does not pass a folder that does not exist as unsigned', async () => {
      await expect(verifyPlugin(join(dir, 'typo'), { allowUnsigned: true })).rejects.toMatchObject({
        code: 'ENOENT',
      });
    });
  });

  it('refuses a signature made for another name or version than the manifest', async () => {
    await signPlugin(dir, { privateKey: signer.privateKey });
    const { signature: _drop, ...content } = await readSignature();
    await writeSigned({ ...content, plugin: { name: 'billing', version: '9.9.9' } });

    const error = await failure();

    expect(error.code).toBe('PLUGIN_SIGNATURE_INVALID');
    expect(error.message).toContain("signed for billing@9.9.9, but the plugin's manifest says billing@1.2.0");
  });

  it('rejects an invalid trust policy before reading the plugin', async () => {
    const error = await failure({ trustedKeys: { [other.keyId]: signer.publicKey } });

    expect(error.code).toBe('PLUGIN_TRUST_POLICY_INVALID');
    expect(error.message).toContain(
      `trustedKeys["${other.keyId}"]: holds the key whose id is ${signer.keyId}`,
    );
  });
});

describe('what a signature covers', () => {
  it('signs what ships but verifies everything present: a package dropped into node_modules is an added file', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'trellis-verify-shipped-'));
    try {
      await writeFile(
        join(plain, 'trellis.plugin.json'),
        JSON.stringify({ name: 'p', version: '1.0.0', platform: '^0.1.0' }),
      );
      await mkdir(join(plain, 'node_modules', 'dev-link'), { recursive: true });
      await writeFile(join(plain, 'node_modules', 'dev-link', 'index.js'), 'dev');
      await signPlugin(plain, { privateKey: signer.privateKey });
      // Installed, the development node_modules is not there.
      await rm(join(plain, 'node_modules'), { recursive: true });
      expect(await verifyPlugin(plain, trustSigner)).toMatchObject({ status: 'signed', files: 1 });
      await mkdir(join(plain, 'node_modules', 'lodash'), { recursive: true });
      await writeFile(join(plain, 'node_modules', 'lodash', 'index.js'), 'evil');
      await expect(verifyPlugin(plain, trustSigner)).rejects.toMatchObject({
        code: 'PLUGIN_FILE_TAMPERED',
        details: { added: ['node_modules/lodash/index.js'] },
      });
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });
});
