import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A configuration value that must never be printed. Every way a value leaves the process as text
 * — `JSON.stringify`, `util.inspect`/`console.log`, template strings, `String()` — yields
 * `[redacted]`; only {@link Secret.reveal} returns the value. Redaction is a property of the
 * value, so no print path can forget it.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The secret itself. Call it where the value is used, never where it is logged. */
  reveal(): T {
    return this.#value;
  }

  /** `[redacted]`. */
  toString(): string {
    return REDACTED;
  }

  /** `[redacted]`, so `JSON.stringify` and loggers never see the value. */
  toJSON(): string {
    return REDACTED;
  }

  /** `[redacted]` in template strings and string concatenation. */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  /** `Secret([redacted])` for `console.log` and `util.inspect`. */
  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}

/** The text shown in place of every secret value. */
export const REDACTED_TEXT = REDACTED;

/** True when `value` is a {@link Secret}. */
export function isSecret(value: unknown): value is Secret<unknown> {
  return value instanceof Secret;
}
