import { type Clock, systemClock } from '../time/clock.js';
import { LOG_LEVELS, type LogFn, type Logger, type LogLevel } from './logger.js';

/** Where {@link ConsoleLogger} writes its lines. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Options of {@link ConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** Minimum level written; default `info`. */
  readonly level?: LogLevel;
  /** Fields added to every record. */
  readonly bindings?: Record<string, unknown>;
  /** Default `process.stdout`. */
  readonly destination?: LogDestination;
  /** Timestamps come from here; default the system clock. */
  readonly clock?: Clock;
}

type Level = keyof typeof LOG_LEVELS;

/**
 * The default {@link Logger}: one JSON object per line in pino's format (`level`, `time`, `msg`),
 * so `pino-pretty` and log shippers read it unchanged. Errors under `err` keep name, code, stack.
 */
export class ConsoleLogger implements Logger {
  readonly level: LogLevel;
  readonly trace: LogFn;
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  readonly fatal: LogFn;
  readonly #bindings: Record<string, unknown>;
  readonly #destination: LogDestination;
  readonly #clock: Clock;

  constructor(options: ConsoleLoggerOptions = {}) {
    this.level = options.level ?? 'info';
    this.#bindings = options.bindings ?? {};
    this.#destination = options.destination ?? process.stdout;
    this.#clock = options.clock ?? systemClock;
    const threshold = this.level === 'silent' ? Number.POSITIVE_INFINITY : LOG_LEVELS[this.level];
    const method = (level: Level): LogFn =>
      LOG_LEVELS[level] < threshold ? noop : (a: object | string, b?: string) => this.#write(level, a, b);
    this.trace = method('trace');
    this.debug = method('debug');
    this.info = method('info');
    this.warn = method('warn');
    this.error = method('error');
    this.fatal = method('fatal');
  }

  /** A logger with the same destination and level, adding `bindings` to every record. */
  child(bindings: Record<string, unknown>): ConsoleLogger {
    return new ConsoleLogger({
      level: this.level,
      bindings: { ...this.#bindings, ...bindings },
      destination: this.#destination,
      clock: this.#clock,
    });
  }

  #write(level: Level, fieldsOrMessage: object | string, message?: string): void {
    const fields = typeof fieldsOrMessage === 'string' ? {} : serializeFields(fieldsOrMessage);
    const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
    const record = { level: LOG_LEVELS[level], time: this.#clock.now(), ...this.#bindings, ...fields, msg };
    this.#destination.write(`${safeStringify(record)}\n`);
  }
}

const noop: LogFn = () => {};

function serializeFields(fields: object): Record<string, unknown> {
  if (fields instanceof Error) return { err: serializeError(fields) };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? serializeError(value) : value;
  }
  return out;
}

function serializeError(error: Error, chain = new Set<Error>()): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  const { cause } = error;
  chain.add(error);
  return {
    type: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    stack: error.stack,
    // A cause chain can loop (a.cause = b, b.cause = a); recursing into it would overflow the stack.
    ...(cause instanceof Error
      ? { cause: chain.has(cause) ? '[Circular]' : serializeError(cause, chain) }
      : {}),
  };
}

function safeStringify(record: object): string {
  // The objects from the root down to the value being written. Only a value that is its own
  // ancestor is a cycle; one object referenced twice side by side is written twice.
  const ancestors: object[] = [];
  // A log call must never throw: cycles and BigInts are written as markers instead.
  return JSON.stringify(record, function (this: unknown, _key, value: unknown) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    // `this` is the object holding `value`; drop ancestors of siblings already written.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  });
}
