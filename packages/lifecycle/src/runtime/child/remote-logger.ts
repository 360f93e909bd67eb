import type { LogFn, Logger } from '@trellis/core';
import { HOST_METHODS } from './protocol.js';
import type { RpcChannel } from './rpc-channel.js';

// pino's numbers, as in @trellis/core (which this side cannot import).
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

type Level = keyof typeof LEVELS;

/**
 * A logger whose records go to the host-side plugin logger with their level, bindings and
 * message. Records below the host logger's level are dropped here, so they cost no message.
 */
export function createRemoteLogger(
  channel: RpcChannel,
  level: string,
  bindings: Readonly<Record<string, unknown>> = {},
): Logger {
  const threshold = Object.hasOwn(LEVELS, level) ? LEVELS[level as Level] : Number.POSITIVE_INFINITY;
  const method = (name: Level): LogFn => {
    if (LEVELS[name] < threshold) return () => {};
    return (fieldsOrMessage: object | string, message?: string) => {
      const fields = typeof fieldsOrMessage === 'string' ? undefined : fieldsOrMessage;
      const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
      channel.notify(HOST_METHODS.log, [name, bindings, fields, msg]);
    };
  };
  return {
    level,
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    child: (more) => createRemoteLogger(channel, level, { ...bindings, ...more }),
  };
}
