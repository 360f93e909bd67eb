import { describe, expect, it } from '@jest/globals';
import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it('quotes strings as JSON', () => {
    expect(describeValue('one')).toBe('"one"');
  });

  it('cuts long strings at 60 characters', () => {
    const shown = describeValue('x'.repeat(100));
    expect(shown).toHaveLength(60);
    expect(shown.endsWith('…"')).toBe(true);
  });

  it('writes numbers, booleans and null as they are', () => {
    expect(describeValue(3)).toBe('3');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
  });

  it('names arrays and objects by kind, not content', () => {
    expect(describeValue([])).toBe('an empty array');
    expect(describeValue(['secret'])).toBe('an array');
    expect(describeValue({ key: 'secret' })).toBe('an object');
  });

  it('names other values by type', () => {
    expect(describeValue(undefined)).toBe('undefined');
  });
});
