import { describe, expect, it } from '@jest/globals';
import { jsonErrorLocation, jsonErrorOffset, lineColumnAt } from './json-error-location.js';

const syntaxError = (text: string): SyntaxError => {
  try {
    JSON.parse(text);
  } catch (error) {
    return error as SyntaxError;
  }
  throw new Error(`${text} is valid JSON`);
};

describe('jsonErrorLocation', () => {
  it("uses the line and column in Node's message", () => {
    const text = '{\n  "a": 1,\n}';
    expect(jsonErrorLocation(text, syntaxError(text))).toEqual({
      line: 3,
      column: 1,
      problem: 'Expected double-quoted property name',
    });
  });

  it('computes line and column from a bare position', () => {
    const error = new SyntaxError('Unexpected number in JSON at position 7');
    expect(jsonErrorLocation('{\n "a": 01}', error)).toEqual({
      line: 2,
      column: 6,
      problem: 'Unexpected number',
    });
  });

  it('scans for the position when the message has none', () => {
    const text = '{"list": [1,]}';
    expect(jsonErrorLocation(text, syntaxError(text))).toEqual({
      line: 1,
      column: 13,
      problem: "Unexpected token ']'",
    });
  });

  it('strips a long snippet from the message', () => {
    const text = `{"padding": "${'x'.repeat(40)}", "value": tru }`;
    const { problem, line, column } = jsonErrorLocation(text, syntaxError(text));
    expect(problem).toBe("Unexpected token ' '");
    expect({ line, column }).toEqual({ line: 1, column: text.indexOf('tru') + 1 });
  });

  it('falls back to the start when the text is valid after all', () => {
    expect(jsonErrorLocation('{}', new SyntaxError('odd'))).toEqual({ line: 1, column: 1, problem: 'odd' });
  });
});

describe('jsonErrorOffset', () => {
  it('is undefined for valid JSON', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"\\/"]} ', '0']) {
      expect(jsonErrorOffset(text)).toBeUndefined();
    }
  });

  it.each([
    ['[1,]', 3],
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['{a: 1}', 1],
    ['{"a": tru}', 6],
    ['{"a": 01}', 7],
    ['{"a": -}', 6],
    ['"bad \\x escape"', 6],
    ['"bad \\u12 escape"', 6],
    ['"tab\there"', 4],
    ['"open', 5],
    ['[1 2]', 3],
    ['{} {}', 3],
    ['', 0],
    ['{"a":', 5],
    ['"\\', 2],
  ])('finds where %j goes wrong (%i)', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});

describe('jsonErrorOffset on deep nesting', () => {
  it('gives up without throwing when nesting exhausts the stack', () => {
    expect(jsonErrorOffset('['.repeat(1_000_000))).toBeUndefined();
  });
});

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
