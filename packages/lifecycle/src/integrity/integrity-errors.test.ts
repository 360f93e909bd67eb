import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  INTEGRITY_ERROR_CODES,
  PluginFileTamperedError,
  PluginSignatureInvalidError,
  PluginSigningFailedError,
  PluginUnsignedError,
  SigningKeyInvalidError,
  TrustPolicyInvalidError,
} from './integrity-errors.js';

const samples: TrellisError[] = [
  new PluginUnsignedError('plugins/a', 'plugins/a/trellis.signature.json'),
  new PluginSignatureInvalidError('plugins/a/trellis.signature.json', 'bad', 'Sign again.'),
  new PluginFileTamperedError('plugins/a', { modified: ['b.js'], missing: [], added: [] }),
  new PluginSigningFailedError('plugins/a', 'no manifest', 'Add one.'),
  new SigningKeyInvalidError('not a key'),
  new TrustPolicyInvalidError(['allowUnsigned: expected boolean']),
];

describe('integrity errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError whose message says how to fix it',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
    },
  );

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(INTEGRITY_ERROR_CODES));
  });

  it('names one tampered file alone, without a count', () => {
    const error = new PluginFileTamperedError('p', { modified: [], missing: ['x.js'], added: [] });

    expect(error.message).toContain('"x.js" is missing since it was signed.');
    expect(error.changes.missing).toEqual(['x.js']);
  });
});
