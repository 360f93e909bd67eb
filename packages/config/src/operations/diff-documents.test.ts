import { describe, expect, it } from '@jest/globals';
import { encryptSecret } from '../secrets/envelope.js';
import { Keyring } from '../secrets/keyring.js';
import { diffDocuments, maskDocument } from './diff-documents.js';

const keyring = Keyring.fromEnvValue(`k1:${Buffer.alloc(32, 7).toString('base64')}`);

describe('maskDocument', () => {
  it('shows envelopes as [encrypted:<keyId>] and plaintext under secret paths as [redacted]', () => {
    const envelope = encryptSecret('CANARY-mask', 'db.password', keyring);
    expect(
      maskDocument(
        { db: { password: envelope, token: 'CANARY-plain', pool: 3 }, tokens: ['CANARY-a', 'CANARY-b'] },
        ['db.token', 'tokens.*'],
      ),
    ).toEqual({
      db: { password: '[encrypted:k1]', token: '[redacted]', pool: 3 },
      tokens: ['[redacted]', '[redacted]'],
    });
  });
});

describe('diffDocuments', () => {
  it('lists added, removed and changed leaves in path order, values as JSON text', () => {
    expect(
      diffDocuments({ a: 1, b: { c: 'x' }, same: true }, { b: { c: 'y' }, d: [1], same: true }, []),
    ).toEqual([
      { path: 'a', kind: 'removed', before: '1' },
      { path: 'b.c', kind: 'changed', before: '"x"', after: '"y"' },
      { path: 'd', kind: 'added', after: '[1]' },
    ]);
  });

  it('compares envelopes by their text and never shows a secret', () => {
    const first = encryptSecret('CANARY-same', 'db.password', keyring);
    const second = encryptSecret('CANARY-same', 'db.password', keyring);
    const changes = diffDocuments(
      { db: { password: first, token: 'CANARY-old' }, tokens: ['CANARY-1'] },
      { db: { password: second, token: 'CANARY-new' }, tokens: ['CANARY-2'] },
      ['db.token', 'tokens.*'],
    );
    expect(changes).toEqual([
      { path: 'db.password', kind: 'changed', before: '[encrypted:k1]', after: '[encrypted:k1]' },
      { path: 'db.token', kind: 'changed', before: '[redacted]', after: '[redacted]' },
      { path: 'tokens', kind: 'changed', before: '["[redacted]"]', after: '["[redacted]"]' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('CANARY');
  });
});
