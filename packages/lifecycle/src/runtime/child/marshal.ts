import type { WireError } from './protocol.js';
import { toWireError } from './wire-error.js';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Functions this side handed to the other side, by id. The other side calls them back by id
 * (`fn`); whoever registered a function releases it when it knows the other side is done.
 */
export class CallbackTable {
  #nextId = 1;
  readonly #functions = new Map<number, AnyFunction>();

  /** Stores `fn` and returns the id the other side calls it by. */
  register(fn: AnyFunction): number {
    const id = this.#nextId++;
    this.#functions.set(id, fn);
    return id;
  }

  /** The function with `id`, or undefined once released. */
  get(id: number): AnyFunction | undefined {
    return this.#functions.get(id);
  }

  /** Forgets `id`; later calls to it fail. */
  release(id: number): void {
    this.#functions.delete(id);
  }

  /** Forgets every function, when the boundary closes. */
  clear(): void {
    this.#functions.clear();
  }

  /** How many functions are held, to check that nothing leaks. */
  get size(): number {
    return this.#functions.size;
  }
}

/**
 * What to do with functions inside a value: `callback` turns each into a `{ $fn: id }`
 * reference the other side can call; `drop` leaves them out (log fields, event payloads).
 */
export type FunctionMode = 'callback' | 'drop';

/** A value ready for structured cloning, with the ids of the callbacks registered for it. */
export interface Marshalled {
  readonly value: unknown;
  readonly callbackIds: readonly number[];
}

/**
 * Prepares `value` for the boundary: functions become callback references (or are dropped),
 * errors become wire errors (`{ $error }`) so `code`, `fix` and `details` survive, and Buffers are
 * tagged (`{ $buffer }`) so they arrive as Buffers rather than plain Uint8Arrays. Plain objects
 * and arrays are copied; other objects (Date, Map, typed arrays...) are left to structured cloning.
 * An own object of the form `{ $fn: number }` in user data is read as a callback: avoid that key.
 */
export function marshal(value: unknown, table: CallbackTable, mode: FunctionMode): Marshalled {
  const callbackIds: number[] = [];
  const seen = new Map<object, unknown>();
  const walk = (input: unknown): unknown => {
    if (typeof input === 'function') {
      if (mode === 'drop') return undefined;
      const id = table.register(input as AnyFunction);
      callbackIds.push(id);
      return { $fn: id };
    }
    if (typeof input !== 'object' || input === null) return input;
    const known = seen.get(input);
    if (known !== undefined) return known;
    if (isErrorLike(input)) return { $error: toWireError(input) };
    if (Buffer.isBuffer(input)) return { $buffer: new Uint8Array(input) };
    if (Array.isArray(input)) {
      const out: unknown[] = [];
      seen.set(input, out);
      for (const item of input) out.push(walk(item));
      return out;
    }
    if (!isPlainObject(input)) return input;
    const out: Record<string, unknown> = {};
    seen.set(input, out);
    for (const [key, item] of Object.entries(input)) {
      const copied = walk(item);
      if (copied !== undefined || item === undefined) out[key] = copied;
    }
    return out;
  };
  return { value: walk(value), callbackIds };
}

/** How {@link unmarshal} turns references back into live values. */
export interface UnmarshalHooks {
  /** A function that calls the other side's callback `id`. */
  remoteFunction(id: number): AnyFunction;
  /** An error rebuilt from its wire form. */
  rebuildError(wire: WireError): Error;
}

/** Reverses {@link marshal} on a freshly cloned value, in place. */
export function unmarshal(value: unknown, hooks: UnmarshalHooks): unknown {
  const seen = new Set<object>();
  const walk = (input: unknown): unknown => {
    if (typeof input !== 'object' || input === null || seen.has(input)) return input;
    if (Array.isArray(input)) {
      seen.add(input);
      for (let i = 0; i < input.length; i++) input[i] = walk(input[i]);
      return input;
    }
    if (!isPlainObject(input)) return input;
    const record = input as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1) {
      if (typeof record.$fn === 'number') return hooks.remoteFunction(record.$fn);
      if (isWireError(record.$error)) return hooks.rebuildError(record.$error);
      if (record.$buffer instanceof Uint8Array) {
        const bytes = record.$buffer;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
    }
    seen.add(input);
    for (const key of keys) record[key] = walk(record[key]);
    return input;
  };
  return walk(value);
}

// Plain objects from any realm: messages are deserialized in Node's main realm, while the code
// handling them may run in another (a vm context, Jest), whose Object.prototype differs.
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isErrorLike(value: object): boolean {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as WireError).name === 'string' &&
    typeof (value as WireError).message === 'string'
  );
}
