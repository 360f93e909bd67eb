import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  describeIssues,
  EjectionConfigInvalidError,
  LIMIT_ERROR_CODES,
  LimitConfigInvalidError,
  LimitExceededError,
  MemberEjectedError,
} from './limit-errors.js';

const samples: TrellisError[] = [
  new LimitExceededError('plugin:a', 'limit', 10, 10, 0),
  new LimitExceededError('plugin:a', 'queue-full', 10, 10, 5),
  new LimitExceededError('plugin:a', 'queue-timeout', 10, 10, 5),
  new LimitConfigInvalidError(['minLimit: too small']),
  new MemberEjectedError('plugins', 'a', 1_000),
  new EjectionConfigInvalidError(['failureRatio: too big']),
];

describe('limit errors', () => {
  it.each(samples.map((error) => ({ code: error.code, error })))('$code says how to fix it', ({ error }) => {
    expect(error).toBeInstanceOf(TrellisError);
    expect(error.message).toContain('Fix:');
    expect(error.fix).toBeTruthy();
  });

  it('raises every declared code, and only declared codes', () => {
    expect(new Set(samples.map((e) => e.code))).toEqual(new Set(LIMIT_ERROR_CODES));
  });

  it('gives each refusal reason its own fix', () => {
    expect(new Set(samples.slice(0, 3).map((e) => e.fix)).size).toBe(3);
    expect((samples[1] as LimitExceededError).reason).toBe('queue-full');
  });

  it('formats zod issues as path: message', () => {
    expect(
      describeIssues([
        { path: ['a', 0], message: 'bad' },
        { path: [], message: 'worse' },
      ]),
    ).toEqual(['a.0: bad', '(root): worse']);
  });
});
