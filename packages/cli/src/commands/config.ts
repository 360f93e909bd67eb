import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  backupConfig,
  type ConfigTarget,
  diffConfigSources,
  encryptConfigValue,
  explainConfigPath,
  Keyring,
  listConfigBackups,
  loadKeyring,
  migrateConfigFiles,
  printConfig,
  restoreConfig,
  rotateConfigKey,
  type SnapshotInfo,
  validateConfigFiles,
} from '@trellis/config';
import type { Command } from 'commander';
import { CommandExit } from '../command-exit.js';
import { type CommandGroup, printOptionsOf } from '../command-group.js';
import { loadConfigSchemaModule } from '../config-schema-module.js';
import { CliConfigDirNotFoundError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatTable } from '../format-table.js';
import { type CliIO, printResult } from '../output.js';
import { readStdin } from '../read-stdin.js';

/** The options of the `config` group, shared by its commands. */
interface ConfigGroupOptions {
  readonly schema: string;
  readonly dir: string;
  readonly env?: string;
  readonly backups?: string;
}

/**
 * `trellis config ...`: validate, explain, print, diff, migrate, encrypt, rotate keys, back up and
 * restore configuration. Each command calls one operation of `@trellis/config` and prints its
 * result; secrets are never printed.
 */
export const configCommand: CommandGroup = (program, io) => {
  const config = program
    .command('config')
    .description('validate, inspect, migrate, encrypt, back up and restore configuration')
    .requiredOption(
      '--schema <module>',
      'ES module exporting configSchema or createConfigSchema() (and optionally currentVersion, migrations, ignoreEnv)',
    )
    .option('--dir <dir>', 'the config folder', 'config')
    .option('--env <name>', 'the environment (default: TRELLIS_ENV, then NODE_ENV, then development)')
    .option('--backups <dir>', 'the backups folder (default: <dir>/../.trellis/config-backups)');

  config
    .command('validate')
    .description(
      'load every layer and check it against the schema; exits 1 listing every problem when invalid',
    )
    .action(async (_options: unknown, command: Command) => {
      const result = await validateConfigFiles(await targetOf(command));
      if (printOptionsOf(command).json) printResult(io, result, { json: true });
      else if (result.valid) printResult(io, result, { json: false });
      else {
        const rows = result.problems.map((problem) => ({ ...problem, path: problem.path || '(root)' }));
        io.stdout(`${formatTable(rows)}\n`);
        const count = `${rows.length} problem${rows.length === 1 ? '' : 's'}`;
        io.stderr(`${result.code}: the configuration is invalid (${count}).\n`);
      }
      if (!result.valid) throw new CommandExit(EXIT_CODES.FAILURE, 'the configuration is invalid');
    });

  config
    .command('explain <path>')
    .description('show the value at a path (redacted if secret), its layer and where it comes from')
    .action(async (path: string, _options: unknown, command: Command) => {
      printResult(io, await explainConfigPath(await targetOf(command), path), printOptionsOf(command));
    });

  config
    .command('print')
    .description('list every resolved setting with its value (secrets redacted) and origin')
    .action(async (_options: unknown, command: Command) => {
      printResult(io, await printConfig(await targetOf(command)), printOptionsOf(command));
    });

  config
    .command('diff <a> <b>')
    .description('compare two config files (as written) or two environments (as resolved)')
    .action(async (a: string, b: string, _options: unknown, command: Command) => {
      printResult(io, await diffConfigSources(await targetOf(command), a, b), printOptionsOf(command));
    });

  config
    .command('migrate')
    .description("bring every config file to the schema module's currentVersion, after a backup")
    .option('--dry-run', 'show what would change and write nothing')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const dryRun = options.dryRun === true;
      const report = await migrateConfigFiles(await targetOf(command), { dryRun });
      if (printOptionsOf(command).json) return printResult(io, report, { json: true });
      if (report.files.length === 0) return io.stdout('Every config file is current; nothing to migrate.\n');
      const sections = report.files.map((file) => {
        const steps = file.steps.map((step) => step.description).join('; ');
        return `${file.file}: v${file.from} → v${file.to} (${steps})\n${formatTable(file.changes.map((change) => ({ ...change })))}`;
      });
      const outcome = dryRun
        ? 'Dry run: nothing was written.'
        : `Migrated ${report.files.length} file${report.files.length === 1 ? '' : 's'}; the previous files are in backup ${report.backupId}.`;
      io.stdout(`${sections.join('\n\n')}\n\n${outcome}\n`);
    });

  config
    .command('encrypt <path>')
    .description('encrypt a value for a secret path and store it in a config file')
    .option('--value-env <variable>', 'read the value from this environment variable (preferred)')
    .option('--value <value>', 'the value itself (visible in shell history and the process list)')
    .option('--file <file>', 'the file to store it in (default: <dir>/default.yaml or default.json)')
    .addHelpText('after', '\nWithout --value-env or --value, the value is read from standard input.')
    .action(async (path: string, options: EncryptOptions, command: Command) => {
      const value = await encryptValueOf(options, command, io);
      const result = await encryptConfigValue(await targetOf(command), { path, value, file: options.file });
      printResult(io, result, printOptionsOf(command));
    });

  config
    .command('rotate-key')
    .description('re-encrypt every secret under a new key, after a backup')
    .requiredOption('--new-key-id <id>', 'id of the new key (1 to 64 of A-Z a-z 0-9 . _ -)')
    .option(
      '--new-key-env <variable>',
      'read the new key (base64 of 32 bytes) from this environment variable',
    )
    .addHelpText('after', '\nWithout --new-key-env, a new key is generated and printed once to stderr.')
    .action(async (options: { newKeyId: string; newKeyEnv?: string }, command: Command) => {
      const target = await targetOf(command);
      const keyring = rotationKeyring(options, command, io);
      const result = await rotateConfigKey({ ...target, keyring });
      if (printOptionsOf(command).json) printResult(io, result, { json: true });
      else {
        const rows = result.files.map(({ file, rotated }) => ({
          file,
          rotated: rotated.length,
          paths: rotated.join(', '),
        }));
        io.stdout(`${formatTable(rows)}\n\nkeyId:    ${result.keyId}\nbackupId: ${result.backupId}\n`);
      }
      io.stderr(
        `Next: make "${result.keyId}" the active key (first in TRELLIS_CONFIG_KEYS, or "active" in the key file) ` +
          'and keep the old keys until every instance runs with it.\n',
      );
    });

  config
    .command('backup')
    .description('save a checksummed backup of every config file (never .env)')
    .option('--label <label>', 'a short description', 'manual backup')
    .action(async (options: { label: string }, command: Command) => {
      const info = await backupConfig(await targetOf(command), options.label);
      printResult(io, printOptionsOf(command).json ? info : backupRow(info), printOptionsOf(command));
    });

  config
    .command('restore <id>')
    .description('validate a backup, back up the current files, then put the backup back')
    .action(async (id: string, _options: unknown, command: Command) => {
      printResult(
        io,
        await restoreConfig(await targetOf(command, { dirMustExist: false }), id),
        printOptionsOf(command),
      );
    });

  config
    .command('history')
    .description('list the backups, oldest first')
    .action(async (_options: unknown, command: Command) => {
      const backups = await listConfigBackups(await targetOf(command, { dirMustExist: false }));
      printResult(
        io,
        printOptionsOf(command).json ? backups : backups.map(backupRow),
        printOptionsOf(command),
      );
    });
};

