/** Options shared by every {@link TrellisError}. */
export interface TrellisErrorOptions {
  /** The error that caused this one; kept on `error.cause` and in the JSON form. */
  readonly cause?: unknown;
  /** How to fix the problem, one sentence. Appended to the message and kept on `error.fix`. */
  readonly fix?: string;
  /** Structured facts (token names, file paths, module names) for logs and tooling. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The JSON form of a {@link TrellisError}, as written to logs and returned by `--json` CLI output. */
export interface TrellisErrorJSON {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly fix?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: TrellisErrorJSON | { readonly name: string; readonly message: string } | string;
}

/**
 * The base class of every error Trellis raises on purpose.
 *
 * `code` is stable across releases (`PLATFORM_DEPENDENCY_MISSING`...), so callers branch on it
 * rather than on the message. The message says what went wrong and where; `fix` says how to fix
 * it. Every code is listed in `docs/errors.md`.
 *
 * @example
 * ```ts
 * try { await platform.start(); }
 * catch (error) {
 *   if (TrellisError.is(error, 'PLATFORM_DEPENDENCY_MISSING')) console.error(error.fix);
 * }
 * ```
 */
export class TrellisError extends Error {
  /** Stable machine-readable code, e.g. `PLATFORM_MODULE_CYCLE`. */
  readonly code: string;
  /** How to fix the problem, when known. */
  readonly fix: string | undefined;
  /** Structured facts about the failure. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: TrellisErrorOptions = {}) {
    // A message that ends in a list gets its fix on a line of its own.
    const separator = message.includes('\n') ? '\n' : ' ';
    super(options.fix ? `${message}${separator}Fix: ${options.fix}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = options.fix;
    this.details = options.details ?? {};
  }

  /** True when `error` is a {@link TrellisError}, and has `code` when one is given. */
  static is(error: unknown, code?: string): error is TrellisError {
    return error instanceof TrellisError && (code === undefined || error.code === code);
  }

  /** A plain object for logs and `--json` output; causes are serialised recursively. */
  toJSON(): TrellisErrorJSON {
    const json: { -readonly [K in keyof TrellisErrorJSON]: TrellisErrorJSON[K] } = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    if (this.fix !== undefined) json.fix = this.fix;
    if (Object.keys(this.details).length > 0) json.details = this.details;
    if (this.cause !== undefined) json.cause = serializeCause(this.cause);
    return json;
  }
}

function serializeCause(cause: unknown): NonNullable<TrellisErrorJSON['cause']> {
  if (cause instanceof TrellisError) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return String(cause);
}
