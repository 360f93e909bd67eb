import { describe, expect, it } from '@jest/globals';
import { BackoffSchema, PoliciesConfigSchema, PolicyConfigSchema, RetrySchema } from './policy-schema.js';

describe('PolicyConfigSchema', () => {
  it('applies no section by default', () => {
    expect(PolicyConfigSchema.parse({})).toEqual({});
  });

  it('fills safe defaults into a declared section', () => {
    const config = PolicyConfigSchema.parse({ retry: {}, breaker: {}, timeout: {}, bulkhead: {} });
    expect(config.retry).toEqual({
      maxAttempts: 3,
      backoff: { initialMs: 100, maxMs: 10_000, multiplier: 2, jitter: 'full' },
      budget: { ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 1 },
    });
    expect(config.breaker).toMatchObject({
      mode: 'consecutive',
      threshold: 5,
      halfOpenAfterMs: 5_000,
      lowTrafficFallback: true,
    });
    expect(config.timeout).toEqual({ ms: 10_000 });
    expect(config.bulkhead).toEqual({ limit: 10, queue: 0 });
  });

  it('accepts false to switch a section off, and a fallback value', () => {
    const config = PolicyConfigSchema.parse({ retry: false, fallback: { value: { cached: true } } });
    expect(config.retry).toBe(false);
    expect(config.fallback).toEqual({ value: { cached: true }, on: ['rejected', 'timeout', 'error'] });
  });

  it('rejects unsafe or unknown settings', () => {
    expect(RetrySchema.safeParse({ maxAttempts: 0 }).success).toBe(false);
    expect(RetrySchema.safeParse({ maxAttempts: Number.POSITIVE_INFINITY }).success).toBe(false);
    expect(BackoffSchema.safeParse({ initialMs: 0 }).success).toBe(false);
    expect(BackoffSchema.safeParse({ initialMs: 500, maxMs: 100 }).success).toBe(false);
    expect(PolicyConfigSchema.safeParse({ retries: {} }).success).toBe(false);
    expect(PolicyConfigSchema.safeParse({ breaker: { ratio: 0 } }).success).toBe(false);
  });
});

describe('PoliciesConfigSchema', () => {
  it('defaults every map to empty', () => {
    expect(PoliciesConfigSchema.parse({})).toEqual({ defaults: {}, callSites: {}, plugins: {} });
  });
});
