import { describe, expect, it } from '@jest/globals';
import { TrellisError } from './trellis-error.js';

class SampleError extends TrellisError {
  constructor() {
    super('SAMPLE_FAILED', 'Sample failed.', { fix: 'Retry.' });
  }
}

describe('TrellisError', () => {
  describe('construction', () => {
    it('is an Error with the given code and message', () => {
      const error = new TrellisError('THING_BROKEN', 'The thing broke.');
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe('THING_BROKEN');
      expect(error.message).toBe('The thing broke.');
    });

    it('appends the fix to the message and keeps it on fix', () => {
      const error = new TrellisError('THING_BROKEN', 'The thing broke.', { fix: 'Mend it.' });
      expect(error.message).toBe('The thing broke. Fix: Mend it.');
      expect(error.fix).toBe('Mend it.');
    });

    it('puts the fix on its own line after a message that ends in a list', () => {
      const error = new TrellisError('THINGS_BROKEN', 'Broken things:\n  - a\n  - b', { fix: 'Mend them.' });
      expect(error.message).toBe('Broken things:\n  - a\n  - b\nFix: Mend them.');
    });

    it('has fix undefined and no Fix: suffix without a fix', () => {
      const error = new TrellisError('THING_BROKEN', 'The thing broke.');
      expect(error.fix).toBeUndefined();
      expect(error.message).not.toContain('Fix:');
    });

    it('keeps details', () => {
      const error = new TrellisError('THING_BROKEN', 'm', { details: { module: 'cache', attempts: 3 } });
      expect(error.details).toEqual({ module: 'cache', attempts: 3 });
    });

    it('has empty details by default', () => {
      expect(new TrellisError('THING_BROKEN', 'm').details).toEqual({});
    });

    it('keeps the cause', () => {
      const cause = new Error('root');
      expect(new TrellisError('THING_BROKEN', 'm', { cause }).cause).toBe(cause);
    });

    it('is named TrellisError', () => {
      expect(new TrellisError('X', 'm').name).toBe('TrellisError');
    });

    it('takes the name of a subclass', () => {
      const error = new SampleError();
      expect(error.name).toBe('SampleError');
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.code).toBe('SAMPLE_FAILED');
    });

    it('has a stack that starts with the name and message', () => {
      expect(new SampleError().stack).toMatch(/^SampleError: Sample failed\. Fix: Retry\./);
    });
  });

  describe('is', () => {
    it('is true for a TrellisError when no code is given', () => {
      expect(TrellisError.is(new TrellisError('ANY', 'm'))).toBe(true);
    });

    it('is true for a subclass instance', () => {
      expect(TrellisError.is(new SampleError())).toBe(true);
    });

    it('is false for a plain Error, even one with a code', () => {
      expect(TrellisError.is(Object.assign(new Error('m'), { code: 'ANY' }))).toBe(false);
    });

    it.each([null, undefined, 'ANY', { code: 'ANY', message: 'm' }])('is false for %p', (value) => {
      expect(TrellisError.is(value)).toBe(false);
    });

    it('is true when the code matches', () => {
      expect(TrellisError.is(new SampleError(), 'SAMPLE_FAILED')).toBe(true);
    });

    it('is false when the code differs', () => {
      expect(TrellisError.is(new SampleError(), 'OTHER')).toBe(false);
    });

    it('narrows the type so code can be read', () => {
      const caught: unknown = new SampleError();
      const code = TrellisError.is(caught) ? caught.code : undefined;
      expect(code).toBe('SAMPLE_FAILED');
    });
  });

  describe('toJSON', () => {
    it('holds name, code and message', () => {
      expect(new TrellisError('X', 'Broken.').toJSON()).toEqual({
        name: 'TrellisError',
        code: 'X',
        message: 'Broken.',
      });
    });

    it('adds fix and details when present', () => {
      const error = new TrellisError('X', 'Broken.', { fix: 'Mend.', details: { a: 1 } });
      expect(error.toJSON()).toEqual({
        name: 'TrellisError',
        code: 'X',
        message: 'Broken. Fix: Mend.',
        fix: 'Mend.',
        details: { a: 1 },
      });
    });

    it('leaves out empty details', () => {
      expect(new TrellisError('X', 'm', { details: {} }).toJSON()).not.toHaveProperty('details');
    });

    it('serialises a TrellisError cause with its own toJSON', () => {
      const error = new TrellisError('TOP', 'top', { cause: new SampleError() });
      expect(error.toJSON().cause).toEqual({
        name: 'SampleError',
        code: 'SAMPLE_FAILED',
        message: 'Sample failed. Fix: Retry.',
        fix: 'Retry.',
      });
    });

    it('serialises causes recursively, down the whole chain', () => {
      const root = new TrellisError('ROOT', 'root', { cause: new TypeError('deepest') });
      const error = new TrellisError('TOP', 'top', { cause: root });
      expect(error.toJSON().cause).toEqual({
        name: 'TrellisError',
        code: 'ROOT',
        message: 'root',
        cause: { name: 'TypeError', message: 'deepest' },
      });
    });

    it('serialises a plain Error cause as name and message', () => {
      const error = new TrellisError('X', 'm', { cause: new RangeError('out of range') });
      expect(error.toJSON().cause).toEqual({ name: 'RangeError', message: 'out of range' });
    });

    it('serialises a string cause as the string', () => {
      expect(new TrellisError('X', 'm', { cause: 'disk full' }).toJSON().cause).toBe('disk full');
    });

    it('serialises another cause with String()', () => {
      expect(new TrellisError('X', 'm', { cause: 42 }).toJSON().cause).toBe('42');
    });

    it('leaves out an absent cause', () => {
      expect(new TrellisError('X', 'm').toJSON()).not.toHaveProperty('cause');
    });

    it('is what JSON.stringify writes', () => {
      const error = new TrellisError('X', 'm', { fix: 'f' });
      expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
    });
  });
});
