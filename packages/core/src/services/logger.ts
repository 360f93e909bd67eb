/** Log levels, lowest to highest, with pino's numeric values. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** A level name, or `silent` to log nothing. */
export type LogLevel = keyof typeof LOG_LEVELS | 'silent';

/** One logging method: a message, or an object of fields and an optional message. */
export interface LogFn {
  (message: string): void;
  (fields: object, message?: string): void;
}

/**
 * Structured logger contract (token `LOGGER`). Its shape is a subset of pino's, so a pino
 * logger can be registered as it is.
 */
export interface Logger {
  /** The current minimum level. */
  readonly level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every record (e.g. `{ plugin: 'hello' }`). */
  child(bindings: Record<string, unknown>): Logger;
}
