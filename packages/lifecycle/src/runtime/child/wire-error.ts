import type { WireError } from './protocol.js';

/** The error fields that cross the boundary, read duck-typed (errors from other realms included). */
export function toWireError(error: unknown): WireError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: typeof error === 'string' ? error : String(error) };
  }
  const source = error as Record<string, unknown>;
  const wire: { -readonly [K in keyof WireError]: WireError[K] } = {
    name: typeof source.name === 'string' ? source.name : 'Error',
    message: typeof source.message === 'string' ? source.message : String(error),
  };
  if (typeof source.code === 'string') wire.code = source.code;
  if (typeof source.fix === 'string') wire.fix = source.fix;
  if (typeof source.stack === 'string') wire.stack = source.stack;
  const details = plainDetails(source.details);
  if (details !== undefined) wire.details = details;
  return wire;
}

/** An `Error` carrying a wire error's fields, for the plugin side (it has no TrellisError). */
export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message) as Error & Record<string, unknown>;
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.fix !== undefined) error.fix = wire.fix;
  error.details = wire.details ?? {};
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

/** Details that survive structured cloning: anything else is dropped rather than failing the send. */
function plainDetails(details: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  try {
    return structuredClone(details) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
