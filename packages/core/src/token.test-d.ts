// Type tests: `pnpm typecheck` fails if a misuse below stops being a compile error.
import { createToken, type Token, type TokenType } from './token.js';

interface Billing {
  charge(cents: number): void;
}

const BILLING = createToken<Billing>('@acme/billing.Billing');

// TokenType recovers the service type.
const service: TokenType<typeof BILLING> = { charge() {} };
void service;

// A token is a symbol.
const asSymbol: symbol = BILLING;
void asSymbol;

declare function resolve<T>(token: Token<T>): T;
resolve(BILLING).charge(100);
// @ts-expect-error the resolved service has no such method
resolve(BILLING).refund(100);
// @ts-expect-error charge takes a number
resolve(BILLING).charge('100');

// @ts-expect-error the key must be a string
createToken<Billing>(Symbol('x'));
