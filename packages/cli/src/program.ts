import { Command } from 'commander';
import type { CommandGroup } from './command-group.js';
import { configCommand } from './commands/config.js';
import { infoCommand } from './commands/info.js';
import { pluginsCommand } from './commands/plugins.js';
import type { CliIO } from './output.js';
import { CLI_VERSION } from './version.js';

/** Every command group of `trellis`, in help order. Adding a group is one line here. */
const COMMAND_GROUPS: readonly CommandGroup[] = [infoCommand, configCommand, pluginsCommand];

/**
 * Builds the `trellis` program: global options (`--json`, `--version`, `--help`) and every
 * {@link CommandGroup}. All output goes through `io`, and commander throws a `CommanderError`
 * instead of calling `process.exit`, so {@link run} decides the exit code.
 */
export function createProgram(io: CliIO): Command {
  const program = new Command('trellis')
    .description('Inspect and operate a Trellis platform: config, plugins, audit log, security.')
    .version(CLI_VERSION, '-v, --version', 'print the trellis CLI version')
    .option('--json', 'print one JSON document to stdout instead of human text')
    .helpOption('-h, --help', 'show help for a command')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "trellis --help" for usage)')
    .exitOverride();
  for (const addGroup of COMMAND_GROUPS) addGroup(program, io);
  return program;
}
