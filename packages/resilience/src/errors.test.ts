import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { RESILIENCE_ERROR_CODES } from './errors.js';

describe('resilience error catalogue', () => {
  it('has no code twice', () => {
    expect(new Set(RESILIENCE_ERROR_CODES).size).toBe(RESILIENCE_ERROR_CODES.length);
  });

  it('documents every code in docs/errors.md', () => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    expect(RESILIENCE_ERROR_CODES.filter((code) => !catalogue.includes(`\`${code}\``))).toEqual([]);
  });
});
