/**
 * Reads a stream (standard input by default) to its end as UTF-8 text, without the one line
 * ending a terminal or `echo` adds. Used for values that must not appear on the command line.
 *
 * @example
 * ```ts
 * const value = await readStdin(); // printf %s "$PASSWORD" | trellis config encrypt db.password
 * ```
 */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
