import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import { duration, secret } from '../schema/markers.js';
import { coerceEnvValue } from './coerce-env-value.js';

const value = (text: string, schema: z.ZodType): unknown => {
  const result = coerceEnvValue(text, schema);
  if (!result.ok) throw new Error(`expected ${result.expected}`);
  return result.value;
};
const expected = (text: string, schema: z.ZodType): string => {
  const result = coerceEnvValue(text, schema);
  if (result.ok) throw new Error(`coerced to ${JSON.stringify(result.value)}`);
  return result.expected;
};

describe('coerceEnvValue', () => {
  describe('numbers', () => {
    it('round-trips integers through String', () => {
      fc.assert(fc.property(fc.integer(), (n) => value(String(n), z.number()) === n));
    });

    it('round-trips finite doubles through String', () => {
      fc.assert(
        fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
          expect(value(String(n), z.number().optional())).toBe(n === 0 ? 0 : n);
        }),
      );
    });

    it.each(['', '  ', 'abc', 'NaN', 'Infinity', '-Infinity', '5s'])('rejects %j', (text) => {
      expect(expected(text, z.number())).toBe('a number such as 5000');
    });

    it('reads int schemas as numbers', () => {
      expect(value(' 42 ', z.int())).toBe(42);
    });
  });

  describe('booleans', () => {
    const spellings = fc.constantFrom(
      ['true', true],
      ['false', false],
      ['1', true],
      ['0', false],
      ['yes', true],
      ['no', false],
      ['on', true],
      ['off', false],
    );
    const anyCase = (text: string) =>
      fc
        .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
        .map((upper) => [...text].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(''));

    it('accepts every spelling in any case', () => {
      fc.assert(
        fc.property(
          spellings.chain(([text, meaning]) => anyCase(text).map((spelled) => [spelled, meaning] as const)),
          ([text, meaning]) => {
            expect(value(text, z.boolean())).toBe(meaning);
          },
        ),
      );
    });

    it('rejects anything else', () => {
      expect(expected('maybe', z.boolean().default(false))).toContain('true or false');
    });
  });

  describe('durations', () => {
    it('keeps text in ms and s for the schema to convert', () => {
      fc.assert(
        fc.property(fc.nat(), fc.constantFrom('ms', 's'), (n, unit) => {
          const text = `${n}${unit}`;
          expect(value(text, duration())).toBe(text);
          expect(duration().parse(value(text, duration()))).toBe(unit === 'ms' ? n : n * 1000);
        }),
      );
    });

    it('rejects text that is not a duration', () => {
      expect(expected('soon', duration())).toContain('a duration such as 250ms, 5s');
    });
  });

  describe('lists', () => {
    it('round-trips integer lists through comma-join and JSON', () => {
      fc.assert(
        fc.property(fc.array(fc.integer(), { minLength: 1 }), (numbers) => {
          const schema = z.array(z.number());
          expect(value(numbers.join(','), schema)).toEqual(numbers);
          expect(value(numbers.join(' , '), schema)).toEqual(numbers);
          expect(value(JSON.stringify(numbers), schema)).toEqual(numbers);
        }),
      );
    });

    it('trims string items and reads empty text as an empty list', () => {
      expect(value(' a , b ,c', z.array(z.string()))).toEqual(['a', 'b', 'c']);
      expect(value('', z.array(z.string()))).toEqual([]);
    });

    it('names the item type when an item cannot be read', () => {
      expect(expected('1,x,3', z.array(z.number()))).toBe(
        'comma-separated values (or a JSON array), each a number such as 5000',
      );
    });

    it('rejects text that starts like JSON but is not an array', () => {
      expect(expected('[1, 2', z.array(z.number()))).toContain('a JSON array such as ["a", "b"]');
    });
  });

  describe('objects and records', () => {
    it('round-trips objects through JSON.stringify', () => {
      const json = fc.dictionary(fc.string(), fc.jsonValue());
      fc.assert(
        fc.property(json, (object) => {
          expect(value(JSON.stringify(object), z.record(z.string(), z.unknown()))).toEqual(
            JSON.parse(JSON.stringify(object)),
          );
        }),
      );
      expect(value('{"host": "a", "port": 1}', z.object({ host: z.string(), port: z.number() }))).toEqual({
        host: 'a',
        port: 1,
      });
    });

    it.each(['[1]', 'null', 'host=a', '"text"'])('rejects %j', (text) => {
      expect(expected(text, z.object({}))).toBe('a JSON object such as {"key": "value"}');
    });
  });

  describe('other kinds', () => {
    it('passes strings and secrets through unchanged', () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          expect(value(text, z.string())).toBe(text);
          expect(value(text, secret())).toBe(text);
        }),
      );
    });

    it('reads a secret of another type as that type', () => {
      expect(value('1234', secret(z.number()))).toBe(1234);
      expect(expected('abcd', secret(z.number()))).toBe('a number such as 5000');
    });

    it('matches enum and literal values by their text', () => {
      expect(value('debug', z.enum(['debug', 'info']))).toBe('debug');
      expect(value('5', z.literal(5))).toBe(5);
      expect(value('true', z.literal(true))).toBe(true);
      expect(value('loud', z.enum(['debug', 'info']))).toBe('loud');
    });

    it('reads unions and unknown values as JSON when they parse, else as text', () => {
      const union = z.union([z.number(), z.string()]);
      expect(value('42', union)).toBe(42);
      expect(value('null', union)).toBeNull();
      expect(value('hello', union)).toBe('hello');
      expect(value('{"a":1}', z.unknown())).toEqual({ a: 1 });
    });
  });
});
