import { describe, expect, it } from '@jest/globals';
import { createToken, tokenName } from './token.js';

describe('createToken', () => {
  it('returns the registered symbol for the key', () => {
    expect(createToken<string>('@acme/billing.BillingService')).toBe(
      Symbol.for('@acme/billing.BillingService'),
    );
  });

  it('returns the same token for the same key, as separate package copies would', () => {
    expect(createToken('@acme/billing.Invoices')).toBe(createToken('@acme/billing.Invoices'));
  });

  it('returns different tokens for different keys', () => {
    expect(createToken('@acme/billing.Invoices')).not.toBe(createToken('@acme/billing.Payments'));
  });

  it.each([
    '@trellis/core.Logger',
    '@acme/billing.BillingService',
    'billing.BillingService',
    'my-pkg.Service2',
    '@my.org/pkg_name.Thing',
    '0pkg.X',
  ])('accepts the key %s', (key) => {
    expect(typeof createToken(key)).toBe('symbol');
  });

  it.each([
    ['an empty key', ''],
    ['a key without a package', 'BillingService'],
    ['a service name in lower case', '@acme/billing.billingService'],
    ['a package name in upper case', 'Billing.Service'],
    ['a scope without a package', '@acme.Service'],
    ['a trailing dot', '@acme/billing.'],
    ['whitespace', '@acme/billing.Billing Service'],
    ['a leading space', ' billing.Service'],
    ['a dash in the service name', 'billing.Billing-Service'],
  ])('rejects %s with a TypeError', (_label, key) => {
    expect(() => createToken(key)).toThrow(TypeError);
  });

  it('names the bad key and the expected form in the error', () => {
    expect(() => createToken('nope')).toThrow(
      'Invalid token key "nope". Use "<package>.<ServiceName>", e.g. "@acme/billing.BillingService".',
    );
  });
});

describe('tokenName', () => {
  it('returns the key of a token', () => {
    expect(tokenName(createToken('@acme/billing.BillingService'))).toBe('@acme/billing.BillingService');
  });

  it('returns the description of any symbol', () => {
    expect(tokenName(Symbol('local'))).toBe('local');
  });

  it('falls back to the symbol string for a symbol without a description', () => {
    expect(tokenName(Symbol())).toBe('Symbol()');
  });
});
