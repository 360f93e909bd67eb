import { describe, expect, it, jest } from '@jest/globals';
import { ManualClock } from '@trellis/core';
import { ActivationController, type PluginActivationFailed } from './activation-controller.js';
import { type ActivationEvent, parseActivationEvent } from './activation-events.js';

function events(...texts: string[]): ActivationEvent[] {
  return texts.map((text) => {
    const event = parseActivationEvent(text);
    if (event === undefined) throw new Error(`${text} did not parse`);
    return event;
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const resolved = () => Promise.resolve();

describe('ActivationController', () => {
  it('activates the plugins whose route prefix matches at a segment boundary', async () => {
    const controller = new ActivationController();
    const hello = jest.fn(resolved);
    const helloWorld = jest.fn(resolved);
    controller.register({ name: 'hello', events: events('onRoute:/plugins/hello'), activate: hello });
    controller.register({
      name: 'hello-world',
      events: events('onRoute:/plugins/helloworld'),
      activate: helloWorld,
    });
    expect(await controller.trigger({ kind: 'route', value: '/plugins/hello/greet' })).toEqual(['hello']);
    expect(hello).toHaveBeenCalledTimes(1);
    expect(helloWorld).not.toHaveBeenCalled();
    expect(controller.isActive('hello')).toBe(true);
    expect(controller.isActive('hello-world')).toBe(false);
  });

  it('activates on service, event and command triggers', async () => {
    const controller = new ActivationController();
    controller.register({ name: 'billing', events: events('onService:acme.Invoices'), activate: resolved });
    controller.register({ name: 'mailer', events: events('onEvent:user.created'), activate: resolved });
    controller.register({ name: 'indexer', events: events('onCommand:reindex'), activate: resolved });
    expect(await controller.trigger({ kind: 'service', value: 'acme.Invoices' })).toEqual(['billing']);
    expect(await controller.trigger({ kind: 'event', value: 'user.created' })).toEqual(['mailer']);
    expect(await controller.trigger({ kind: 'command', value: 'reindex' })).toEqual(['indexer']);
    expect(await controller.trigger({ kind: 'command', value: 'user.created' })).toEqual([]);
  });

  it('activates every plugin a trigger matches, in registration order', async () => {
    const controller = new ActivationController();
    controller.register({ name: 'deep', events: events('onRoute:/a/b'), activate: resolved });
    controller.register({ name: 'root', events: events('onRoute:/'), activate: resolved });
    controller.register({ name: 'both', events: events('onRoute:/a', 'onRoute:/a/b'), activate: resolved });
    expect(await controller.trigger({ kind: 'route', value: '/a/b/c' })).toEqual(['deep', 'root', 'both']);
  });

  it('activates a plugin exactly once when triggers arrive while it is activating', async () => {
    const controller = new ActivationController();
    const gate = deferred();
    const activate = jest.fn(() => gate.promise);
    controller.register({ name: 'slow', events: events('onRoute:/slow', 'onEvent:go'), activate });
    const first = controller.trigger({ kind: 'route', value: '/slow' });
    const second = controller.trigger({ kind: 'route', value: '/slow/x' });
    const third = controller.trigger({ kind: 'event', value: 'go' });
    expect(controller.pending()).toEqual(['slow']);
    expect(controller.state('slow')).toBe('activating');
    gate.resolve();
    expect(await Promise.all([first, second, third])).toEqual([['slow'], ['slow'], ['slow']]);
    expect(await controller.trigger({ kind: 'route', value: '/slow' })).toEqual(['slow']);
    expect(activate).toHaveBeenCalledTimes(1);
    expect(controller.pending()).toEqual([]);
  });

  it('makes concurrent triggers wait until the shared activation finishes', async () => {
    const controller = new ActivationController();
    const gate = deferred();
    controller.register({ name: 'slow', events: events('onEvent:go'), activate: () => gate.promise });
    let settled = false;
    const waiting = controller.trigger({ kind: 'event', value: 'go' });
    const later = controller.trigger({ kind: 'event', value: 'go' }).then((names) => {
      settled = true;
      return names;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    gate.resolve();
    await expect(later).resolves.toEqual(['slow']);
    await waiting;
  });

  it('remembers a failed activation, reports it once and does not retry it', async () => {
    const controller = new ActivationController();
    const failures: PluginActivationFailed[] = [];
    controller.onActivationFailed((failure) => failures.push(failure));
    const activate = jest.fn(() => Promise.reject(new Error('no database')));
    controller.register({ name: 'broken', events: events('onRoute:/broken'), activate });
    expect(await controller.trigger({ kind: 'route', value: '/broken' })).toEqual([]);
    expect(await controller.trigger({ kind: 'route', value: '/broken/again' })).toEqual([]);
    expect(activate).toHaveBeenCalledTimes(1);
    expect(controller.state('broken')).toBe('failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ name: 'broken', trigger: { kind: 'route', value: '/broken' } });
    expect(failures[0]?.error).toEqual(new Error('no database'));
  });

  it('treats an activate() that throws synchronously as a failed activation', async () => {
    const controller = new ActivationController();
    const failed = jest.fn();
    controller.onActivationFailed(failed);
    controller.register({
      name: 'sync',
      events: events('onEvent:go'),
      activate: () => {
        throw new Error('sync boom');
      },
    });
    expect(await controller.trigger({ kind: 'event', value: 'go' })).toEqual([]);
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('activates a failed plugin again after reset', async () => {
    const controller = new ActivationController();
    const activate = jest
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(new Error('first try'))
      .mockResolvedValueOnce(undefined);
    controller.register({ name: 'flaky', events: events('onEvent:go'), activate });
    await controller.trigger({ kind: 'event', value: 'go' });
    expect(controller.reset('flaky')).toBe(true);
    expect(controller.state('flaky')).toBe('inactive');
    expect(await controller.trigger({ kind: 'event', value: 'go' })).toEqual(['flaky']);
    expect(activate).toHaveBeenCalledTimes(2);
  });

  it('does not reset an unknown, inactive or activating plugin', async () => {
    const controller = new ActivationController();
    const gate = deferred();
    controller.register({ name: 'slow', events: events('onEvent:go'), activate: () => gate.promise });
    controller.register({ name: 'idle', events: events('onEvent:other'), activate: resolved });
    const activating = controller.trigger({ kind: 'event', value: 'go' });
    expect(controller.reset('missing')).toBe(false);
    expect(controller.reset('idle')).toBe(false);
    expect(controller.reset('slow')).toBe(false);
    gate.resolve();
    await activating;
    expect(controller.reset('slow')).toBe(true);
  });

  it('reports each activation with its trigger and duration', async () => {
    const clock = new ManualClock(1_000);
    const controller = new ActivationController({ clock });
    const gate = deferred();
    const activated = jest.fn();
    controller.onActivated(activated);
    controller.register({ name: 'timed', events: events('onCommand:run'), activate: () => gate.promise });
    const running = controller.trigger({ kind: 'command', value: 'run' });
    clock.advance(250);
    gate.resolve();
    await running;
    expect(activated).toHaveBeenCalledWith({
      name: 'timed',
      trigger: { kind: 'command', value: 'run' },
      durationMs: 250,
    });
  });

  it('keeps its state when a listener throws, and stops calling a disposed listener', async () => {
    const controller = new ActivationController();
    const throwing = controller.onActivated(() => {
      throw new Error('listener bug');
    });
    const failedListener = jest.fn(() => {
      throw new Error('listener bug');
    });
    const failedSubscription = controller.onActivationFailed(failedListener);
    controller.register({ name: 'ok', events: events('onEvent:a'), activate: resolved });
    controller.register({
      name: 'bad',
      events: events('onEvent:b'),
      activate: () => Promise.reject(new Error('x')),
    });
    expect(await controller.trigger({ kind: 'event', value: 'a' })).toEqual(['ok']);
    await controller.trigger({ kind: 'event', value: 'b' });
    expect(controller.state('bad')).toBe('failed');
    throwing.dispose();
    failedSubscription.dispose();
    controller.reset('bad');
    await controller.trigger({ kind: 'event', value: 'b' });
    expect(failedListener).toHaveBeenCalledTimes(1);
  });

  it('forgets a plugin whose registration is disposed, and allows its name again', async () => {
    const controller = new ActivationController();
    const registration = controller.register({
      name: 'gone',
      events: events('onEvent:go'),
      activate: resolved,
    });
    expect(() => controller.register({ name: 'gone', events: [], activate: resolved })).toThrow(
      /registered already/,
    );
    registration.dispose();
    registration.dispose();
    expect(controller.state('gone')).toBeUndefined();
    expect(await controller.trigger({ kind: 'event', value: 'go' })).toEqual([]);
    controller.register({ name: 'gone', events: events('onEvent:go'), activate: resolved });
    expect(await controller.trigger({ kind: 'event', value: 'go' })).toEqual(['gone']);
  });

  it('finds the right plugins among 1,000 lazy route plugins', async () => {
    const controller = new ActivationController();
    const activated: string[] = [];
    for (let i = 0; i < 1_000; i += 1) {
      const name = `p${i}`;
      controller.register({
        name,
        events: events(`onRoute:/plugins/p${i}`, `onRoute:/shared/${i % 10}`),
        activate: async () => {
          activated.push(name);
        },
      });
    }
    expect(await controller.trigger({ kind: 'route', value: '/plugins/p7/items/3' })).toEqual(['p7']);
    expect(await controller.trigger({ kind: 'route', value: '/plugins/p70' })).toEqual(['p70']);
    expect(await controller.trigger({ kind: 'route', value: '/plugins/p7000' })).toEqual([]);
    const shared = await controller.trigger({ kind: 'route', value: '/shared/3/x' });
    expect(shared).toHaveLength(100);
    expect(shared.every((name) => Number(name.slice(1)) % 10 === 3)).toBe(true);
    expect(activated).toHaveLength(102);
  });
});
