/**
 * What a policy passes to the function it runs. `signal` is built lazily, on first read: a
 * callee that never reads it costs no `AbortController`.
 */
export interface AttemptContext {
  /** Aborted when the attempt times out or the caller aborts. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
}

/** A function a policy runs. */
export type PolicyFn<T> = (context: AttemptContext) => T | PromiseLike<T>;

/** The context of an attempt without a timeout: its signal is the caller's, or a fresh one never aborted. */
export class PlainAttempt implements AttemptContext {
  readonly attempt: number;
  #signal: AbortSignal | undefined;

  constructor(attempt: number, outer: AbortSignal | undefined) {
    this.attempt = attempt;
    this.#signal = outer;
  }

  /**
   * The caller's signal, or one built on first read. Not a shared never-aborted signal:
   * listeners callees add to it would pile up on it forever.
   */
  get signal(): AbortSignal {
    this.#signal ??= new AbortController().signal;
    return this.#signal;
  }
}

/** True for a value `await` would wait on. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
