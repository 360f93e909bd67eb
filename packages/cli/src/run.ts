import { type Command, CommanderError } from 'commander';
import { CommandExit } from './command-exit.js';
import { UNAVAILABLE_ERROR_CODES } from './errors.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { type CliIO, printError, processIO } from './output.js';
import { createProgram } from './program.js';

/** Commander codes for output the user asked for (`--help`, `--version`): not errors. */
const REQUESTED_OUTPUT_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs the `trellis` command line and returns its exit code ({@link EXIT_CODES}); it never calls
 * `process.exit`, so it runs in tests and in other programs as it runs in `bin.ts`.
 *
 * @param argv The arguments after the executable and script, e.g. `process.argv.slice(2)`.
 * @param io Where output goes; the process's stdout and stderr by default.
 * @param program The program to run; built by {@link createProgram} with `io` by default.
 */
export async function run(
  argv: readonly string[],
  io: CliIO = processIO,
  program: Command = createProgram(io),
): Promise<ExitCode> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.OK;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    if (error instanceof CommandExit) return error.exitCode;
    printError(io, error, { json: program.opts<{ json?: boolean }>().json === true });
    return failureExitCode(error);
  }
}

/** UNAVAILABLE for an error with a code from {@link UNAVAILABLE_ERROR_CODES} (a missing file...), else FAILURE. */
function failureExitCode(error: unknown): ExitCode {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_ERROR_CODES.has(code)
    ? EXIT_CODES.UNAVAILABLE
    : EXIT_CODES.FAILURE;
}

/** Maps a commander error, whose message commander has already written to stderr, to an exit code. */
function commanderExitCode(error: CommanderError): ExitCode {
  if (REQUESTED_OUTPUT_CODES.has(error.code)) return EXIT_CODES.OK;
  // `trellis help <command>` exits 0; a bare `trellis` prints help to stderr and exits 1: no command.
  if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
  return EXIT_CODES.USAGE;
}
