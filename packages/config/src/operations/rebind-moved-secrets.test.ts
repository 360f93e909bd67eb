import { describe, expect, it } from '@jest/globals';
import { decryptSecret, encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import { rebindMovedSecrets } from './rebind-moved-secrets.js';

const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);

describe('rebindMovedSecrets', () => {
  it('re-encrypts an envelope a migration moved so it decrypts at its new path', () => {
    const envelope = encryptSecret('CANARY-moved', 'db.pass', keyring);
    const after = rebindMovedSecrets(
      { db: { pass: envelope } },
      { db: { password: envelope } },
      () => keyring,
    );
    const moved = (after.db as { password: string }).password;
    expect(moved).not.toBe(envelope);
    expect(decryptSecret(moved, 'db.password', keyring)).toBe('CANARY-moved');
  });

  it('keeps envelopes that did not move, and asks for no keyring then', () => {
    const envelope = encryptSecret('x', 'servers.0.password', keyring);
    const document = { servers: [{ password: envelope }], name: 'n' };
    const after = rebindMovedSecrets(document, { ...document, added: 1 }, () => {
      throw new Error('no keyring needed');
    });
    expect(after).toEqual({ ...document, added: 1 });
  });
});
