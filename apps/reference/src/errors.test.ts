import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { AdminNoPluginStoreError, HttpRouteConflictError, REFERENCE_ERROR_CODES } from './errors.js';

const samples: TrellisError[] = [new HttpRouteConflictError('GET', '/x'), new AdminNoPluginStoreError()];

describe('reference app errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError with a fix in its message',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
      expect(error.fix).toBeTruthy();
    },
  );

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(REFERENCE_ERROR_CODES));
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    const undocumented = REFERENCE_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });
});
