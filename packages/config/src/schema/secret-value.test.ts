import { Console } from 'node:console';
import { format, inspect } from 'node:util';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { isSecret, REDACTED_TEXT, Secret } from './secret-value.js';

const CANARY = 'CANARY-7f3a9c';
const secret = new Secret(CANARY);

describe('Secret', () => {
  it('returns the value from reveal()', () => {
    expect(secret.reveal()).toBe(CANARY);
    expect(new Secret({ nested: CANARY }).reveal()).toEqual({ nested: CANARY });
  });

  it('is frozen and has no enumerable state', () => {
    expect(Object.isFrozen(secret)).toBe(true);
    expect(Object.keys(secret)).toEqual([]);
    expect({ ...secret }).toEqual({});
  });

  describe('JSON.stringify', () => {
    it('writes [redacted] for a secret, alone and nested in objects and arrays', () => {
      expect(JSON.stringify(secret)).toBe(`"${REDACTED_TEXT}"`);
      const text = JSON.stringify(
        { db: { password: secret, list: [secret, { deep: [[secret]] }] } },
        null,
        2,
      );
      expect(text).not.toContain(CANARY);
      expect(text).toContain('"password": "[redacted]"');
    });

    it('writes [redacted] for a secret of an object', () => {
      expect(JSON.stringify(new Secret({ token: CANARY }))).toBe('"[redacted]"');
    });
  });

  describe('util.inspect', () => {
    it('shows Secret([redacted])', () => {
      expect(inspect(secret)).toBe('Secret([redacted])');
    });

    it.each([
      ['an object', { db: { password: secret } }],
      ['an array', [secret, [secret]]],
      ['a deep structure', { a: { b: { c: { d: { e: [secret] } } } } }],
      ['a Map and a Set', { map: new Map([[secret, secret]]), set: new Set([secret]) }],
      ['an error', Object.assign(new Error('failed', { cause: secret }), { password: secret })],
    ])('never shows the value nested in %s, at any depth or option', (_case, value) => {
      for (const options of [
        {},
        { depth: Number.POSITIVE_INFINITY },
        { showHidden: true, depth: 20 },
        { customInspect: false },
      ]) {
        expect(inspect(value, options)).not.toContain(CANARY);
      }
    });

    it('never shows the value through format directives', () => {
      expect(format('%s %o %O %j %d %i', secret, secret, secret, secret, secret, secret)).not.toContain(
        CANARY,
      );
      expect(format('%s', { password: secret })).not.toContain(CANARY);
    });
  });

  describe('string conversion', () => {
    it('is [redacted] in String(), template literals and concatenation', () => {
      expect(String(secret)).toBe(REDACTED_TEXT);
      expect(`password=${secret}`).toBe('password=[redacted]');
      expect(`x${new Secret(42)}`).toBe('x[redacted]');
      expect(secret.toString()).toBe(REDACTED_TEXT);
      // biome-ignore lint/style/useTemplate: concatenation is the conversion under test
      expect('password=' + secret).toBe('password=[redacted]');
    });

    it('is [redacted] in error messages built with it', () => {
      const error = new Error(`could not connect with ${secret}`);
      expect(error.message).toBe('could not connect with [redacted]');
      expect(String(error)).not.toContain(CANARY);
      expect(error.stack).not.toContain(CANARY);
    });
  });

  describe('console output', () => {
    const written: string[] = [];
    afterEach(() => {
      jest.restoreAllMocks();
      written.length = 0;
    });

    /** A console writing to the real process streams, captured (Jest replaces the global console). */
    function capturedConsole(): Console {
      const capture = (chunk: unknown) => {
        written.push(String(chunk));
        return true;
      };
      jest.spyOn(process.stdout, 'write').mockImplementation(capture);
      jest.spyOn(process.stderr, 'write').mockImplementation(capture);
      return new Console({ stdout: process.stdout, stderr: process.stderr });
    }

    it('never prints the value through console.log, error, dir or table', () => {
      const out = capturedConsole();
      out.log(secret);
      out.log('password: %s', secret);
      out.log({ db: { password: secret }, list: [secret] });
      out.error(new Error(`bad ${secret}`));
      out.dir({ nested: { deep: { deeper: [secret] } } }, { depth: null });
      out.table([{ password: secret }]);
      const output = written.join('');
      expect(output).toContain('Secret([redacted])');
      expect(output).not.toContain(CANARY);
    });
  });
});

describe('isSecret', () => {
  it('is true only for Secret instances', () => {
    expect(isSecret(secret)).toBe(true);
    expect(isSecret(CANARY)).toBe(false);
    expect(isSecret({ reveal: () => CANARY })).toBe(false);
  });
});
