import { describe, expect, it } from '@jest/globals';
import { PolicyConfigInvalidError } from './policy-errors.js';
import type { PoliciesConfigInput } from './policy-schema.js';
import { mergePolicyLayers, parsePoliciesConfig, resolvePolicyConfig } from './resolve-policy-config.js';

const config: PoliciesConfigInput = {
  defaults: { retry: { maxAttempts: 2, backoff: { initialMs: 50 } }, timeout: { ms: 1_000 } },
  callSites: {
    'payments.charge': { retry: { backoff: { maxMs: 500 } }, breaker: { mode: 'sampling' } },
    'search.query': { retry: false },
  },
  plugins: {
    billing: {
      '*': { bulkhead: { limit: 4 }, timeout: { ms: 3_000 } },
      'payments.charge': { timeout: { ms: 5_000 }, retry: { retryOn: ['ECONNRESET'] } },
    },
  },
};

describe('resolvePolicyConfig', () => {
  it('merges defaults < call site < plugin-wide < plugin call site, field by field', () => {
    const resolved = resolvePolicyConfig(config, 'billing', 'payments.charge');
    expect(resolved.retry).toMatchObject({
      maxAttempts: 2,
      backoff: { initialMs: 50, maxMs: 500, jitter: 'full' },
      retryOn: ['ECONNRESET'],
    });
    expect(resolved.timeout).toEqual({ ms: 5_000 });
    expect(resolved.bulkhead).toEqual({ limit: 4, queue: 0 });
    expect(resolved.breaker).toMatchObject({ mode: 'sampling' });
  });

  it('uses the plugin-wide layer for call sites the plugin does not name', () => {
    expect(resolvePolicyConfig(config, 'billing', 'other').timeout).toEqual({ ms: 3_000 });
    expect(resolvePolicyConfig(config, 'billing', '*').timeout).toEqual({ ms: 3_000 });
  });

  it('lets a layer switch a section off with false', () => {
    expect(resolvePolicyConfig(config, 'catalog', 'search.query').retry).toBe(false);
  });

  it('falls back to the defaults for an unknown plugin and call site', () => {
    expect(resolvePolicyConfig({}, 'x', 'y')).toEqual({});
    expect(resolvePolicyConfig(config, 'x', 'y').timeout).toEqual({ ms: 1_000 });
  });

  it('reports a merge that breaks a cross-field rule, naming the call site', () => {
    const broken: PoliciesConfigInput = {
      defaults: { retry: { backoff: { maxMs: 200 } } },
      callSites: { slow: { retry: { backoff: { initialMs: 500 } } } },
    };
    expect(() => resolvePolicyConfig(broken, 'p', 'slow')).toThrow(PolicyConfigInvalidError);
    expect(() => resolvePolicyConfig(broken, 'p', 'slow')).toThrow('"p" / "slow"');
  });
});

describe('parsePoliciesConfig', () => {
  it('returns the input as written (a copy), not defaulted', () => {
    const parsed = parsePoliciesConfig(config);
    expect(parsed).toEqual(config);
    expect(parsed).not.toBe(config);
    expect(parsePoliciesConfig(undefined)).toEqual({});
  });

  it('throws RESILIENCE_POLICY_INVALID listing every bad path', () => {
    const error = (() => {
      try {
        parsePoliciesConfig(
          { defaults: { retry: { maxAttempts: 0 } }, plugins: { a: { b: { timeout: { ms: -1 } } } } },
          'app.json',
        );
      } catch (e) {
        return e as PolicyConfigInvalidError;
      }
    })();
    expect(error).toBeInstanceOf(PolicyConfigInvalidError);
    expect(error?.message).toContain('in app.json');
    expect(error?.details.problems).toEqual([
      expect.stringContaining('defaults.retry.maxAttempts'),
      expect.stringContaining('plugins.a.b.timeout.ms'),
    ]);
    expect(() => parsePoliciesConfig(42)).toThrow('(root)');
  });
});

describe('mergePolicyLayers', () => {
  it('replaces arrays and false, merges objects, skips missing layers', () => {
    expect(
      mergePolicyLayers({ retry: { retryOn: ['A', 'B'], maxAttempts: 2 }, breaker: {} }, undefined, {
        retry: { retryOn: ['C'] },
        breaker: false,
      }),
    ).toEqual({ retry: { retryOn: ['C'], maxAttempts: 2 }, breaker: false });
    expect(mergePolicyLayers({ breaker: false }, { breaker: { threshold: 2 } })).toEqual({
      breaker: { threshold: 2 },
    });
  });
});
