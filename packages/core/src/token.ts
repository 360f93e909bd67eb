declare const serviceType: unique symbol;

/**
 * An injection token that carries the type of the service it resolves to.
 *
 * Tokens are registered symbols (`Symbol.for`), so two copies of a package in one process still
 * agree on them. Use with tsyringe's `@inject(TOKEN)` and with {@link Platform.resolve}.
 */
export type Token<T> = symbol & { readonly [serviceType]?: T };

/** The service type a {@link Token} resolves to. */
export type TokenType<K> = K extends Token<infer T> ? T : never;

const KEY_PATTERN = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*\.[A-Z][A-Za-z0-9]*$/;

/**
 * Creates a typed token from a key of the form `'<package>.<ServiceName>'`.
 *
 * @example
 * ```ts
 * export const BILLING = createToken<BillingService>('@acme/billing.BillingService');
 * ```
 * @throws TypeError when the key does not follow the `<package>.<ServiceName>` form.
 */
export function createToken<T>(key: string): Token<T> {
  if (!KEY_PATTERN.test(key)) {
    throw new TypeError(
      `Invalid token key "${key}". Use "<package>.<ServiceName>", e.g. "@acme/billing.BillingService".`,
    );
  }
  return Symbol.for(key) as Token<T>;
}

/** The readable name of a token (its key), for error messages and reports. */
export function tokenName(token: symbol): string {
  return token.description ?? token.toString();
}
