import { describe, expect, it } from '@jest/globals';
import { EXIT_CODES } from './exit-codes.js';

describe('EXIT_CODES', () => {
  it('keeps the documented values scripts rely on', () => {
    expect(EXIT_CODES).toEqual({ OK: 0, FAILURE: 1, USAGE: 2, UNAVAILABLE: 3, INTERRUPTED: 130 });
  });
});
