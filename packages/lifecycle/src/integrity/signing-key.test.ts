import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateSigningKey, keyIdOf } from './signing-key.js';

describe('generateSigningKey', () => {
  it('makes an Ed25519 pair as PEM whose id is the start of the SHA-256 of the public key DER', () => {
    const pair = generateSigningKey();

    expect(pair.publicKey).toContain('-----BEGIN PUBLIC KEY-----');
    expect(pair.privateKey).toContain('-----BEGIN PRIVATE KEY-----');
    const der = createPublicKey(pair.publicKey).export({ type: 'spki', format: 'der' });
    expect(pair.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(pair.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('makes a different key every time', () => {
    expect(generateSigningKey().keyId).not.toBe(generateSigningKey().keyId);
  });
});

describe('keyIdOf', () => {
  it('gives the same id for a public key and for its private key', () => {
    const pair = generateSigningKey();

    expect(keyIdOf(pair.publicKey)).toBe(pair.keyId);
    expect(keyIdOf(pair.privateKey)).toBe(pair.keyId);
  });

  it('rejects text that is not a key', () => {
    expect(() => keyIdOf('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----')).toThrow(
      'Invalid signing key: the public key is not PEM or DER key text.',
    );
  });

  it('rejects a key of another algorithm', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    expect(() => keyIdOf(publicKey)).toThrow('it is an ec key, not an Ed25519 key');
  });

  it('accepts a KeyObject', () => {
    const pair = generateSigningKey();

    expect(keyIdOf(createPublicKey(pair.publicKey))).toBe(pair.keyId);
    expect(keyIdOf(createPrivateKey(pair.privateKey))).toBe(pair.keyId);
  });
});
