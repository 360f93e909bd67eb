import { describe, expect, it } from '@jest/globals';
import { toHealthCheckResult } from './health-result.js';

describe('toHealthCheckResult', () => {
  it('reads nothing as pass and a bare status as that status', () => {
    expect(toHealthCheckResult(undefined)).toEqual({ status: 'pass' });
    expect(toHealthCheckResult('warn')).toEqual({ status: 'warn' });
  });

  it('keeps only status, message and details of a result object', () => {
    expect(toHealthCheckResult({ status: 'fail', message: 'down', details: { n: 1 }, secret: 'x' })).toEqual({
      status: 'fail',
      message: 'down',
      details: { n: 1 },
    });
  });

  it.each([['ok'], [42], [null], [{ status: 'green' }]])('fails %p, saying what came back', (raw) => {
    const result = toHealthCheckResult(raw);
    expect(result.status).toBe('fail');
    expect(result.message).toContain('not "pass", "warn", "fail" or { status }');
  });
});
