import { describeError, TrellisError } from '@trellis/core';
import { formatCell, formatTable, type TableRow } from './format-table.js';

/**
 * Where the CLI writes. Commands never touch `process.stdout` directly, so tests capture output
 * by passing their own {@link CliIO}. Each call writes `text` as is; callers end lines with `\n`.
 */
export interface CliIO {
  /** Writes results: human text, or the one JSON document of `--json`. */
  readonly stdout: (text: string) => void;
  /** Writes diagnostics: errors, usage messages. */
  readonly stderr: (text: string) => void;
}

/** The {@link CliIO} of the running process. */
export const processIO: CliIO = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
};

/** How {@link printResult} and {@link printError} format: `json` is the global `--json` option. */
export interface PrintOptions {
  /** Print one machine-readable JSON document instead of human text. */
  readonly json: boolean;
}

/**
 * Prints a command's result to stdout.
 *
 * With `json`, exactly one JSON document. Otherwise human text: an array of flat objects as a
 * table ({@link formatTable}), an object as aligned `key: value` lines, an array of scalars one
 * per line, a scalar as itself; other shapes fall back to indented JSON.
 */
export function printResult(io: CliIO, result: unknown, options: PrintOptions): void {
  io.stdout(`${options.json ? toJsonDocument(result) : formatHuman(result)}\n`);
}

/**
 * Prints an error.
 *
 * With `json`, `{ "error": ... }` goes to stdout, so a script reading `--json` output always gets
 * one document: a {@link TrellisError} as its `toJSON()`, any other error as its name and message.
 * Otherwise one line goes to stderr: `CODE: message` for a {@link TrellisError} (its message
 * already ends with `Fix: ...`), the message alone for anything else.
 */
export function printError(io: CliIO, error: unknown, options: PrintOptions): void {
  if (options.json) {
    io.stdout(`${toJsonDocument({ error: errorToJson(error) })}\n`);
  } else if (error instanceof TrellisError) {
    io.stderr(`${error.code}: ${error.message}\n`);
  } else {
    io.stderr(`${describeError(error)}\n`);
  }
}

function errorToJson(error: unknown): unknown {
  if (error instanceof TrellisError) return error.toJSON();
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: describeError(error) };
}

function toJsonDocument(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}

function formatHuman(result: unknown): string {
  if (Array.isArray(result)) {
    if (result.length === 0) return '(none)';
    if (result.every(isFlatRecord)) return formatTable(result);
    if (result.every(isScalar)) return result.map(formatCell).join('\n');
  } else if (isRecord(result)) {
    return formatKeyValues(result);
  } else if (isScalar(result)) {
    return formatCell(result);
  }
  return toJsonDocument(result);
}

function formatKeyValues(record: TableRow): string {
  const keys = Object.keys(record);
  const width = Math.max(0, ...keys.map((key) => key.length));
  return keys.map((key) => `${`${key}:`.padEnd(width + 1)} ${formatCell(record[key])}`.trimEnd()).join('\n');
}

function isRecord(value: unknown): value is TableRow {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFlatRecord(value: unknown): value is TableRow {
  return isRecord(value) && Object.values(value).every(isScalar);
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function');
}
