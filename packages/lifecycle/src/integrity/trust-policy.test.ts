import { describe, expect, it } from '@jest/globals';
import { generateSigningKey } from './signing-key.js';
import { parseTrustPolicy } from './trust-policy.js';

const key = generateSigningKey();

describe('parseTrustPolicy', () => {
  it('defaults to no trusted keys and unsigned plugins refused', () => {
    expect(parseTrustPolicy({})).toEqual({ trustedKeys: {}, allowUnsigned: false });
  });

  it('accepts a key filed under its own id', () => {
    const policy = { trustedKeys: { [key.keyId]: key.publicKey }, allowUnsigned: true };

    expect(parseTrustPolicy(policy)).toEqual(policy);
  });

  it('lists every bad field', () => {
    const other = generateSigningKey();
    const error = (() => {
      try {
        parseTrustPolicy({
          trustedKeys: { [other.keyId]: key.publicKey, broken: 'not a key' },
          allowUnsigned: 'yes' as unknown as boolean,
        });
      } catch (thrown) {
        return thrown as Error & { code: string };
      }
      throw new Error('expected a failure');
    })();

    expect(error.code).toBe('PLUGIN_TRUST_POLICY_INVALID');
    expect(error.message).toContain(`trustedKeys["${other.keyId}"]: holds the key whose id is ${key.keyId}`);
    expect(error.message).toContain('trustedKeys["broken"]: is not a PEM Ed25519 public key');
    expect(error.message).toContain('allowUnsigned:');
  });
});
