import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonErrorOffset, lineAndColumn, parseJsonText } from './parse-json-text.js';

/** The offset V8 reports for `text`, when its message has one. */
function v8Offset(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const match = /at position (\d+)/.exec(String(error));
    return match ? Number(match[1]) : undefined;
  }
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON texts, most of them damaged by deleting, inserting or replacing a few characters. */
const jsonish = fc
  .tuple(
    fc
      .tuple(fc.jsonValue(), fc.constantFrom(0, 2))
      .map(([value, indent]) => JSON.stringify(value, null, indent)),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 2 }),
        fc.constantFrom(...'{}[]",:.-+eE0123456789 \n\t\\utrfalsn\u0001x'),
      ),
      {
        maxLength: 3,
      },
    ),
  )
  .map(([text, edits]) =>
    edits.reduce((current, [at, kind, char]) => {
      const i = current.length === 0 ? 0 : at % current.length;
      if (kind === 0) return current.slice(0, i) + current.slice(i + 1);
      if (kind === 1) return current.slice(0, i) + char + current.slice(i);
      return current.slice(0, i) + char + current.slice(i + 1);
    }, text),
  );

describe('jsonErrorOffset', () => {
  it('is undefined exactly when JSON.parse accepts the text', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        expect(jsonErrorOffset(text) === undefined).toBe(isValidJson(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees with the position V8 reports, when it reports one', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        const expected = v8Offset(text);
        if (expected !== undefined) expect(jsonErrorOffset(text)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['[,]', 1],
    ['{"a":}', 5],
    ['falsy', 4],
    ['tru', 3],
    ['', 0],
    ['"\\x"', 2],
    ['"\\u12g4"', 5],
    ['"a\u0001"', 2],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['1 2', 2],
    ['-', 1],
    ['1.', 2],
    ['1e+', 3],
  ])('finds the error in %j at offset %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('gives up (undefined) on nesting too deep to scan', () => {
    expect(jsonErrorOffset('['.repeat(200_000))).toBeUndefined();
  });
});

describe('parseJsonText', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJsonText('{"a": [1, "x"]}')).toEqual({ ok: true, value: { a: [1, 'x'] } });
  });

  it("keeps V8's description and position when it gives one", () => {
    expect(parseJsonText('{\n  "a": 1,\n}')).toEqual({
      ok: false,
      error: { problem: 'Expected double-quoted property name', line: 3, column: 1 },
    });
  });

  it('never quotes the text, finding the position itself instead', () => {
    const result = parseJsonText('{\n  "password": hunter2-CANARY\n}');
    expect(result).toEqual({ ok: false, error: { problem: 'Unexpected character', line: 2, column: 15 } });
    expect(JSON.stringify(result)).not.toContain('CANARY');
  });

  it('reports an unexpected end of input at the end', () => {
    expect(parseJsonText('{"a":\n')).toEqual({
      ok: false,
      error: { problem: 'Unexpected end of input', line: 2, column: 1 },
    });
  });

  it('reports line 1 column 1 when nesting is too deep to locate the error', () => {
    expect(parseJsonText('['.repeat(200_000))).toMatchObject({ ok: false, error: { line: 1, column: 1 } });
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
