import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import {
  DESIRED_STATE_ERROR_CODES,
  DesiredSourceUnreadableError,
  DesiredStateInvalidError,
  formatDesiredStateProblem,
  PlanHasProblemsError,
} from './desired-state-errors.js';

const samples: TrellisError[] = [
  new DesiredStateInvalidError('trellis.plugins.yaml', [
    { file: 'trellis.plugins.yaml', line: 7, column: 5, path: 'plugins.weather.version', message: 'bad' },
  ]),
  new DesiredSourceUnreadableError([{ source: '/app/x', plugins: ['x'], error: new Error('ENOENT') }]),
  new PlanHasProblemsError([
    {
      kind: 'dependency-cycle',
      plugins: ['a', 'b'],
      message: 'a cycle',
      location: 'trellis.plugins.yaml:3:3',
    },
    { kind: 'source-not-read', plugins: ['c'], message: 'c: not read' },
  ]),
];

describe('desired-state errors', () => {
  it('raises every listed code, and only those', () => {
    expect(samples.map((error) => error.code).sort()).toEqual([...DESIRED_STATE_ERROR_CODES].sort());
  });

  it.each(samples.map((error) => ({ code: error.code, error })))(
    '$code is a TrellisError whose message says how to fix it',
    ({ error }) => {
      expect(error).toBeInstanceOf(TrellisError);
      expect(error.message).toContain('Fix:');
      expect(error.fix).toBeTruthy();
    },
  );

  it('counts problems in the message of an invalid desired state', () => {
    expect(samples[0]?.message).toContain('(1 problem)');
    expect(samples[0]?.message).toContain('trellis.plugins.yaml:7:5 plugins.weather.version: bad');
  });

  it('lists each problem of a refused plan with its location', () => {
    const error = samples[2] as PlanHasProblemsError;
    expect(error.message).toContain('  - trellis.plugins.yaml:3:3 a cycle\n  - c: not read');
    expect(error.problems).toHaveLength(2);
  });

  it('formats a problem with whatever position it has', () => {
    expect(formatDesiredStateProblem({ file: 'f', path: '', message: 'm' })).toBe('f m');
    expect(formatDesiredStateProblem({ file: 'f', line: 2, path: 'a', message: 'm' })).toBe('f:2 a: m');
    expect(formatDesiredStateProblem({ file: 'f', line: 2, column: 3, path: 'a', message: 'm' })).toBe(
      'f:2:3 a: m',
    );
  });
});
