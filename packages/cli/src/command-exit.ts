import type { ExitCode } from './exit-codes.js';

/**
 * Thrown by a command that has already printed its result but must exit with another code than
 * 0, e.g. `config validate` for an invalid configuration. `run` returns `exitCode` and prints
 * nothing more, so `--json` output stays one document.
 */
export class CommandExit extends Error {
  /** The code `run` returns. */
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, reason: string) {
    super(reason);
    this.name = 'CommandExit';
    this.exitCode = exitCode;
  }
}
