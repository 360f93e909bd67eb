import { describe, expect, it } from '@jest/globals';
import { didYouMean } from './did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest candidate within max(2, length / 3) edits', () => {
    expect(didYouMean('ttlm', ['ttlms', 'maxentries'])).toBe('ttlms');
    expect(didYouMean('maxentrys', ['ttlms', 'maxentries'])).toBe('maxentries');
  });

  it('suggests nothing when every candidate is far away, or there are none', () => {
    expect(didYouMean('database', ['ttlms', 'cache'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
