import type { Command } from 'commander';
import type { CliIO, PrintOptions } from './output.js';

/**
 * Adds one group of commands (`info`, `config`, `plugins`...) to the `trellis` program.
 *
 * A group calls `program.command(...)` — not `addCommand(new Command())` — so its commands inherit
 * the program's output and exit settings, and writes only through `io`. To add a group, export a
 * `CommandGroup` from a file in `src/commands/` and list it in `COMMAND_GROUPS` in `program.ts`.
 *
 * @example
 * ```ts
 * export const pingCommand: CommandGroup = (program, io) => {
 *   program
 *     .command('ping')
 *     .description('answer pong')
 *     .action((_options, command: Command) => printResult(io, { pong: true }, printOptionsOf(command)));
 * };
 * ```
 */
export type CommandGroup = (program: Command, io: CliIO) => void;

/** The {@link PrintOptions} a command was invoked with, read from the global `--json` option. */
export function printOptionsOf(command: Command): PrintOptions {
  return { json: command.optsWithGlobals<{ json?: boolean }>().json === true };
}
