import { describe, expect, it } from '@jest/globals';
import { TrellisError } from '@trellis/core';
import { type CliIO, printError, printResult } from './output.js';

function captureIO(): CliIO & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

const human = { json: false };
const json = { json: true };

describe('printResult', () => {
  it('prints exactly one JSON document to stdout with --json', () => {
    const io = captureIO();
    printResult(io, [{ name: 'cache' }], json);
    expect(JSON.parse(io.out())).toEqual([{ name: 'cache' }]);
    expect(io.err()).toBe('');
  });

  it('prints an object as aligned key: value lines', () => {
    const io = captureIO();
    printResult(io, { name: 'cache', version: '1.2.0', tags: ['a'] }, human);
    expect(io.out()).toBe('name:    cache\nversion: 1.2.0\ntags:    ["a"]\n');
  });

  it('prints an array of flat objects as a table', () => {
    const io = captureIO();
    printResult(
      io,
      [
        { name: 'cache', state: 'active' },
        { name: 'security', state: 'failed' },
      ],
      human,
    );
    expect(io.out()).toBe('name      state\ncache     active\nsecurity  failed\n');
  });

  it('prints an array of scalars one per line and an empty array as (none)', () => {
    const io = captureIO();
    printResult(io, ['a', 'b'], human);
    printResult(io, [], human);
    expect(io.out()).toBe('a\nb\n(none)\n');
  });

  it('prints a scalar as itself and other shapes as indented JSON', () => {
    const io = captureIO();
    printResult(io, 'done', human);
    printResult(io, [{ nested: { a: 1 } }], human);
    expect(io.out()).toBe(`done\n${JSON.stringify([{ nested: { a: 1 } }], null, 2)}\n`);
  });
});

describe('printError', () => {
  const error = new TrellisError('CONFIG_INVALID', 'config.yaml: port must be a number.', {
    fix: 'Set port to an integer.',
  });

  it('prints a TrellisError as CODE: message on stderr', () => {
    const io = captureIO();
    printError(io, error, human);
    expect(io.err()).toBe(
      'CONFIG_INVALID: config.yaml: port must be a number. Fix: Set port to an integer.\n',
    );
    expect(io.out()).toBe('');
  });

  it('prints a TrellisError as { "error": toJSON() } on stdout with --json', () => {
    const io = captureIO();
    printError(io, error, json);
    expect(JSON.parse(io.out())).toEqual({ error: error.toJSON() });
    expect(io.err()).toBe('');
  });

  it('prints the message of any other error', () => {
    const io = captureIO();
    printError(io, new RangeError('boom'), human);
    printError(io, 'plain string', human);
    expect(io.err()).toBe('boom\nplain string\n');
  });

  it('prints any other error as its name and message with --json', () => {
    const thrown = captureIO();
    printError(thrown, new RangeError('boom'), json);
    expect(JSON.parse(thrown.out())).toEqual({ error: { name: 'RangeError', message: 'boom' } });
    const notAnError = captureIO();
    printError(notAnError, 42, json);
    expect(JSON.parse(notAnError.out())).toEqual({ error: { name: 'Error', message: '42' } });
  });
});
