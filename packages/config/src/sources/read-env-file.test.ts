import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigParseError } from '../errors.js';
import { parseEnvText, readEnvFile } from './read-env-file.js';

const entries = (text: string) => Object.fromEntries(parseEnvText(text, '.env'));
const values = (text: string) =>
  Object.fromEntries([...parseEnvText(text, '.env')].map(([key, e]) => [key, e.value]));
const failure = (text: string): ConfigParseError => {
  try {
    parseEnvText(text, '.env');
  } catch (error) {
    if (error instanceof ConfigParseError) return error;
    throw error;
  }
  throw new Error('expected a ConfigParseError');
};

describe('parseEnvText', () => {
  it('reads KEY=value lines with the line of each key', () => {
    expect(entries('# settings\n\nTRELLIS_A=1\nexport TRELLIS_B=two\n')).toEqual({
      TRELLIS_A: { value: '1', line: 3 },
      TRELLIS_B: { value: 'two', line: 4 },
    });
  });

  it('trims unquoted values and strips inline comments', () => {
    expect(
      values('A=  spaced value  \nB=value # comment\nC=a#b\nD= # only a comment\nE=\n  F = g\r\n'),
    ).toEqual({
      A: 'spaced value',
      B: 'value',
      C: 'a#b',
      D: '',
      E: '',
      F: 'g',
    });
  });

  it('keeps single-quoted values literally', () => {
    expect(values("A='a \\n # b'  # comment\nB=''\n")).toEqual({ A: 'a \\n # b', B: '' });
  });

  it('understands escapes in double-quoted values', () => {
    expect(values('A="line\\nnext\\ttab \\"q\\" back\\\\slash \\$kept"\n')).toEqual({
      A: 'line\nnext\ttab "q" back\\slash \\$kept',
    });
  });

  it('lets quoted values span lines and keeps counting lines after them', () => {
    expect(entries('A="first\nsecond"\nB=\'x\ny\'\nC=3\n')).toEqual({
      A: { value: 'first\nsecond', line: 1 },
      B: { value: 'x\ny', line: 3 },
      C: { value: '3', line: 5 },
    });
  });

  it('lets a later line with the same key win', () => {
    expect(entries('A=1\nA=2\n')).toEqual({ A: { value: '2', line: 2 } });
  });

  it('skips a byte-order mark', () => {
    expect(values('\uFEFFA=1')).toEqual({ A: '1' });
  });

  it('reports a line without = at its line and column', () => {
    const error = failure('A=1\n  just words\n');
    expect(error.message).toContain('.env:2:3: expected KEY=value');
  });

  it('reports an invalid key', () => {
    expect(failure('A=1\nexport 1BAD=2\n').message).toContain(
      '.env:2:8: expected KEY=value, where KEY is letters',
    );
    expect(failure('MY-KEY=2\n').message).toContain('.env:1:1: expected KEY=value');
  });

  it('reports an unterminated quote at the opening quote', () => {
    expect(failure('A=1\nB= "never closed\nC=3\n').message).toContain('.env:2:4: unterminated double quote');
    expect(failure("A='open\n").message).toContain('.env:1:3: unterminated single quote');
  });

  it('reports text after a closing quote on the line where the quote closes', () => {
    expect(failure('A="x\ny" trailing\n').message).toContain(
      '.env:2:4: unexpected text after the closing quote',
    );
  });
});

describe('readEnvFile', () => {
  it('reads a file and resolves to undefined when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trellis-env-'));
    try {
      await writeFile(join(dir, '.env'), 'TRELLIS_A=1\n');
      expect(await readEnvFile(join(dir, '.env'))).toEqual(new Map([['TRELLIS_A', { value: '1', line: 1 }]]));
      expect(await readEnvFile(join(dir, 'missing.env'))).toBeUndefined();
      await expect(readEnvFile(dir)).rejects.toMatchObject({ code: 'EISDIR' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
