import type { Readable } from 'node:stream';

const MAX_LINE = 8_192;

/**
 * Calls `onLine` for each line `stream` produces (the last partial line when it ends). Lines
 * longer than 8 KB are cut, so a child printing without newlines cannot grow the host's memory.
 */
export function readLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      onLine(buffered.slice(0, Math.min(newline, MAX_LINE)));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > MAX_LINE) {
      onLine(buffered.slice(0, MAX_LINE));
      buffered = '';
    }
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
    buffered = '';
  });
}
