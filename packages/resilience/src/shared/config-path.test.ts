import { describe, expect, it } from '@jest/globals';
import { touchesPath } from './config-path.js';

describe('touchesPath', () => {
  it('sees a change at the path, below it and above it, and nothing beside it', () => {
    expect(touchesPath(['resilience.chaos'], 'resilience.chaos')).toBe(true);
    expect(touchesPath(['resilience.chaos.rules'], 'resilience.chaos')).toBe(true);
    expect(touchesPath(['resilience'], 'resilience.chaos')).toBe(true);
    expect(touchesPath(['resilience.chaosMonkey', 'resilience.policies'], 'resilience.chaos')).toBe(false);
  });
});
