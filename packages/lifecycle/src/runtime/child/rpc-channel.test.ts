import { describe, expect, it } from '@jest/globals';
import { CALLBACK_METHODS } from './protocol.js';
import { RpcChannel } from './rpc-channel.js';
import { currentTraceparent, runWithTraceparent } from './trace-context.js';
import { fromWireError } from './wire-error.js';

/** Two channels wired to each other through structured cloning, as across a worker boundary. */
function pair(callTimeoutMs = 200) {
  const problems: { side: string; method: string; error: unknown }[] = [];
  const make = (side: string, deliver: (message: unknown) => void) =>
    new RpcChannel({
      send: (message) => {
        const copy = structuredClone(message);
        setImmediate(() => deliver(copy));
      },
      callTimeoutMs,
      timeoutError: (method, ms) => Object.assign(new Error(`${side}: ${method} ${ms}`), { code: 'TIMEOUT' }),
      rebuildError: fromWireError,
      onProblem: (error, method) => problems.push({ side, method, error }),
    });
  const a: RpcChannel = make('a', (message) => b.receive(message));
  const b: RpcChannel = make('b', (message) => a.receive(message));
  return { a, b, problems };
}

describe('RpcChannel', () => {
  it('answers calls with values that keep their types, Buffers included', async () => {
    const { a, b } = pair();
    b.handle('echo', (args) => args);
    const value = {
      when: new Date(0),
      map: new Map([[1, 'one']]),
      bytes: Buffer.from('hi'),
      nested: [{ n: 1 }],
    };
    const [echoed] = (await a.call('echo', [value])) as [typeof value];
    expect(echoed).toEqual(value);
    expect(Buffer.isBuffer(echoed.bytes)).toBe(true);
  });

  it('rebuilds errors with their code, fix and details, thrown or inside a value', async () => {
    const { a, b } = pair();
    const failure = Object.assign(new Error('nope'), { code: 'E_NOPE', fix: 'do not', details: { n: 1 } });
    b.handle('fail', () => {
      throw failure;
    });
    b.handle('wrap', () => ({ err: failure }));
    await expect(a.call('fail', [])).rejects.toMatchObject({
      message: 'nope',
      code: 'E_NOPE',
      fix: 'do not',
      details: { n: 1 },
    });
    const { err } = (await a.call('wrap', [])) as { err: Error };
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'E_NOPE' });
  });

  it('turns functions into callbacks the other side can call until they are released', async () => {
    const { a, b } = pair();
    b.handle('apply', async ([fn, x]) => (fn as (n: unknown) => Promise<unknown>)(x));
    b.handle('keep', ([fn]) => fn);
    await expect(a.call('apply', [(n: number) => n * 2, 21])).resolves.toBe(42);
    // A function coming back is a callable proxy of the original.
    const back = (await a.call('keep', [(n: number) => n + 1])) as (n: number) => Promise<number>;
    await expect(back(1)).resolves.toBe(2);
    const id = a.callbacks.register(() => 'x');
    a.callbacks.release(id);
    await expect(b.call(CALLBACK_METHODS.invoke, [id])).rejects.toThrow(/released/);
  });

  it('releases a callback when the other side says so', async () => {
    const { a, b } = pair();
    const id = a.callbacks.register(() => 1);
    b.releaseRemote(id);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.callbacks.get(id)).toBeUndefined();
  });

  it('carries the traceparent into the handler and into calls the handler makes back', async () => {
    const { a, b } = pair();
    a.handle('whoami', () => currentTraceparent());
    b.handle('ask', async () => [currentTraceparent(), await b.call('whoami', [])]);
    await expect(runWithTraceparent('tp-1', () => a.call('ask', []))).resolves.toEqual(['tp-1', 'tp-1']);
    await expect(a.call('ask', [], { traceparent: 'tp-2' })).resolves.toEqual(['tp-2', 'tp-2']);
    await expect(a.call('ask', [])).resolves.toEqual([undefined, undefined]);
  });

  it('times out calls nobody answers, and drops the late answer', async () => {
    const { a, b } = pair(50);
    b.handle('slow', () => new Promise((resolve) => setTimeout(() => resolve('late'), 100)));
    await expect(a.call('slow', [])).rejects.toMatchObject({ code: 'TIMEOUT', message: 'a: slow 50' });
    await expect(a.call('slow', [], { timeoutError: () => new Error('mine') })).rejects.toThrow('mine');
    await new Promise((resolve) => setTimeout(resolve, 120));
  });

  it('rejects pending and later calls once closed, and forgets its callbacks', async () => {
    const { a, b } = pair();
    b.handle('never', () => new Promise(() => {}));
    a.callbacks.register(() => 1);
    const pending = a.call('never', []);
    a.close(new Error('gone'));
    a.close(new Error('twice'));
    await expect(pending).rejects.toThrow('gone');
    await expect(a.call('never', [])).rejects.toThrow('gone');
    expect(a.closed).toBe(true);
    expect(a.callbacks.size).toBe(0);
    a.notify('anything', []);
  });

  it('reports what it cannot do: unknown methods, failing notifications, uncloneable results', async () => {
    const { a, b, problems } = pair();
    b.handle('boom', () => {
      throw new Error('notified badly');
    });
    b.handle('socket', () => ({
      fn: new (class Holder {
        f = () => 1;
      })(),
    }));
    await expect(a.call('missing', [])).rejects.toThrow('Unknown method "missing"');
    a.notify('boom', []);
    a.notify('missing', []);
    await expect(a.call('socket', [])).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(problems.map((p) => [p.side, p.method])).toEqual([
      ['b', 'boom'],
      ['b', 'missing'],
    ]);
    b.receive(null);
    b.receive({ t: 'bogus' });
  });

  it('rejects a call whose arguments cannot be sent', async () => {
    const { a } = pair();
    await expect(a.call('x', [Symbol('not cloneable')])).rejects.toMatchObject({ name: 'DataCloneError' });
  });
});
