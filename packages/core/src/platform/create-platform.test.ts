import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { inject, injectable } from 'tsyringe';
import { ConsoleLogger } from '../services/console-logger.js';
import type { Logger } from '../services/logger.js';
import { MemoryCache } from '../services/memory-cache.js';
import { ManualClock } from '../time/manual-clock.js';
import { createToken } from '../token.js';
import { CACHE, CLOCK, CONFIG_READER, HTTP_ROUTER, LOGGER, METRICS } from '../tokens.js';
import { createPlatform } from './create-platform.js';
import { defineModule, optional } from './module.js';

const GREETER = createToken<{ greet(name: string): string }>('@test/greeter.Greeter');
const STORE = createToken<{ items: string[] }>('@test/store.Store');

function silentLogger(lines: string[] = []): ConsoleLogger {
  return new ConsoleLogger({ level: 'debug', destination: { write: (line) => lines.push(line) } });
}

function storeModule(log: string[] = []) {
  return defineModule({
    name: 'store',
    provides: [STORE],
    register: (c) => c.register(STORE, { useValue: { items: [] } }),
    start: () => void log.push('start store'),
    stop: () => void log.push('stop store'),
  });
}

@injectable()
class PrefixGreeter {
  constructor(@inject(STORE) private readonly store: { items: string[] }) {}
  greet(name: string): string {
    this.store.items.push(name);
    return `hello ${name}`;
  }
}

function greeterModule(log: string[] = []) {
  return defineModule({
    name: 'greeter',
    provides: [GREETER],
    dependsOn: [STORE],
    register: (c) => c.register(GREETER, { useClass: PrefixGreeter }),
    start: () => void log.push('start greeter'),
    stop: () => void log.push('stop greeter'),
  });
}

