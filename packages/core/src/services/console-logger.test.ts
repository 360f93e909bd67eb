import { describe, expect, it, jest } from '@jest/globals';
import { TrellisError } from '../errors/trellis-error.js';
import { ManualClock } from '../time/manual-clock.js';
import { ConsoleLogger, type ConsoleLoggerOptions } from './console-logger.js';
import type { LogLevel } from './logger.js';

type LogRecord = Record<string, unknown>;

/** A logger writing into an array, with time from a ManualClock at 1,000. */
function setup(options: Omit<ConsoleLoggerOptions, 'destination' | 'clock'> = {}) {
  const lines: string[] = [];
  const clock = new ManualClock(1_000);
  const logger = new ConsoleLogger({ ...options, clock, destination: { write: (line) => lines.push(line) } });
  const records = (): LogRecord[] => lines.map((line) => JSON.parse(line) as LogRecord);
  const last = (): LogRecord => {
    const all = records();
    const record = all[all.length - 1];
    if (record === undefined) throw new Error('nothing was logged');
    return record;
  };
  return { logger, lines, clock, records, last };
}

/** The serialised `err` of the last record. */
function lastErr(last: () => LogRecord): LogRecord {
  return last().err as LogRecord;
}

describe('ConsoleLogger', () => {
  describe('format', () => {
    it('writes one JSON object per line, terminated by a newline', () => {
      const { logger, lines } = setup();
      logger.info('first');
      logger.info('second');
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toContain('\n');
      }
    });

    it('writes pino fields: numeric level, time from the clock, and msg', () => {
      const { logger, last } = setup();
      logger.info('hello');
      expect(last()).toEqual({ level: 30, time: 1_000, msg: 'hello' });
    });

    it('takes time from the clock at the moment of the call', () => {
      const { logger, clock, records } = setup();
      logger.info('a');
      clock.advance(250);
      logger.info('b');
      expect(records().map((r) => r.time)).toEqual([1_000, 1_250]);
    });

    it.each([
      ['trace', 10],
      ['debug', 20],
      ['info', 30],
      ['warn', 40],
      ['error', 50],
      ['fatal', 60],
    ] as const)('writes %s records with level %i', (method, level) => {
      const { logger, last } = setup({ level: 'trace' });
      logger[method]('m');
      expect(last().level).toBe(level);
    });

    it('merges a fields object into the record, with the message as msg', () => {
      const { logger, last } = setup();
      logger.info({ userId: 7, path: '/x' }, 'request');
      expect(last()).toEqual({ level: 30, time: 1_000, userId: 7, path: '/x', msg: 'request' });
    });

    it('omits msg when only fields are given', () => {
      const { logger, last } = setup();
      logger.info({ count: 3 });
      expect(last()).toEqual({ level: 30, time: 1_000, count: 3 });
    });

    it('writes to process.stdout when no destination is given', () => {
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        new ConsoleLogger().info('to stdout');
        expect(write).toHaveBeenCalledWith(expect.stringContaining('"msg":"to stdout"'));
      } finally {
        write.mockRestore();
      }
    });
  });

  describe('levels', () => {
    it('defaults to info', () => {
      const { logger, records } = setup();
      logger.debug('hidden');
      logger.info('shown');
      expect(logger.level).toBe('info');
      expect(records().map((r) => r.msg)).toEqual(['shown']);
    });

    it('writes only records at or above the configured level', () => {
      const { logger, records } = setup({ level: 'warn' });
      logger.trace('t');
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
      logger.fatal('f');
      expect(records().map((r) => r.msg)).toEqual(['w', 'e', 'f']);
    });

    it('writes everything at trace', () => {
      const { logger, lines } = setup({ level: 'trace' });
      logger.trace('t');
      logger.debug('d');
      expect(lines).toHaveLength(2);
    });

    it('writes nothing when silent, not even fatal', () => {
      const { logger, lines } = setup({ level: 'silent' });
      for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logger[method]('x');
      expect(lines).toEqual([]);
    });

    it('exposes the level it was created with', () => {
      const levels: LogLevel[] = ['trace', 'error', 'silent'];
      expect(levels.map((level) => setup({ level }).logger.level)).toEqual(levels);
    });
  });

  describe('bindings and child loggers', () => {
    it('adds constructor bindings to every record', () => {
      const { logger, last } = setup({ bindings: { service: 'api' } });
      logger.info('x');
      expect(last()).toMatchObject({ service: 'api', msg: 'x' });
    });

    it('a child adds its bindings to those of its parent', () => {
      const { logger, last } = setup({ bindings: { platform: 'shop' } });
      logger.child({ plugin: 'hello' }).info('x');
      expect(last()).toMatchObject({ platform: 'shop', plugin: 'hello' });
    });

    it('a child binding overrides a parent binding with the same name', () => {
      const { logger, last } = setup({ bindings: { component: 'parent' } });
      logger.child({ component: 'child' }).info('x');
      expect(last().component).toBe('child');
    });

    it('call fields override bindings', () => {
      const { logger, last } = setup({ bindings: { requestId: 'a' } });
      logger.info({ requestId: 'b' }, 'x');
      expect(last().requestId).toBe('b');
    });

    it('leaves the parent without the child bindings', () => {
      const { logger, last } = setup();
      logger.child({ plugin: 'hello' });
      logger.info('x');
      expect(last()).not.toHaveProperty('plugin');
    });

    it('nested children accumulate bindings', () => {
      const { logger, last } = setup();
      logger.child({ a: 1 }).child({ b: 2 }).info('x');
      expect(last()).toMatchObject({ a: 1, b: 2 });
    });

    it('a child keeps the level, destination and clock of its parent', () => {
      const { logger, lines, last } = setup({ level: 'warn' });
      const child = logger.child({ c: true });
      child.info('filtered');
      child.warn('kept');
      expect(child.level).toBe('warn');
      expect(lines).toHaveLength(1);
      expect(last()).toMatchObject({ time: 1_000, msg: 'kept' });
    });
  });

  describe('errors', () => {
    it('serialises an Error passed as the fields object under err', () => {
      const { logger, last } = setup();
      const error = new TypeError('bad input');
      logger.error(error, 'failed');
      expect(last().msg).toBe('failed');
      expect(last().err).toEqual({ type: 'TypeError', message: 'bad input', stack: error.stack });
    });

    it('serialises an Error found in a field', () => {
      const { logger, last } = setup();
      logger.error({ err: new Error('boom'), module: 'cache' }, 'failed');
      expect(lastErr(last)).toMatchObject({ type: 'Error', message: 'boom' });
      expect(last().module).toBe('cache');
    });

    it('keeps the stack of an error', () => {
      const { logger, last } = setup();
      logger.error({ err: new Error('boom') });
      expect(lastErr(last).stack).toEqual(expect.stringContaining('boom'));
    });

    it('keeps the code of an error that has one', () => {
      const { logger, last } = setup();
      logger.error({ err: new TrellisError('SOME_CODE', 'went wrong') });
      expect(lastErr(last)).toMatchObject({ type: 'TrellisError', code: 'SOME_CODE' });
    });

    it('keeps a non-string code, such as an errno', () => {
      const { logger, last } = setup();
      logger.error({ err: Object.assign(new Error('io'), { code: -2 }) });
      expect(lastErr(last).code).toBe(-2);
    });

    it('leaves code out when the error has none', () => {
      const { logger, last } = setup();
      logger.error({ err: new Error('plain') });
      expect(lastErr(last)).not.toHaveProperty('code');
    });

    it('serialises an Error cause recursively', () => {
      const { logger, last } = setup();
      const root = Object.assign(new Error('socket closed'), { code: 'ECONNRESET' });
      const middle = new Error('query failed', { cause: root });
      logger.error({ err: new Error('request failed', { cause: middle }) });
      const err = lastErr(last);
      expect(err.message).toBe('request failed');
      expect(err.cause).toMatchObject({
        type: 'Error',
        message: 'query failed',
        cause: { type: 'Error', message: 'socket closed', code: 'ECONNRESET' },
      });
    });

    it('leaves out a cause that is not an Error', () => {
      const { logger, last } = setup();
      logger.error({ err: new Error('outer', { cause: 'a string' }) });
      expect(lastErr(last)).not.toHaveProperty('cause');
    });

    it('does not throw on a cause chain that loops', () => {
      const { logger, last } = setup();
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      Object.assign(a, { cause: b });
      expect(() => logger.error({ err: a })).not.toThrow();
      expect(lastErr(last)).toMatchObject({ message: 'a', cause: { message: 'b', cause: '[Circular]' } });
    });
  });

  describe('values JSON cannot hold', () => {
    it('writes a circular reference as "[Circular]" instead of throwing', () => {
      const { logger, last } = setup();
      const node: LogRecord = { name: 'root' };
      node.self = node;
      expect(() => logger.info({ node }, 'cyclic')).not.toThrow();
      expect(last().node).toEqual({ name: 'root', self: '[Circular]' });
    });

    it('writes an object referenced twice, but not circularly, in full both times', () => {
      const { logger, last } = setup();
      const user = { id: 1 };
      logger.info({ author: user, editor: user, list: [user, user] });
      expect(last()).toMatchObject({ author: { id: 1 }, editor: { id: 1 }, list: [{ id: 1 }, { id: 1 }] });
    });

    it('detects a cycle that passes through several objects', () => {
      const { logger, last } = setup();
      const a: LogRecord = { name: 'a' };
      const b: LogRecord = { name: 'b', a };
      a.b = b;
      logger.info({ a });
      expect(last().a).toEqual({ name: 'a', b: { name: 'b', a: '[Circular]' } });
    });

    it('writes a BigInt as its decimal string instead of throwing', () => {
      const { logger, last } = setup();
      expect(() => logger.info({ big: 12345678901234567890n })).not.toThrow();
      expect(last().big).toBe('12345678901234567890');
    });
  });
});
