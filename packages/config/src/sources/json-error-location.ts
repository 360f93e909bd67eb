/** Where, and why, a JSON text failed to parse. */
export interface JsonErrorLocation {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The parser's message without its position, e.g. `Expected double-quoted property name`. */
  readonly problem: string;
}

const POSITION = /\s*in JSON at position (\d+)(?: \(line (\d+) column (\d+)\))?/;
const SNIPPET = /, (?:\.\.\.)?".*" is not valid JSON$/s;

/**
 * Locates the `SyntaxError` that `JSON.parse(text)` threw. Node reports most errors as
 * `... at position 42 (line 3 column 5)`; for the rest (`Unexpected token ']', "[1,]" is not valid
 * JSON`, `Unexpected end of JSON input`) the position is found by scanning the text.
 */
export function jsonErrorLocation(text: string, error: SyntaxError): JsonErrorLocation {
  const match = POSITION.exec(error.message);
  const problem = error.message.replace(POSITION, '').replace(SNIPPET, '');
  if (match?.[2] !== undefined && match[3] !== undefined) {
    return { line: Number(match[2]), column: Number(match[3]), problem };
  }
  const offset = match ? Number(match[1]) : (jsonErrorOffset(text) ?? 0);
  return { ...lineColumnAt(text, offset), problem };
}

/** The 1-based line and column of a character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

class JsonSyntax {
  constructor(readonly offset: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The offset of the first character at which `text` stops being valid JSON (its length when the
 * text ends too early), or undefined when it is valid (or nested too deeply to scan).
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntax(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i += 1;
  };
  const expect = (char: string) => {
    if (text.charAt(i) !== char) fail();
    i += 1;
  };
  const string = () => {
    expect('"');
    for (;;) {
      const char = text.charAt(i);
      if (char < ' ') fail(); // also the end of the text, where charAt gives ''
      if (char === '"') break;
      if (char === '\\') {
        i += 1;
        const escaped = text.charAt(i);
        if (escaped === 'u' && HEX4.test(text.slice(i + 1, i + 5))) i += 4;
        else if (escaped === '' || !'"\\/bfnrt'.includes(escaped)) fail();
      }
      i += 1;
    }
    i += 1;
  };
  const list = (open: string, close: string, item: () => void) => {
    expect(open);
    space();
    if (text.charAt(i) === close) {
      i += 1;
      return;
    }
    for (;;) {
      space();
      item();
      space();
      if (text.charAt(i) === close) break;
      expect(',');
    }
    i += 1;
  };
  const value = (): void => {
    space();
    const char = text.charAt(i);
    if (char === '{') {
      list('{', '}', () => {
        string();
        space();
        expect(':');
        value();
      });
    } else if (char === '[') {
      list('[', ']', value);
    } else if (char === '"') {
      string();
    } else {
      const word = ['true', 'false', 'null'].find((literal) => text.startsWith(literal, i));
      NUMBER.lastIndex = i;
      const number = word === undefined ? NUMBER.exec(text) : null;
      if (word === undefined && number === null) fail();
      i += word?.length ?? number?.[0].length ?? 0;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    // Anything else is the stack running out on absurdly deep nesting: no position to offer.
    return error instanceof JsonSyntax ? error.offset : undefined;
  }
}
