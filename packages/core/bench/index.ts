// Core benchmarks: what the DI container and the event bus cost compared with what a user would
// write without Trellis. Run with `pnpm --filter @trellis/core bench` (after `pnpm build`).
import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { runSuite } from '@trellis/bench';
import {
  createPlatform,
  createPluginContext,
  createToken,
  defineModule,
  LOGGER,
  LocalEventBus,
  type Platform,
} from '@trellis/core';
import { inject, injectable, container as tsyringeRoot } from 'tsyringe';

interface Store {
  readonly items: string[];
}

const STORE = createToken<Store>('@bench/store.Store');
const GREETER = createToken<Greeter>('@bench/greeter.Greeter');

@injectable()
class Greeter {
  constructor(@inject(STORE) readonly store: Store) {}
  greet(name: string): string {
    return `hello ${name}`;
  }
}

async function pluginScope() {
  const platform = createPlatform({ logLevel: 'silent' });
  platform.container.register(STORE, { useValue: { items: [] } });
  await platform.start();
  const context = createPluginContext({
    parent: platform.container,
    manifest: { name: 'bench', version: '1.0.0', platform: '*' },
    config: {},
    signal: new AbortController().signal,
  });
  const transient = context.container.createChildContainer();
  transient.register(GREETER, { useClass: Greeter });
  const singleton = context.container.createChildContainer();
  singleton.registerSingleton(GREETER, Greeter);
  return { context, transient, singleton };
}

/** A platform with one module registering `count` services, started and stopped. */
async function bootPlatform(count: number): Promise<Platform> {
  const tokens = Array.from({ length: count }, (_, i) => createToken<number>(`@bench/boot.Service${i}`));
  const module = defineModule({
    name: 'services',
    provides: tokens,
    register: (c) => {
      for (const [i, token] of tokens.entries()) c.register(token, { useValue: i });
    },
  });
  const platform = createPlatform({ logLevel: 'silent', modules: [module] });
  await platform.start();
  await platform.stop();
  return platform;
}

/** The baseline for boot: the same registrations straight into a tsyringe child container. */
function bareContainer(count: number): void {
  const child = tsyringeRoot.createChildContainer();
  for (let i = 0; i < count; i++) child.register(Symbol.for(`@bench/bare.Service${i}`), { useValue: i });
}

const scope = await pluginScope();
const store: Store = { items: [] };
let sink: unknown;
/** Stores a result so the engine cannot drop the work that produced it. */
function keep(value: unknown): void {
  sink = value;
}

const emitter = new EventEmitter();
const bus = new LocalEventBus<{ tick: number }>();
let total = 0;
for (let i = 0; i < 3; i++) {
  emitter.on('tick', (n: number) => {
    total += n;
  });
  bus.on('tick', (n) => {
    total += n;
  });
}

await runSuite({
  title: '@trellis/core benchmarks',
  file: 'core.md',
  command: 'pnpm build && pnpm --filter @trellis/core bench',
  groups: [
    {
      title: 'Resolve a plugin-scoped service',
      description:
        "A `Greeter` with one injected dependency, resolved from a plugin's child container (two levels below " +
        'the platform container), against constructing it with `new`. Transient resolution builds a new ' +
        'instance each time; singleton resolution returns the cached one.',
      baseline: { name: 'new Greeter(store)', fn: () => keep(new Greeter(store)) },
      tasks: [
        {
          name: 'resolve transient from plugin scope',
          fn: () => keep(scope.transient.resolve(GREETER)),
        },
        {
          name: 'resolve singleton from plugin scope',
          fn: () => keep(scope.singleton.resolve(GREETER)),
        },
        {
          name: 'ctx.resolve(LOGGER) (checked resolve)',
          fn: () => keep(scope.context.resolve(LOGGER)),
        },
      ],
    },
    ...[0, 100, 1_000].map((count) => ({
      title: `Platform boot, ${count.toLocaleString('en-US')} services`,
      description:
        `createPlatform + start + stop with one module registering ${count} value services (dependency check, ` +
        'planning, registration, start, stop, dispose), against registering the same values straight into a ' +
        'tsyringe child container: the price of the platform over bare DI.',
      baseline: { name: `bare tsyringe child, ${count} registrations`, fn: () => bareContainer(count) },
      tasks: [{ name: `platform boot, ${count} services`, fn: () => bootPlatform(count) }],
    })),
    {
      title: 'Emit an event to 3 listeners',
      description:
        "A typed `LocalEventBus.emit` (listener errors isolated and reported) against Node's `EventEmitter.emit` " +
        '(a throwing listener breaks the emitter).',
      baseline: { name: 'EventEmitter.emit', fn: () => void emitter.emit('tick', 1) },
      tasks: [{ name: 'LocalEventBus.emit', fn: () => bus.emit('tick', 1) }],
    },
  ],
});

if (sink === undefined || total === 0) throw new Error('benchmark bodies were optimised away');
