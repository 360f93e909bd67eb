import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { ChaosConfigSchema, matchesTarget, parseChaosConfig } from './chaos-schema.js';

describe('ChaosConfigSchema', () => {
  it('is off with no rules by default', () => {
    expect(ChaosConfigSchema.parse({})).toEqual({ enabled: false, rules: [] });
    expect(parseChaosConfig(undefined)).toEqual({ enabled: false, rules: [] });
  });

  it('fills per-fault defaults', () => {
    const { rules } = parseChaosConfig({
      rules: [
        { target: '*', fault: 'latency', rate: 0.1 },
        { target: 'plugin:a', fault: 'hang', rate: 0.01 },
        { target: 'plugin:a', fault: 'error', rate: 0.2, errorCode: 'ECONNRESET', message: 'reset' },
        { target: 'plugin:a', fault: 'crash', rate: 0 },
      ],
    });
    expect(rules).toEqual([
      { target: '*', fault: 'latency', rate: 0.1, latencyMs: 1_000 },
      { target: 'plugin:a', fault: 'hang', rate: 0.01, busy: false },
      { target: 'plugin:a', fault: 'error', rate: 0.2, errorCode: 'ECONNRESET', message: 'reset' },
      { target: 'plugin:a', fault: 'crash', rate: 0 },
    ]);
  });

  it('lists every problem with its path', () => {
    try {
      parseChaosConfig({
        enabled: 'yes',
        seed: -1,
        rules: [
          { target: '', fault: 'error', rate: 2 },
          { target: 'x', fault: 'explode', rate: 0.5 },
          { target: 'x', fault: 'error', rate: 0.5, latencyMs: 10 },
        ],
      });
      throw new Error('expected a throw');
    } catch (error) {
      expect(TrellisError.is(error, 'RESILIENCE_CHAOS_CONFIG_INVALID')).toBe(true);
      const problems = (error as TrellisError).details.problems as string[];
      for (const path of ['enabled', 'seed', 'rules.0.target', 'rules.0.rate', 'rules.1.fault', 'rules.2']) {
        expect(problems.some((p) => p.startsWith(`${path}:`))).toBe(true);
      }
    }
    expect(() => parseChaosConfig('nope')).toThrow(/\(root\)/);
  });
});

describe('matchesTarget', () => {
  it('matches exactly, everything with *, and prefixes ending in *', () => {
    expect(matchesTarget('plugin:a', 'plugin:a')).toBe(true);
    expect(matchesTarget('plugin:a', 'plugin:ab')).toBe(false);
    expect(matchesTarget('*', 'anything')).toBe(true);
    expect(matchesTarget('plugin:*', 'plugin:billing')).toBe(true);
    expect(matchesTarget('plugin:*', 'db.query')).toBe(false);
  });
});
