import { CallbackTable, type FunctionMode, marshal, unmarshal } from './marshal.js';
import { CALLBACK_METHODS, type ChannelMessage, type ResultMessage, type WireError } from './protocol.js';
import { currentTraceparent, runWithTraceparent } from './trace-context.js';
import { toWireError } from './wire-error.js';

/** Options of {@link RpcChannel}: the transport and how errors are made on this side. */
export interface RpcChannelOptions {
  /** Posts one message to the other side; may throw (a value that cannot be cloned). */
  send(message: ChannelMessage): void;
  /** Deadline of calls that do not set their own, callbacks included. */
  readonly callTimeoutMs: number;
  /** The error a call rejects with when the other side does not answer in time. */
  timeoutError(method: string, timeoutMs: number): Error;
  /** Turns an error from the other side into one of this side. */
  rebuildError(wire: WireError): Error;
  /** Hears failures nobody awaits: a notification handler that threw, an unknown method. */
  onProblem?(error: unknown, method: string): void;
}

/** Options of one {@link RpcChannel.call}. */
export interface ChannelCallOptions {
  /** Default the channel's `callTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Replaces the channel's timeout error for this call (hook deadlines have their own). */
  readonly timeoutError?: () => Error;
  /** Default the trace current on this side. */
  readonly traceparent?: string | undefined;
  /** Default `callback`: functions in the arguments become callbacks, held until the channel closes. */
  readonly functions?: FunctionMode;
}

/** What a method handler gets: the arguments, unmarshalled. It may return a promise. */
export type ChannelHandler = (args: unknown[]) => unknown;

interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Symmetric request/response over a message port: the host and the plugin side each hold one.
 * Calls carry the caller's `traceparent` and are served inside it; functions crossing in either
 * direction become callbacks (`{ $fn: id }`) called back through `fn`. Once closed, pending and
 * later calls reject with the close error.
 */
export class RpcChannel {
  /** Functions of this side the other side may call back. */
  readonly callbacks = new CallbackTable();
  /** Deadline of calls that do not set their own; the plugin side learns the host's at load. */
  callTimeoutMs: number;
  readonly #options: RpcChannelOptions;
  readonly #handlers = new Map<string, ChannelHandler>();
  readonly #pending = new Map<number, PendingCall>();
  #nextId = 1;
  #closed: Error | undefined;

  constructor(options: RpcChannelOptions) {
    this.#options = options;
    this.callTimeoutMs = options.callTimeoutMs;
    this.handle(CALLBACK_METHODS.invoke, ([id, ...args]) => {
      const fn = typeof id === 'number' ? this.callbacks.get(id) : undefined;
      if (fn === undefined) throw new Error(`Callback ${String(id)} was released or never existed.`);
      return (fn as (...rest: unknown[]) => unknown)(...args);
    });
    this.handle(CALLBACK_METHODS.release, ([id]) => {
      if (typeof id === 'number') this.callbacks.release(id);
    });
  }

  /** Serves `method` to the other side. */
  handle(method: string, handler: ChannelHandler): void {
    this.#handlers.set(method, handler);
  }

  /** Runs `method` on the other side and resolves to its (unmarshalled) result. */
  call(method: string, args: readonly unknown[], options: ChannelCallOptions = {}): Promise<unknown> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const timeoutMs = options.timeoutMs ?? this.callTimeoutMs;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(options.timeoutError?.() ?? this.#options.timeoutError(method, timeoutMs));
      }, timeoutMs);
      // A pending call must not keep a process alive on its own; the worker or child does that.
      timer.unref();
      this.#pending.set(id, { resolve, reject, timer });
      try {
        const { value } = marshal(args, this.callbacks, options.functions ?? 'callback');
        const traceparent = 'traceparent' in options ? options.traceparent : currentTraceparent();
        this.#options.send({ t: 'call', id, method, args: value as unknown[], traceparent });
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(error);
      }
    });
  }

  /** Runs `method` on the other side without waiting; functions in `args` are dropped. */
  notify(method: string, args: readonly unknown[]): void {
    if (this.#closed !== undefined) return;
    const { value } = marshal(args, this.callbacks, 'drop');
    this.#options.send({ t: 'notify', method, args: value as unknown[], traceparent: currentTraceparent() });
  }

  /** A function that calls the other side's callback `id` (each call within `callTimeoutMs`). */
  remoteFunction(id: number): (...args: unknown[]) => Promise<unknown> {
    return (...args: unknown[]) => this.call(CALLBACK_METHODS.invoke, [id, ...args]);
  }

  /** Tells the other side it may forget callback `id`. */
  releaseRemote(id: number): void {
    this.notify(CALLBACK_METHODS.release, [id]);
  }

  /** Feeds one message from the other side in; anything that is not a protocol message is ignored. */
  receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as ChannelMessage;
    if (m.t === 'result' && typeof m.id === 'number') this.#settle(m);
    else if (m.t === 'call' && typeof m.id === 'number' && typeof m.method === 'string') void this.#serve(m);
    else if (m.t === 'notify' && typeof m.method === 'string')
      this.#notified(m.method, m.args, m.traceparent);
  }

  /** True once {@link RpcChannel.close} ran. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Rejects every pending call with `error`, as will every later call, and forgets all callbacks. */
  close(error: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
    this.callbacks.clear();
  }

  #settle(message: ResultMessage): void {
    const pending = this.#pending.get(message.id);
    // A late answer to a call that already timed out is dropped: its caller has moved on.
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(this.#unmarshal(message.value));
    else pending.reject(this.#options.rebuildError(message.error));
  }

  async #serve(message: Extract<ChannelMessage, { t: 'call' }>): Promise<void> {
    let reply: ResultMessage;
    try {
      const value = await this.#run(message.method, message.args, message.traceparent);
      reply = {
        t: 'result',
        id: message.id,
        ok: true,
        value: marshal(value, this.callbacks, 'callback').value,
      };
    } catch (error) {
      reply = { t: 'result', id: message.id, ok: false, error: toWireError(error) };
    }
    if (this.#closed !== undefined) return;
    try {
      this.#options.send(reply);
    } catch (error) {
      // The result could not be cloned (a class instance holding a function, a socket...).
      try {
        this.#options.send({ t: 'result', id: message.id, ok: false, error: toWireError(error) });
      } catch (sendError) {
        this.#options.onProblem?.(sendError, message.method);
      }
    }
  }

  #notified(method: string, args: unknown, traceparent: string | undefined): void {
    try {
      const result = this.#run(method, args, traceparent);
      if (result instanceof Promise)
        result.catch((error: unknown) => this.#options.onProblem?.(error, method));
    } catch (error) {
      this.#options.onProblem?.(error, method);
    }
  }

  #run(method: string, rawArgs: unknown, traceparent: string | undefined): unknown {
    const handler = this.#handlers.get(method);
    if (handler === undefined) throw new Error(`Unknown method "${method}".`);
    const args = Array.isArray(rawArgs) ? (this.#unmarshal(rawArgs) as unknown[]) : [];
    return runWithTraceparent(typeof traceparent === 'string' ? traceparent : undefined, () => handler(args));
  }

  #unmarshal(value: unknown): unknown {
    return unmarshal(value, {
      remoteFunction: (id) => this.remoteFunction(id),
      rebuildError: (wire) => this.#options.rebuildError(wire),
    });
  }
}
