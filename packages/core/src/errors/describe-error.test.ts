import { describe, expect, it } from '@jest/globals';
import { describeError } from './describe-error.js';
import { TrellisError } from './trellis-error.js';

describe('describeError', () => {
  it('returns the message of an Error', () => {
    expect(describeError(new Error('disk full'))).toBe('disk full');
  });

  it('returns the full message of a TrellisError, fix included', () => {
    expect(describeError(new TrellisError('X', 'Broken.', { fix: 'Mend.' }))).toBe('Broken. Fix: Mend.');
  });

  it('returns a string as it is', () => {
    expect(describeError('plain text')).toBe('plain text');
  });

  it('returns other values as JSON', () => {
    expect(describeError({ reason: 'down', code: 3 })).toBe('{"reason":"down","code":3}');
    expect(describeError(42)).toBe('42');
    expect(describeError(null)).toBe('null');
  });

  it('returns "undefined" for undefined', () => {
    expect(describeError(undefined)).toBe('undefined');
  });

  it('falls back to String() for values JSON cannot represent', () => {
    expect(describeError(Symbol('why'))).toBe('Symbol(why)');
  });

  it('does not throw on a circular object', () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    expect(describeError(value)).toBe('[object Object]');
  });

  it('does not throw on a BigInt', () => {
    expect(describeError(10n)).toBe('10');
  });
});

describe('describeError across realms', () => {
  it('reads the message of an error-like object that fails instanceof Error', () => {
    expect(describeError({ name: 'Error', message: 'from another realm' })).toBe('from another realm');
  });
});
