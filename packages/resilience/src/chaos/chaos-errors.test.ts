import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { CHAOS_ERROR_CODES, ChaosConfigInvalidError, ChaosFaultError } from './chaos-errors.js';

const samples: TrellisError[] = [
  new ChaosFaultError('plugin:a', 'error', { errorCode: 'ECONNRESET', rate: 0.1 }),
  new ChaosFaultError('plugin:a', 'crash'),
  new ChaosConfigInvalidError(['rules.0.rate: too big']),
];

describe('chaos errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))('$code says how to fix it', ({ error }) => {
    expect(error).toBeInstanceOf(TrellisError);
    expect(error.message).toContain('Fix:');
    expect(error.fix).toBeTruthy();
  });

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(CHAOS_ERROR_CODES));
  });

  it('marks injected faults as injected, with what they imitate', () => {
    const error = samples[0] as ChaosFaultError;
    expect(error.details).toEqual({
      injected: true,
      target: 'plugin:a',
      fault: 'error',
      errorCode: 'ECONNRESET',
      rate: 0.1,
    });
    expect(error).toMatchObject({
      injected: true,
      target: 'plugin:a',
      fault: 'error',
      errorCode: 'ECONNRESET',
    });
    expect(error.message).toMatch(/^Chaos injected an error into "plugin:a"\./);
    expect(samples[1]?.message).toMatch(/^Chaos injected a crash/);
    expect(samples[1]?.fix).toContain('supervisor');
    expect(samples[1]?.details).toEqual({ injected: true, target: 'plugin:a', fault: 'crash' });
  });

  it('uses the rule message when given', () => {
    expect(new ChaosFaultError('t', 'error', { message: 'disk full' }).message).toMatch(/^disk full Fix:/);
  });
});
