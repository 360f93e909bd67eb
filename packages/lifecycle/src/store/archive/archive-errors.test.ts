import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  ARCHIVE_ERROR_CODES,
  ArchiveOptionsInvalidError,
  type ArchiveUnsafeReason,
  PluginArchiveInvalidError,
  PluginArchiveUnsafeError,
} from './archive-errors.js';

const archive = { kind: 'archive', path: 'billing.tgz' } as const;
const reasons: ArchiveUnsafeReason[] = [
  'absolute-path',
  'parent-segment',
  'link-escape',
  'through-link',
  'device',
  'unsupported-type',
  'too-many-entries',
  'too-large',
];

const samples: TrellisError[] = [
  new PluginArchiveUnsafeError(archive, 'package/../x', 'parent-segment'),
  new PluginArchiveInvalidError(archive, 'it is not a gzip tar', 'Pack it again.'),
  new ArchiveOptionsInvalidError(['maxEntries: too small']),
];

describe('archive errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError whose message says how to fix it',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
    },
  );

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(ARCHIVE_ERROR_CODES));
  });

  it.each(reasons)('explains the reason %s with the entry and a fix of its own', (reason) => {
    const error = new PluginArchiveUnsafeError(archive, 'package/x', reason, {
      target: '../t',
      type: 'FIFO',
      limit: 7,
    });

    expect(error.message).toContain(
      'Plugin archive billing.tgz was refused, nothing was installed: entry "package/x"',
    );
    expect(error.fix).toBeTruthy();
    expect(error.details).toMatchObject({ archive: 'billing.tgz', entry: 'package/x', reason });
  });

  it('names the link target and the limit where they matter', () => {
    expect(new PluginArchiveUnsafeError(archive, 'l', 'link-escape', { target: '/etc' }).message).toContain(
      '"/etc"',
    );
    expect(new PluginArchiveUnsafeError(archive, 'x', 'too-large', { limit: 10 }).message).toContain(
      '10 bytes',
    );
  });
});