describe('createPlatform', () => {
  it('registers core defaults so a platform with no modules resolves every core service', () => {
    const platform = createPlatform({ logLevel: 'silent' });
    expect(platform.resolve(CACHE)).toBeInstanceOf(MemoryCache);
    expect(platform.resolve(CONFIG_READER).get('x')).toBeUndefined();
    expect(typeof platform.resolve(METRICS).counter).toBe('function');
    expect(platform.state).toBe('created');
  });

  it('serves the values given in options through the default config reader', () => {
    const platform = createPlatform({ logLevel: 'silent', config: { cache: { ttlMs: 5 } } });
    expect(platform.resolve(CONFIG_READER).get('cache.ttlMs')).toBe(5);
  });

  it('prefers service instances passed in options over defaults', () => {
    const clock = new ManualClock(42);
    const platform = createPlatform({ logLevel: 'silent', services: { clock } });
    expect(platform.resolve(CLOCK)).toBe(clock);
  });

  it('leaves optional defaults out when coreDefaults is false but keeps the kernel services', () => {
    const platform = createPlatform({ coreDefaults: false, services: { logger: silentLogger() } });
    expect(platform.isProvided(CACHE)).toBe(false);
    expect(platform.isProvided(LOGGER)).toBe(true);
    expect(() => platform.resolve(CACHE)).toThrow(
      expect.objectContaining({
        code: 'SERVICE_NOT_REGISTERED',
        message: expect.stringContaining('@trellis/cache'),
      }),
    );
  });

  it('rejects invalid options, listing every problem with its path', () => {
    expect(() => createPlatform({ name: '', startTimeoutMs: -1 } as never)).toThrow(
      expect.objectContaining({
        code: 'PLATFORM_OPTIONS_INVALID',
        message: expect.stringMatching(/name:[\s\S]*startTimeoutMs:/),
      }),
    );
  });

  it('rejects unknown options', () => {
    expect(() => createPlatform({ nmae: 'typo' } as never)).toThrow(
      expect.objectContaining({ code: 'PLATFORM_OPTIONS_INVALID' }),
    );
  });

  it('rejects a module without register', () => {
    expect(() => createPlatform({ modules: [{ name: 'broken' } as never] })).toThrow(
      expect.objectContaining({
        code: 'PLATFORM_MODULE_INVALID',
        message: expect.stringContaining('"broken"'),
      }),
    );
  });

  it('starts modules after the modules they depend on, and stops them in reverse', async () => {
    const log: string[] = [];
    const platform = createPlatform({ logLevel: 'silent', modules: [greeterModule(log), storeModule(log)] });
    const report = await platform.start();
    expect(report.modules.map((m) => m.module)).toEqual(['store', 'greeter']);
    expect(platform.moduleNames()).toEqual(['store', 'greeter']);
    expect(platform.state).toBe('started');
    expect(platform.resolve(GREETER).greet('ada')).toBe('hello ada');
    expect(platform.resolve(STORE).items).toEqual(['ada']);
    const stop = await platform.stop();
    expect(stop.clean).toBe(true);
    expect(stop.modules.map((m) => m.module)).toEqual(['greeter', 'store']);
    expect(log).toEqual(['start store', 'start greeter', 'stop greeter', 'stop store']);
    expect(platform.state).toBe('stopped');
  });

  it('reports each module start with its timing in the report', async () => {
    const clock = new ManualClock();
    const slow = defineModule({
      name: 'slow',
      register: () => clock.advance(3),
      start: () => clock.advance(7),
    });
    const platform = createPlatform({ logLevel: 'silent', services: { clock }, modules: [slow] });
    const report = await platform.start();
    expect(report.modules).toEqual([{ module: 'slow', registerMs: 3, startMs: 7 }]);
    expect(report.durationMs).toBe(10);
  });

  it('fails at start naming the token, the module that needs it and where to get it', async () => {
    const platform = createPlatform({ logLevel: 'silent', modules: [greeterModule()] });
    const error = await platform.start().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PLATFORM_DEPENDENCY_MISSING',
      missing: [{ token: '@test/store.Store', neededBy: 'greeter', providedBy: 'a module from @test/store' }],
    });
    expect((error as Error).message).toContain('module "greeter" needs @test/store.Store');
    expect(platform.state).toBe('failed');
  });

  it('names the host HTTP module when a module needs the HTTP router', async () => {
    const web = defineModule({ name: 'web', dependsOn: [HTTP_ROUTER], register: () => {} });
    const error = await createPlatform({ logLevel: 'silent', modules: [web] })
      .start()
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('createHttpModule()');
  });

  it('starts a module whose optional dependency is absent', async () => {
    const module = defineModule({ name: 'lenient', dependsOn: [optional(STORE)], register: () => {} });
    const platform = createPlatform({ logLevel: 'silent', modules: [module] });
    await expect(platform.start()).resolves.toMatchObject({ modules: [{ module: 'lenient' }] });
  });

  it('orders a module after an optional dependency that is present', async () => {
    const log: string[] = [];
    const lenient = defineModule({
      name: 'lenient',
      dependsOn: [optional(STORE)],
      register: () => {},
      start: () => void log.push('start lenient'),
    });
    const platform = createPlatform({ logLevel: 'silent', modules: [lenient, storeModule(log)] });
    await platform.start();
    expect(log).toEqual(['start store', 'start lenient']);
  });

  it('fails when a module does not register a token it claims to provide', async () => {
    const liar = defineModule({ name: 'liar', provides: [STORE], register: () => {} });
    await expect(createPlatform({ logLevel: 'silent', modules: [liar] }).start()).rejects.toMatchObject({
      code: 'PLATFORM_PROVIDER_NOT_REGISTERED',
    });
  });

  it('lets a module replace a core default, and the platform logs through the replacement', async () => {
    const lines: string[] = [];
    const logging = defineModule({
      name: 'logging',
      provides: [LOGGER],
      register: (c) => c.register(LOGGER, { useValue: silentLogger(lines) }),
    });
    const platform = createPlatform({ logLevel: 'silent', modules: [logging] });
    await platform.start();
    expect(platform.resolve<Logger>(LOGGER)).not.toBeUndefined();
    expect(lines.some((l) => l.includes('platform started'))).toBe(true);
  });

  it('rolls back modules already started when a later one fails to start', async () => {
    const log: string[] = [];
    const failing = defineModule({
      name: 'failing',
      dependsOn: [STORE],
      register: () => {},
      start: () => {
        throw new Error('cannot connect');
      },
    });
    const platform = createPlatform({ logLevel: 'silent', modules: [storeModule(log), failing] });
    const events: string[] = [];
    platform.events.on('module.failed', (e) => void events.push(`${e.module}:${e.phase}`));
    await expect(platform.start()).rejects.toMatchObject({
      code: 'PLATFORM_MODULE_START_FAILED',
      message: expect.stringContaining('cannot connect'),
    });
    expect(log).toEqual(['start store', 'stop store']);
    expect(events).toEqual(['failing:start']);
    expect(platform.state).toBe('failed');
  });

  it('wraps an error thrown by register with the module name', async () => {
    const broken = defineModule({
      name: 'broken',
      register: () => {
        throw new Error('bad registration');
      },
    });
    await expect(createPlatform({ logLevel: 'silent', modules: [broken] }).start()).rejects.toMatchObject({
      code: 'PLATFORM_MODULE_START_FAILED',
      details: { module: 'broken', phase: 'register' },
    });
  });

  it('fails a module start that outlives its deadline and stops it like a started module', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const hanging = defineModule({
      name: 'hanging',
      startTimeoutMs: 1_000,
      register: () => {},
      start: () => new Promise<void>(() => {}),
      stop: () => void log.push('stop hanging'),
    });
    const platform = createPlatform({ logLevel: 'silent', services: { clock }, modules: [hanging] });
    const starting = platform.start().catch((e: unknown) => e);
    await clock.advanceAsync(1_000);
    const error = await starting;
    expect(error).toMatchObject({ code: 'PLATFORM_MODULE_START_FAILED' });
    expect((error as Error).cause).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(log).toEqual(['stop hanging']);
  });

  it('gives a hanging stop its deadline, reports it as a timeout and still stops the others', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const hanging = defineModule({
      name: 'hanging',
      dependsOn: [STORE],
      stopTimeoutMs: 2_000,
      register: () => {},
      stop: () => new Promise<void>(() => {}),
    });
    const platform = createPlatform({
      logLevel: 'silent',
      services: { clock },
      modules: [storeModule(log), hanging],
    });
    await platform.start();
    const stopping = platform.stop('test');
    await clock.advanceAsync(2_000);
    const report = await stopping;
    expect(report.clean).toBe(false);
    expect(report.modules).toEqual([
      { module: 'hanging', outcome: 'timeout', durationMs: 2_000, error: expect.stringContaining('2000 ms') },
      { module: 'store', outcome: 'stopped', durationMs: 0 },
    ]);
    expect(log).toEqual(['start store', 'stop store']);
  });

  it('reports a module whose stop throws as failed and continues', async () => {
    const broken = defineModule({
      name: 'broken',
      register: () => {},
      stop: () => {
        throw new Error('stop failed');
      },
    });
    const platform = createPlatform({ logLevel: 'silent', modules: [broken] });
    await platform.start();
    const report = await platform.stop();
    expect(report.modules).toEqual([
      expect.objectContaining({ module: 'broken', outcome: 'failed', error: 'stop failed' }),
    ]);
  });

  it('returns the same report to concurrent stop calls and stops modules once', async () => {
    let stops = 0;
    const module = defineModule({ name: 'm', register: () => {}, stop: () => void stops++ });
    const platform = createPlatform({ logLevel: 'silent', modules: [module] });
    await platform.start();
    const [a, b] = await Promise.all([platform.stop(), platform.stop()]);
    expect(a).toBe(b);
    expect(stops).toBe(1);
  });

  it('stops cleanly when it was never started', async () => {
    const platform = createPlatform({ logLevel: 'silent', modules: [storeModule()] });
    const report = await platform.stop();
    expect(report.modules).toEqual([]);
    expect(platform.state).toBe('stopped');
  });

  it('interrupts a start when stop is called, starting no further modules', async () => {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = defineModule({
      name: 'gate',
      register: () => {},
      start: () => new Promise<void>((resolve) => (release = resolve)),
      stop: () => void log.push('stop gate'),
    });
    const later = defineModule({
      name: 'later',
      register: () => {},
      start: () => void log.push('start later'),
    });
    const platform = createPlatform({ logLevel: 'silent', modules: [gate, later] });
    const starting = platform.start();
    await new Promise((r) => setImmediate(r));
    const stopping = platform.stop('interrupt');
    expect(platform.signal.aborted).toBe(true);
    release();
    const report = await starting;
    expect(report.interrupted).toBe(true);
    await stopping;
    expect(log).toEqual(['stop gate']);
    expect(platform.state).toBe('stopped');
  });

  it('refuses to start twice and to accept modules after start', async () => {
    const platform = createPlatform({ logLevel: 'silent' });
    await platform.start();
    await expect(platform.start()).rejects.toMatchObject({ code: 'PLATFORM_STATE_INVALID' });
    expect(() => platform.use(storeModule())).toThrow(
      expect.objectContaining({ code: 'PLATFORM_STATE_INVALID' }),
    );
  });

  it('accepts modules through use() before start', async () => {
    const platform = createPlatform({ logLevel: 'silent' }).use(storeModule()).use(greeterModule());
    await platform.start();
    expect(platform.resolve(GREETER).greet('x')).toBe('hello x');
  });

  it('passes modules a context with a module-bound logger and the platform abort signal', async () => {
    const lines: string[] = [];
    let seenSignal: AbortSignal | undefined;
    const module = defineModule({
      name: 'ctx',
      register: () => {},
      start: (ctx) => {
        ctx.logger.info('hello from start');
        seenSignal = ctx.signal;
        expect(ctx.resolve(CACHE)).toBeInstanceOf(MemoryCache);
      },
    });
    const platform = createPlatform({ services: { logger: silentLogger(lines) }, modules: [module] });
    await platform.start();
    const line = JSON.parse(lines.find((l) => l.includes('hello from start')) ?? '{}');
    expect(line).toMatchObject({ platform: 'trellis', module: 'ctx', msg: 'hello from start' });
    await platform.stop();
    expect(seenSignal?.aborted).toBe(true);
  });

  it('emits lifecycle events in order', async () => {
    const platform = createPlatform({ logLevel: 'silent', modules: [storeModule()] });
    const events: string[] = [];
    for (const name of [
      'platform.starting',
      'module.started',
      'platform.started',
      'platform.stopping',
      'module.stopped',
      'platform.stopped',
    ] as const) {
      platform.events.on(name, () => void events.push(name));
    }
    await platform.start();
    await platform.stop();
    expect(events).toEqual([
      'platform.starting',
      'module.started',
      'platform.started',
      'platform.stopping',
      'module.stopped',
      'platform.stopped',
    ]);
  });
});

