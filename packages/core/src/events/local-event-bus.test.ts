import { describe, expect, it, jest } from '@jest/globals';
import { LocalEventBus } from './local-event-bus.js';

interface Events {
  greet: { name: string };
  other: number;
}

describe('LocalEventBus', () => {
  it('delivers payloads to listeners in subscription order', () => {
    const bus = new LocalEventBus<Events>();
    const seen: string[] = [];
    bus.on('greet', (p) => void seen.push(`a:${p.name}`));
    bus.on('greet', (p) => void seen.push(`b:${p.name}`));
    bus.emit('greet', { name: 'x' });
    expect(seen).toEqual(['a:x', 'b:x']);
  });

  it('keeps delivering to other listeners when one throws, and reports the error', () => {
    const failures: unknown[] = [];
    const bus = new LocalEventBus<Events>();
    bus.onListenerError((f) => failures.push(f));
    const after = jest.fn();
    bus.on('other', () => {
      throw new Error('boom');
    });
    bus.on('other', after);
    expect(() => bus.emit('other', 1)).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    expect(failures).toEqual([{ event: 'other', error: new Error('boom') }]);
  });

  it('reports a rejected async listener without rejecting emit', async () => {
    const fallback = jest.fn();
    const bus = new LocalEventBus<Events>({ fallback });
    bus.on('other', async () => {
      throw new Error('later');
    });
    bus.emit('other', 2);
    await new Promise((r) => setImmediate(r));
    expect(fallback).toHaveBeenCalledWith({ event: 'other', error: new Error('later') });
  });

  it('emitAsync waits for async listeners and never rejects', async () => {
    const bus = new LocalEventBus<Events>({ fallback: () => {} });
    const order: string[] = [];
    bus.on('other', async () => {
      await new Promise((r) => setImmediate(r));
      order.push('slow');
    });
    bus.on('other', () => {
      throw new Error('sync');
    });
    await expect(bus.emitAsync('other', 3)).resolves.toBeUndefined();
    expect(order).toEqual(['slow']);
  });

  it('once listeners fire a single time', () => {
    const bus = new LocalEventBus<Events>();
    const listener = jest.fn();
    bus.once('other', listener);
    bus.emit('other', 1);
    bus.emit('other', 2);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount('other')).toBe(0);
  });

  it('disposing one of two subscriptions of the same function keeps the other', () => {
    const bus = new LocalEventBus<Events>();
    const listener = jest.fn();
    const first = bus.on('other', listener);
    bus.on('other', listener);
    first.dispose();
    first.dispose();
    bus.emit('other', 1);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a subscription added during emit hears only the next emit', () => {
    const bus = new LocalEventBus<Events>();
    const late = jest.fn();
    bus.on('other', () => void bus.on('other', late));
    bus.emit('other', 1);
    expect(late).not.toHaveBeenCalled();
    bus.emit('other', 2);
    expect(late).toHaveBeenCalledWith(2);
  });

  it('a throwing error listener goes to the fallback instead of recursing', () => {
    const fallback = jest.fn();
    const bus = new LocalEventBus<Events>({ fallback });
    bus.onListenerError(() => {
      throw new Error('error listener broke');
    });
    bus.on('other', () => {
      throw new Error('first');
    });
    bus.emit('other', 1);
    expect(fallback).toHaveBeenCalledWith({ event: 'other', error: new Error('error listener broke') });
  });
});
