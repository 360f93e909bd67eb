import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../time/manual-clock.js';
import { createPlatform } from './create-platform.js';
import { defineModule } from './module.js';
import { installShutdownHandlers, type SignalSource } from './shutdown.js';

function fakeProcess(): SignalSource & EventEmitter {
  return new EventEmitter() as SignalSource & EventEmitter;
}

function setup(stop: () => void | Promise<void>, moduleClock = new ManualClock()) {
  const exits: number[] = [];
  const signals = fakeProcess();
  const clock = new ManualClock();
  const module = defineModule({ name: 'worker', register: () => {}, stop, stopTimeoutMs: 60_000 });
  const platform = createPlatform({
    logLevel: 'silent',
    modules: [module],
    services: { clock: moduleClock },
  });
  const handlers = installShutdownHandlers(platform, {
    process: signals,
    clock,
    timeoutMs: 10_000,
    exit: (code) => void exits.push(code),
  });
  return { exits, signals, clock, platform, handlers };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('installShutdownHandlers', () => {
  it('stops the platform on SIGTERM and exits 0 when every module stopped cleanly', async () => {
    let stopped = false;
    const { exits, signals, platform } = setup(() => {
      stopped = true;
    });
    await platform.start();
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    await settle();
    expect(stopped).toBe(true);
    expect(platform.state).toBe('stopped');
    expect(exits).toEqual([0]);
  });

  it('exits 1 when a module fails to stop', async () => {
    const { exits, signals, platform } = setup(() => {
      throw new Error('nope');
    });
    await platform.start();
    signals.emit('SIGINT', 'SIGINT');
    await settle();
    await settle();
    expect(exits).toEqual([1]);
  });

  it('exits 1 at the overall deadline when a stop hangs, without waiting for it', async () => {
    const { exits, signals, clock, platform } = setup(() => new Promise<void>(() => {}));
    await platform.start();
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(exits).toEqual([]);
    clock.advance(10_000);
    expect(exits).toEqual([1]);
  });

  it('exits at once with 128 + signal number on a second signal', async () => {
    const { exits, signals, platform } = setup(() => new Promise<void>(() => {}));
    await platform.start();
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
  });

  it('calls onStopped with the report before exiting', async () => {
    const signals = fakeProcess();
    const order: string[] = [];
    const platform = createPlatform({ logLevel: 'silent' });
    await platform.start();
    installShutdownHandlers(platform, {
      process: signals,
      exit: (code) => void order.push(`exit ${code}`),
      onStopped: (report) => void order.push(`stopped ${report.reason}`),
    });
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    await settle();
    expect(order).toEqual(['stopped received SIGTERM', 'exit 0']);
  });

  it('exits 1 when onStopped throws', async () => {
    const signals = fakeProcess();
    const exits: number[] = [];
    const platform = createPlatform({ logLevel: 'silent' });
    installShutdownHandlers(platform, {
      process: signals,
      exit: (code) => void exits.push(code),
      onStopped: () => {
        throw new Error('flush failed');
      },
    });
    signals.emit('SIGTERM', 'SIGTERM');
    await settle();
    await settle();
    expect(exits).toEqual([1]);
  });

  it('removes its handlers when disposed', () => {
    const { signals, handlers } = setup(() => {});
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    handlers.dispose();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });
});
