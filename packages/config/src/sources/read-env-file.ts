import { ConfigParseError } from '../errors.js';
import { readTextIfExists } from './read-text-if-exists.js';

/** One variable from a `.env` file: its value and the 1-based line of its key. */
export interface EnvFileEntry {
  readonly value: string;
  readonly line: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPORT = /^export[ \t]+/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Reads a `.env` file (see {@link parseEnvText} for the syntax). Resolves to undefined when the
 * file does not exist.
 *
 * @throws {@link ConfigParseError} naming `file:line:column` of a malformed line.
 */
export async function readEnvFile(file: string): Promise<Map<string, EnvFileEntry> | undefined> {
  const text = await readTextIfExists(file);
  return text === undefined ? undefined : parseEnvText(text, file);
}

/**
 * Parses `.env` text, keeping the line of every variable so it can be named as an origin.
 *
 * - `KEY=value`, optionally `export KEY=value`; spaces around `=` are allowed.
 * - Blank lines and lines starting with `#` are skipped.
 * - Unquoted values are trimmed; a `#` at the start of the value or after whitespace starts a
 *   comment (`KEY=a#b` keeps `a#b`); `KEY=` is `''`.
 * - `'single quoted'` values are literal; `"double quoted"` values understand `\n`, `\r`, `\t`,
 *   `\"` and `\\` (any other backslash is kept). Both kinds may span lines; after the closing
 *   quote only a comment may follow.
 * - A later line with the same key wins.
 *
 * @throws {@link ConfigParseError} with `file:line:column` for a line without `=` or with an invalid
 * key (`expected KEY=value`), an unterminated quote (at the opening quote), or text after a
 * closing quote.
 */
export function parseEnvText(text: string, file: string): Map<string, EnvFileEntry> {
  const entries = new Map<string, EnvFileEntry>();
  let offset = text.startsWith('\uFEFF') ? 1 : 0;
  let line = 1;
  let lineStart = offset;
  const fail = (at: number, problem: string): never => {
    throw new ConfigParseError(file, line, at - lineStart + 1, problem);
  };
  const endOfLine = (from: number) => {
    const end = text.indexOf('\n', from);
    return end === -1 ? text.length : end;
  };

  while (offset < text.length) {
    const end = endOfLine(offset);
    const raw = text.slice(offset, end).replace(/\r$/, '');
    const body = raw.trimStart();
    let at = offset + raw.length - body.length;
    let next = end + 1;
    if (body !== '' && !body.startsWith('#')) {
      const rest = body.replace(EXPORT, '');
      at += body.length - rest.length;
      const equals = rest.indexOf('=');
      if (equals === -1) fail(at, 'expected KEY=value');
      const key = rest.slice(0, equals).trimEnd();
      if (!KEY.test(key))
        fail(at, `expected KEY=value, where KEY is letters, digits and _ ("${key}" is not)`);
      const keyLine = line;
      let start = at + equals + 1;
      while (text[start] === ' ' || text[start] === '\t') start += 1;
      const quote = text[start];
      let value: string;
      if (quote === '"' || quote === "'") {
        const close = closingQuote(text, start);
        if (close === -1) fail(start, `unterminated ${quote === '"' ? 'double' : 'single'} quote`);
        value = unquote(text.slice(start + 1, close), quote);
        // A quoted value may span lines: move the line count to where it closes.
        for (let i = text.indexOf('\n', start); i !== -1 && i < close; i = text.indexOf('\n', i + 1)) {
          line += 1;
          lineStart = i + 1;
        }
        const lineEnd = endOfLine(close);
        const after = text.slice(close + 1, lineEnd).replace(/\r$/, '');
        const stray = after.length - after.trimStart().length;
        if (!/^\s*(#.*)?$/.test(after)) fail(close + 1 + stray, 'unexpected text after the closing quote');
        next = lineEnd + 1;
      } else {
        value = text
          .slice(start, end)
          .replace(/\r$/, '')
          .replace(/(^|\s+)#.*$/, '')
          .trim();
      }
      entries.set(key, { value, line: keyLine });
    }
    offset = next;
    line += 1;
    lineStart = offset;
  }
  return entries;
}

/** The inside of a quoted value: literal in single quotes, with escapes read in double quotes. */
function unquote(inner: string, quote: string): string {
  return quote === '"' ? inner.replace(/\\(.)/gs, (all, char: string) => ESCAPES[char] ?? all) : inner;
}

/** The offset of the quote closing the one at `open`, skipping `\"` inside double quotes; -1 when none. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === quote) return i;
    if (quote === '"' && text[i] === '\\') i += 1;
  }
  return -1;
}
