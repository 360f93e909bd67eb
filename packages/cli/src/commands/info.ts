import { TRELLIS_VERSION } from '@trellis/core';
import type { Command } from 'commander';
import { type CommandGroup, printOptionsOf } from '../command-group.js';
import { printResult } from '../output.js';
import { CLI_VERSION } from '../version.js';

/** What `trellis info` reports: the versions in use and where the CLI runs. */
export interface CliInfo {
  /** The `@trellis/cli` version. */
  readonly cli: string;
  /** The Trellis platform API version (`@trellis/core`), which plugin `platform` ranges are checked against. */
  readonly platformApi: string;
  /** The Node.js version, e.g. `v24.1.0`. */
  readonly node: string;
  /** Operating system and CPU architecture, e.g. `linux-x64`. */
  readonly platform: string;
}

/** Collects the {@link CliInfo} of the running process. */
export function collectInfo(): CliInfo {
  return {
    cli: CLI_VERSION,
    platformApi: TRELLIS_VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** `trellis info`: prints {@link collectInfo}, as `key: value` lines or `--json`. */
export const infoCommand: CommandGroup = (program, io) => {
  program
    .command('info')
    .description('show the CLI and platform API versions and the Node.js runtime')
    .action((_options: unknown, command: Command) => {
      printResult(io, collectInfo(), printOptionsOf(command));
    });
};