describe('two platforms in one process', () => {
  it('share no services, registrations, events or lifecycle', async () => {
    const a = createPlatform({ name: 'a', logLevel: 'silent', modules: [storeModule()] });
    const b = createPlatform({ name: 'b', logLevel: 'silent', modules: [storeModule()] });
    await Promise.all([a.start(), b.start()]);

    a.resolve(STORE).items.push('only-in-a');
    expect(b.resolve(STORE).items).toEqual([]);
    expect(a.resolve(CACHE)).not.toBe(b.resolve(CACHE));
    await a.resolve(CACHE).set('k', 1);
    await expect(b.resolve(CACHE).get('k')).resolves.toBeUndefined();

    const heardByB: string[] = [];
    b.events.on('module.stopped', (e) => void heardByB.push(e.module));
    await a.stop();
    expect(heardByB).toEqual([]);
    expect(a.state).toBe('stopped');
    expect(b.state).toBe('started');
    expect(b.resolve(STORE).items).toEqual([]);
    await b.stop();
  });

  it('never registers into the global tsyringe container', async () => {
    const { container } = await import('tsyringe');
    const platform = createPlatform({ logLevel: 'silent', modules: [storeModule()] });
    await platform.start();
    expect(container.isRegistered(STORE, true)).toBe(false);
    expect(container.isRegistered(LOGGER, true)).toBe(false);
    await platform.stop();
  });
});
