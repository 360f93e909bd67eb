import { TrellisError } from '../errors/trellis-error.js';
import type { Clock } from './clock.js';

/** Options of {@link withDeadline}. */
export interface DeadlineOptions {
  /** How long the work may take. */
  readonly ms: number;
  /** The clock that measures it. */
  readonly clock: Clock;
  /** What is running, for the error message ("module \"cache\" stop"). */
  readonly what: string;
  /** How to fix a timeout, for the error message. */
  readonly fix?: string;
}

/** Raised when work does not finish inside its deadline. Code `DEADLINE_EXCEEDED`. */
export class DeadlineExceededError extends TrellisError {
  constructor(what: string, ms: number, fix?: string) {
    super('DEADLINE_EXCEEDED', `${what} did not finish within ${ms} ms.`, {
      fix: fix ?? `Make ${what} finish sooner, or raise its timeout.`,
      details: { what, timeoutMs: ms },
    });
  }
}

/**
 * Resolves or rejects as `work` does, or rejects with {@link DeadlineExceededError} after
 * `options.ms`. The work is not cancelled (JavaScript cannot); callers abort it through an
 * `AbortSignal` of their own when it must stop.
 */
export function withDeadline<T>(work: Promise<T>, options: DeadlineOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = options.clock.setTimeout(
      () => reject(new DeadlineExceededError(options.what, options.ms, options.fix)),
      options.ms,
    );
    work.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}