/** Options of `config encrypt`. */
interface EncryptOptions {
  readonly valueEnv?: string;
  readonly value?: string;
  readonly file?: string;
}

/** The {@link ConfigTarget} the group's options describe; loads the `--schema` module. */
async function targetOf(command: Command, { dirMustExist = true } = {}): Promise<ConfigTarget> {
  const options = command.optsWithGlobals<ConfigGroupOptions>();
  const dir = resolve(options.dir);
  if (dirMustExist && !isDirectory(dir)) throw new CliConfigDirNotFoundError(dir);
  const module = await loadConfigSchemaModule(options.schema);
  return {
    ...module,
    dir,
    environment: options.env,
    backupsDir: options.backups === undefined ? undefined : resolve(options.backups),
  };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The plaintext for `encrypt`: from `--value-env`, `--value` or standard input; a usage error when there is none. */
async function encryptValueOf(options: EncryptOptions, command: Command, io: CliIO): Promise<string> {
  if (options.valueEnv !== undefined && options.value !== undefined) {
    command.error('error: give the value with one of --value-env and --value, not both', { exitCode: 2 });
  }
  let value: string;
  if (options.valueEnv !== undefined) {
    const fromEnv = process.env[options.valueEnv];
    if (fromEnv === undefined)
      command.error(`error: environment variable ${options.valueEnv} is not set`, { exitCode: 2 });
    value = fromEnv as string;
  } else if (options.value !== undefined) {
    io.stderr(
      'warning: --value leaves the secret in shell history and the process list; prefer --value-env or stdin.\n',
    );
    value = options.value;
  } else {
    if (process.stdin.isTTY) io.stderr('Type the value, then press Enter and Ctrl-D:\n');
    value = await readStdin();
  }
  if (value === '') command.error('error: the value to encrypt is empty', { exitCode: 2 });
  return value;
}

/** The loaded keyring plus the new key, active; prints a generated key once to stderr. */
function rotationKeyring(
  options: { newKeyId: string; newKeyEnv?: string },
  command: Command,
  io: CliIO,
): Keyring {
  const fromEnv = options.newKeyEnv === undefined ? undefined : process.env[options.newKeyEnv];
  if (options.newKeyEnv !== undefined && fromEnv === undefined) {
    command.error(`error: environment variable ${options.newKeyEnv} is not set`, { exitCode: 2 });
  }
  const key = fromEnv ?? Keyring.generateKey();
  const source = options.newKeyEnv ?? 'generated key';
  const keyring = loadKeyring().withKey(options.newKeyId, key, { activate: true, source });
  if (fromEnv === undefined) {
    io.stderr(
      `warning: generated a new key "${options.newKeyId}". It is shown only this once and saved nowhere; ` +
        `store it now (e.g. in your secret manager), or the secrets encrypted with it are lost:\n` +
        `${options.newKeyId}:${key}\n`,
    );
  }
  return keyring;
}

/** A backup as a human-readable row. */
function backupRow(info: SnapshotInfo): Record<string, unknown> {
  return {
    id: info.id,
    created: Number.isNaN(info.createdAt) ? '' : new Date(info.createdAt).toISOString(),
    label: info.label,
    bytes: info.bytes,
    status: info.corrupt ? `corrupt: ${info.problem ?? 'unknown problem'}` : 'ok',
    file: basename(info.file),
  };
}
