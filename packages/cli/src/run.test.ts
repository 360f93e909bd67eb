import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import type { Command } from 'commander';
import { CommandExit } from './command-exit.js';
import { printOptionsOf } from './command-group.js';
import { CliSchemaUnavailableError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';
import { type CliIO, printResult } from './output.js';
import { createProgram } from './program.js';
import { run } from './run.js';

interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `trellis <argv>` with captured output; `extend` may add commands to the program first. */
async function runCaptured(
  argv: string[],
  extend?: (program: Command, io: CliIO) => void,
): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const program = createProgram(io);
  extend?.(program, io);
  const code = await run(argv, io, program);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const configInvalid = new TrellisError('CONFIG_INVALID', 'config.yaml: port must be a number.', {
  fix: 'Set port to an integer.',
});

/** A test-only command that fails the way package operations fail. */
function addFailingCommand(program: Command): void {
  program.command('fail').action(() => {
    throw configInvalid;
  });
}

describe('run', () => {
  it('lists the commands and the --json option in --help, and exits 0', async () => {
    const result = await runCaptured(['--help']);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toMatch(/Usage: trellis/);
    expect(result.stdout).toMatch(/^\s+info\b/m);
    expect(result.stdout).toMatch(/--json/);
  });

  it('prints help for a command through `trellis help <command>`, and exits 0', async () => {
    const result = await runCaptured(['help', 'info']);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toMatch(/Usage: trellis info/);
  });

  it('prints help to stderr and exits 2 when no command is given', async () => {
    const result = await runCaptured([]);
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toMatch(/Usage: trellis/);
  });

  it('prints the CLI version for --version, and exits 0', async () => {
    const result = await runCaptured(['--version']);
    expect(result).toEqual({ code: EXIT_CODES.OK, stdout: '0.1.0\n', stderr: '' });
  });

  it('prints `info --json` as one JSON document with the four fields', async () => {
    const result = await runCaptured(['info', '--json']);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stderr).toBe('');
    expect(Object.keys(JSON.parse(result.stdout)).sort()).toEqual(['cli', 'node', 'platform', 'platformApi']);
  });

  it('accepts --json before the command too', async () => {
    const result = await runCaptured(['--json', 'info']);
    expect(JSON.parse(result.stdout)).toMatchObject({ cli: '0.1.0' });
  });

  it('prints `info` as key: value lines', async () => {
    const result = await runCaptured(['info']);
    expect(result.code).toBe(EXIT_CODES.OK);
    expect(result.stdout).toMatch(/^cli:\s+0\.1\.0$/m);
    expect(result.stdout).toMatch(/^node:\s+v\d+/m);
  });

  it('exits 2 with a message on stderr for an unknown command', async () => {
    const result = await runCaptured(['nope']);
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toMatch(/unknown command 'nope'/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 with a message on stderr for an unknown option', async () => {
    const result = await runCaptured(['info', '--bogus']);
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('exits 2 when a command argument is missing', async () => {
    const result = await runCaptured(['greet'], (program) => {
      program.command('greet <name>').action(() => undefined);
    });
    expect(result.code).toBe(EXIT_CODES.USAGE);
    expect(result.stderr).toMatch(/missing required argument 'name'/);
  });

  it('exits 1 and prints the code on stderr when a command throws a TrellisError', async () => {
    const result = await runCaptured(['fail'], addFailingCommand);
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(result.stderr).toBe(`CONFIG_INVALID: ${configInvalid.message}\n`);
    expect(result.stdout).toBe('');
  });

  it('exits 1 and prints the error as JSON on stdout with --json', async () => {
    const result = await runCaptured(['fail', '--json'], addFailingCommand);
    expect(result.code).toBe(EXIT_CODES.FAILURE);
    expect(JSON.parse(result.stdout)).toEqual({ error: configInvalid.toJSON() });
    expect(result.stderr).toBe('');
  });

  it('exits 1 with the message for an unexpected error', async () => {
    const result = await runCaptured(['crash'], (program) => {
      program.command('crash').action(async () => {
        throw new TypeError('x is undefined');
      });
    });
    expect(result).toEqual({ code: EXIT_CODES.FAILURE, stdout: '', stderr: 'x is undefined\n' });
  });

  it('exits 3 when a needed file cannot be found (ENOENT)', async () => {
    const result = await runCaptured(['read'], (program) => {
      program.command('read').action(() => {
        throw Object.assign(new Error("ENOENT: no such file or directory, open 'x.yaml'"), {
          code: 'ENOENT',
        });
      });
    });
    expect(result).toEqual({
      code: EXIT_CODES.UNAVAILABLE,
      stdout: '',
      stderr: "ENOENT: no such file or directory, open 'x.yaml'\n",
    });
  });

  it('exits 3 and prints the error when the schema module cannot be loaded', async () => {
    const result = await runCaptured(['load', '--json'], (program) => {
      program.command('load').action(() => {
        throw new CliSchemaUnavailableError('/app/schema.mjs', 'the file does not exist');
      });
    });
    expect(result.code).toBe(EXIT_CODES.UNAVAILABLE);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'CLI_SCHEMA_UNAVAILABLE' } });
  });

  it('returns the code of a CommandExit without printing anything more', async () => {
    const result = await runCaptured(['check'], (program, io) => {
      program.command('check').action(() => {
        io.stdout('2 problems\n');
        throw new CommandExit(EXIT_CODES.FAILURE, 'invalid');
      });
    });
    expect(result).toEqual({ code: EXIT_CODES.FAILURE, stdout: '2 problems\n', stderr: '' });
  });

  it('lets a command group print through the output convention', async () => {
    const result = await runCaptured(['demo', '--json'], (program, io) => {
      program.command('demo').action((_options: unknown, command: Command) => {
        printResult(io, [{ name: 'cache' }], printOptionsOf(command));
      });
    });
    expect(JSON.parse(result.stdout)).toEqual([{ name: 'cache' }]);
  });
});
