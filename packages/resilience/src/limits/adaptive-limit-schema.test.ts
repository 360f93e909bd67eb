import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  AdaptiveLimitConfigSchema,
  createLimitAlgorithm,
  parseAdaptiveLimitConfig,
} from './adaptive-limit-schema.js';
import { AimdLimit } from './aimd-limit.js';
import { Gradient2Limit } from './gradient2-limit.js';

describe('AdaptiveLimitConfigSchema', () => {
  it('fills every default from {}', () => {
    expect(AdaptiveLimitConfigSchema.parse({})).toEqual({
      name: 'default',
      algorithm: 'gradient2',
      initialLimit: 20,
      minLimit: 1,
      maxLimit: 200,
      maxQueue: 0,
      queueTimeoutMs: 1_000,
      aimd: { backoffRatio: 0.9, timeoutMs: 5_000 },
      gradient2: {
        smoothing: 0.2,
        longWindow: 600,
        shortWindow: 1,
        rttTolerance: 1.5,
        queueSize: 4,
        minRttMs: 1,
      },
    });
  });

  it('fills nested defaults of a partial algorithm section', () => {
    expect(parseAdaptiveLimitConfig({ aimd: { backoffRatio: 0.5 } }).aimd).toEqual({
      backoffRatio: 0.5,
      timeoutMs: 5_000,
    });
    expect(parseAdaptiveLimitConfig(undefined).name).toBe('default');
  });

  it('lists every problem with its path', () => {
    try {
      parseAdaptiveLimitConfig({ initialLimit: 0, aimd: { backoffRatio: 1 }, typo: true });
      throw new Error('expected a throw');
    } catch (error) {
      expect(TrellisError.is(error, 'RESILIENCE_LIMIT_CONFIG_INVALID')).toBe(true);
      const problems = (error as TrellisError).details.problems as string[];
      expect(problems.some((p) => p.startsWith('initialLimit:'))).toBe(true);
      expect(problems.some((p) => p.startsWith('aimd.backoffRatio:'))).toBe(true);
      expect(problems.some((p) => p.startsWith('(root):'))).toBe(true);
    }
  });

  it('requires minLimit <= initialLimit <= maxLimit', () => {
    expect(() => parseAdaptiveLimitConfig({ minLimit: 10, maxLimit: 5 })).toThrow(
      /minLimit: must be <= maxLimit/,
    );
    expect(() => parseAdaptiveLimitConfig({ initialLimit: 300 })).toThrow(
      /initialLimit: must be within \[minLimit, maxLimit\] = \[1, 200\]/,
    );
    expect(() => parseAdaptiveLimitConfig({ initialLimit: 5, minLimit: 10, maxLimit: 20 })).toThrow(
      /initialLimit/,
    );
  });
});

describe('createLimitAlgorithm', () => {
  it('builds the named algorithm', () => {
    expect(createLimitAlgorithm(parseAdaptiveLimitConfig({ algorithm: 'aimd' }))).toBeInstanceOf(AimdLimit);
    const gradient = createLimitAlgorithm(parseAdaptiveLimitConfig({ initialLimit: 7 }));
    expect(gradient).toBeInstanceOf(Gradient2Limit);
    expect(gradient.limit).toBe(7);
  });
});
