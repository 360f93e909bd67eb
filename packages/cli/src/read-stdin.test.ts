import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { readStdin } from './read-stdin.js';

describe('readStdin', () => {
  it('reads the whole stream as UTF-8 without one trailing line ending', async () => {
    await expect(readStdin(Readable.from([Buffer.from('pa'), Buffer.from('ß\n')]))).resolves.toBe('paß');
    await expect(readStdin(Readable.from(['two\nlines\r\n']))).resolves.toBe('two\nlines');
    await expect(readStdin(Readable.from(['keeps\n\n']))).resolves.toBe('keeps\n');
  });

  it('reads an empty stream as the empty string', async () => {
    await expect(readStdin(Readable.from([]))).resolves.toBe('');
  });
});
