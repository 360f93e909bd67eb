import { describe, expect, it } from '@jest/globals';
import { scrubProblems, touchesAny } from './redaction.js';

describe('touchesAny', () => {
  it('is true at, under and above a path, with * matching one segment', () => {
    expect(touchesAny(['db.password'], 'db.password')).toBe(true);
    expect(touchesAny(['db.password'], 'db')).toBe(true);
    expect(touchesAny(['db.password'], '')).toBe(true);
    expect(touchesAny(['creds'], 'creds.user')).toBe(true);
    expect(touchesAny(['tenants.*.apiKey'], 'tenants.acme')).toBe(true);
    expect(touchesAny(['tokens.*'], 'tokens')).toBe(true);
  });

  it('is false beside a path and for no paths', () => {
    expect(touchesAny(['db.password'], 'db.pool')).toBe(false);
    expect(touchesAny(['tenants.*.apiKey'], 'tenants.acme.name')).toBe(false);
    expect(touchesAny([], '')).toBe(false);
  });
});

describe('scrubProblems', () => {
  it('removes the received value from problems on paths that could hold a secret', () => {
    const problems = [
      { path: 'db', message: 'pool too small, received {"password":"CANARY"}', origin: 'a.yaml:1:1' },
      { path: 'name', message: 'expected string, received 5', origin: 'b.yaml:2:1' },
      { path: 'db', message: 'required object is missing', origin: 'not set' },
    ];
    expect(scrubProblems(problems, ['db.password'])).toEqual([
      { path: 'db', message: 'pool too small, received [redacted]', origin: 'a.yaml:1:1' },
      problems[1],
      problems[2],
    ]);
  });
});
