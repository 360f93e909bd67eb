import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  CONFIG_ERROR_CODES,
  ConfigEnvInvalidError,
  ConfigInvalidError,
  ConfigMigrationError,
  ConfigParseError,
  ConfigPathUnknownError,
  ConfigVersionNotFoundError,
  ConfigVersionUnsupportedError,
  ConfigWriteError,
  SecretDecryptError,
  SecretKeyMissingError,
  SecretKeyringInvalidError,
  SnapshotCorruptError,
  SnapshotNotFoundError,
} from './errors.js';
import { ConfigDiffSourcesError } from './operations/operation-errors.js';

const samples: TrellisError[] = [
  new ConfigInvalidError([
    { path: 'cache.ttlMs', message: 'expected number', origin: 'config/default.yaml:2:3' },
  ]),
  new ConfigParseError('config/default.yaml', 3, 7, 'unexpected token'),
  new ConfigEnvInvalidError('TRELLIS_A', 'a', 'a number', 'is empty'),
  new ConfigPathUnknownError('cache.ttl', 'cache.ttlMs'),
  new SecretKeyMissingError('k1', 'db.password', ['k2']),
  new SecretDecryptError('k1', 'db.password', 'authentication failed'),
  new SecretKeyringInvalidError('TRELLIS_CONFIG_KEYS', 'entry 1 is not 32 bytes'),
  new ConfigMigrationError(1, 2, { message: 'boom' }),
  new ConfigVersionUnsupportedError(3, 2),
  new SnapshotCorruptError('id', '/b/id.snapshot.json', 'checksum mismatch'),
  new SnapshotNotFoundError('nope', ['a', 'b']),
  new ConfigVersionNotFoundError(1, [2, 3]),
  new ConfigWriteError('/c/default.yaml', new Error('EACCES')),
  new ConfigDiffSourcesError('default.yaml', 'production'),
];

describe('config errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError whose message says how to fix it',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.fix).toBeTruthy();
      expect(error.message).toContain('Fix:');
    },
  );

  it('raises every declared code', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(CONFIG_ERROR_CODES));
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    expect(CONFIG_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });

  it('reads the message of a cross-realm error without doubling its name', () => {
    expect(new ConfigWriteError('/f', { message: 'EISDIR: is a directory' }).message).toContain(
      'Could not write /f: EISDIR: is a directory',
    );
  });
});
