import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  PluginAlreadyInstalledError,
  PluginHealthGateFailedError,
  PluginIncompatibleError,
  PluginNotInstalledError,
  PluginRollbackUnavailableError,
  PluginStoreCorruptError,
  PluginStoreLockedError,
  PluginVersionNotInStoreError,
  STORE_ERROR_CODES,
} from './store-errors.js';

const samples: TrellisError[] = [
  new PluginStoreCorruptError('/s/store.json', ['plugins.a.versions: expected array']),
  new PluginStoreLockedError('/s/store.lock', 4242),
  new PluginNotInstalledError('ghost', ['a', 'b']),
  new PluginAlreadyInstalledError('a', '1.0.0', '1.1.0'),
  new PluginVersionNotInStoreError('a', '3.0.0', ['1.0.0']),
  new PluginIncompatibleError('db', '1.9.0', [
    '"api" 1.0.0 depends on "db" ^2.0.0, which 1.9.0 does not satisfy',
  ]),
  new PluginHealthGateFailedError('a', '1.0.0', '2.0.0', 'not healthy within 10000 ms', true),
  new PluginRollbackUnavailableError('a', 'it has not been upgraded'),
];

describe('plugin store errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))('$code says how to fix it', ({ error }) => {
    expect(error).toBeInstanceOf(TrellisError);
    expect(error.fix).toBeTruthy();
    expect(error.message).toContain('Fix:');
  });

  it('raises every declared code', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(STORE_ERROR_CODES));
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../../docs/errors.md'), 'utf8');
    expect(STORE_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });

  it('tells whether a failed gate was rolled back', () => {
    expect(new PluginHealthGateFailedError('a', '1', '2', 'x', false).message).toContain(
      'the rollback to 1 failed too',
    );
  });
});

describe('error codes of the store’s parts', () => {
  it('documents every archive, integrity and desired-state code in docs/errors.md', async () => {
    const { ARCHIVE_ERROR_CODES } = await import('./archive/index.js');
    const { INTEGRITY_ERROR_CODES } = await import('../integrity/index.js');
    const { DESIRED_STATE_ERROR_CODES } = await import('../desired-state/index.js');
    const catalogue = readFileSync(resolve(__dirname, '../../../../docs/errors.md'), 'utf8');
    const codes = [...ARCHIVE_ERROR_CODES, ...INTEGRITY_ERROR_CODES, ...DESIRED_STATE_ERROR_CODES];
    expect(codes.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });
});
