import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import { duration, isDurationSchema, isSecretSchema, parseDuration, secret } from './markers.js';
import { Secret } from './secret-value.js';

const CANARY = 'CANARY-7f3a9c';

describe('secret', () => {
  it('parses a plain string into a Secret', () => {
    const parsed = secret().parse(CANARY);
    expect(parsed).toBeInstanceOf(Secret);
    expect(parsed.reveal()).toBe(CANARY);
  });

  it('accepts a Secret, validating what it holds with the inner schema', () => {
    expect(secret().parse(new Secret(CANARY)).reveal()).toBe(CANARY);
    expect(secret(z.string().min(100)).safeParse(new Secret(CANARY)).success).toBe(false);
    expect(secret().safeParse(new Secret(42)).success).toBe(false);
  });

  it('validates a plain value with the inner schema', () => {
    const schema = secret(z.string().min(20));
    expect(schema.safeParse(CANARY).success).toBe(false);
    expect(schema.parse('a long enough secret value').reveal()).toBe('a long enough secret value');
  });

  it('does not put the rejected value in the validation error', () => {
    const result = secret(z.string().min(20)).safeParse(CANARY);
    expect(JSON.stringify(result.error)).not.toContain(CANARY);
    expect(String(result.error)).not.toContain(CANARY);
  });

  it('wraps a non-string inner schema', () => {
    expect(secret(z.number()).parse(1234).reveal()).toBe(1234);
  });

  it('rejects a value of the wrong type', () => {
    expect(secret().safeParse(42).success).toBe(false);
  });

  it('keeps working under .optional()', () => {
    const schema = z.object({ password: secret().optional() });
    expect(schema.parse({}).password).toBeUndefined();
    expect(schema.parse({ password: 'x' }).password?.reveal()).toBe('x');
  });

  it('is recognised by isSecretSchema', () => {
    expect(isSecretSchema(secret())).toBe(true);
    expect(isSecretSchema(z.string())).toBe(false);
  });
});

describe('duration', () => {
  it.each([
    ['5s', 5_000],
    ['250ms', 250],
    ['2m', 120_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['1000', 1_000],
    [' 5 s ', 5_000],
    [1_500, 1_500],
    [0, 0],
  ])('parses %j as %i ms', (input, ms) => {
    expect(duration().parse(input)).toBe(ms);
  });

  it('rejects "five seconds" with a message saying what it expects', () => {
    const result = duration().safeParse('five seconds');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'expected a duration like "5s", "250ms" or "2m", received "five seconds"',
    );
  });

  it.each([-1, '-5s', '5 seconds', '5S', '1.5', '', Number.NaN])('rejects %j', (input) => {
    expect(duration().safeParse(input).success).toBe(false);
  });

  it('is recognised by isDurationSchema', () => {
    expect(isDurationSchema(duration())).toBe(true);
    expect(isDurationSchema(z.number())).toBe(false);
  });
});

describe('parseDuration', () => {
  const ms = fc.nat({ max: 1_000_000_000 });

  it('reads n ms as n', () => {
    fc.assert(fc.property(ms, (n) => parseDuration(`${n}ms`) === n));
  });

  it('reads n s as n * 1000', () => {
    fc.assert(fc.property(ms, (n) => parseDuration(`${n}s`) === n * 1000));
  });

  it('reads a bare number as milliseconds', () => {
    fc.assert(fc.property(ms, (n) => parseDuration(String(n)) === n));
  });

  it('rounds fractional milliseconds', () => {
    expect(parseDuration('0.5ms')).toBe(1);
    expect(parseDuration('1.0004s')).toBe(1000);
  });

  it('is undefined for text that is not a duration', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)?\s*$/.test(text)),
        (text) => parseDuration(text) === undefined,
      ),
    );
  });
});
