/** Where a JSON text first fails to parse, and why, in words that never quote the text. */
export interface JsonSyntaxProblem {
  /** What is wrong, e.g. `Expected ',' or '}' after property value`. */
  readonly problem: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** Result of {@link parseJsonText}: the value, or where and why it failed. */
export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: JsonSyntaxProblem };

const V8_POSITION = /^(.*) in JSON at position (\d+)/;

/**
 * Parses JSON and, when it is malformed, reports the line and column of the first error.
 *
 * V8's own message is kept only in its `... in JSON at position N` form; its other form quotes
 * the text around the error, and that text may be key material or a plaintext secret, so it is
 * replaced by a neutral description and the position is found by {@link jsonErrorOffset}.
 */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message =
      typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : '';
    const positioned = V8_POSITION.exec(message);
    const offset = positioned ? Number(positioned[2]) : (jsonErrorOffset(text) ?? 0);
    const problem =
      positioned?.[1] ?? (offset >= text.length ? 'Unexpected end of input' : 'Unexpected character');
    return { ok: false, error: { problem, ...lineAndColumn(text, offset) } };
  }
}

/** 1-based line and column of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

class SyntaxStop {
  constructor(readonly offset: number) {}
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * Character offset of the first JSON syntax error in `text`, or undefined when `text` is valid
 * JSON (or nested too deeply to scan). Follows RFC 8259 exactly as `JSON.parse` does.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxStop(i);
  };
  const skipSpace = () => {
    while (WHITESPACE.has(text[i] ?? '')) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail();
    i++;
  };
  const digits = () => {
    if (!isDigit(text[i])) fail();
    while (isDigit(text[i])) i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      i++;
      if (c === '"') return;
      if (c !== '\\') continue;
      if (SIMPLE_ESCAPES.has(text[i] ?? '')) i++;
      else if (text[i] === 'u') {
        i++;
        for (let n = 0; n < 4; n++) {
          if (!isHex(text[i])) fail();
          i++;
        }
      } else fail();
    }
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const literal = (word: string) => {
    for (const c of word) expect(c);
  };
  const members = (close: string, member: () => void) => {
    i++;
    skipSpace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      skipSpace();
      if (text[i] !== ',') break;
      i++;
      skipSpace();
    }
    expect(close);
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{')
      members('}', () => {
        string();
        skipSpace();
        expect(':');
        value();
      });
    else if (c === '[') members(']', value);
    else if (c === '"') string();
    else if (c === '-' || isDigit(c)) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else fail();
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxStop) return error.offset;
    return undefined; // RangeError: nesting too deep to scan; the caller reports offset 0
  }
}
