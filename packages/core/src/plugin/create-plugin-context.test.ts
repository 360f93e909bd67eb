import { describe, expect, it, jest } from '@jest/globals';
import { TrellisError } from '../errors/trellis-error.js';
import { createPlatform } from '../platform/create-platform.js';
import type { PlatformOptions } from '../platform/platform-options.js';
import { ConsoleLogger } from '../services/console-logger.js';
import { MemoryCache } from '../services/memory-cache.js';
import type { MetricLabels, Metrics } from '../services/metrics.js';
import { noopMetrics } from '../services/noop-metrics.js';
import { ManualClock } from '../time/manual-clock.js';
import { createToken } from '../token.js';
import { AUDIT_LOG, CACHE, CLOCK, EVENT_BUS, LOGGER, METRICS } from '../tokens.js';
import { createPluginContext } from './create-plugin-context.js';
import type { PluginManifest } from './plugin-manifest.js';

const manifest = (name: string): PluginManifest => ({ name, version: '1.0.0', platform: '^0.1.0' });

/** A platform whose logger writes into `lines`, and a context for plugin `name` in it. */
function setup(options: PlatformOptions = {}, name = 'hello') {
  const lines: string[] = [];
  const logger = new ConsoleLogger({ destination: { write: (line) => lines.push(line) } });
  const platform = createPlatform({
    logLevel: 'silent',
    ...options,
    services: { logger, ...options.services },
  });
  const controller = new AbortController();
  const context = createPluginContext({
    parent: platform.container,
    manifest: manifest(name),
    config: { greeting: 'hi' },
    signal: controller.signal,
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { platform, context, controller, logger, records };
}

/** Metrics that record the labels each view was created with. */
function labelledMetrics() {
  const views: Metrics[] = [];
  const withLabels = jest.fn((_labels: MetricLabels): Metrics => {
    const view: Metrics = { ...noopMetrics };
    views.push(view);
    return view;
  });
  const metrics: Metrics = { ...noopMetrics, withLabels };
  return { metrics, withLabels, views };
}

/** The error thrown by `fn`. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('createPluginContext', () => {
  describe('what the plugin is given', () => {
    it('carries the manifest, config and signal it was built with', () => {
      const { context, controller } = setup();
      expect(context.manifest.name).toBe('hello');
      expect(context.config).toEqual({ greeting: 'hi' });
      expect(context.signal).toBe(controller.signal);
    });

    it('passes the host signal through, so aborting it reaches the plugin', () => {
      const { context, controller } = setup();
      controller.abort('plugin stopping');
      expect(context.signal.aborted).toBe(true);
    });

    it('is frozen', () => {
      const { context } = setup();
      expect(Object.isFrozen(context)).toBe(true);
    });

    it('shares the platform event bus', () => {
      const { context, platform } = setup();
      expect(context.events).toBe(platform.resolve(EVENT_BUS));
    });

    it('works in a child container of the platform container', () => {
      const { context, platform } = setup();
      expect(context.container).not.toBe(platform.container);
      expect(context.resolve(CLOCK)).toBe(platform.resolve(CLOCK));
    });
  });

  describe('logger', () => {
    it('writes records with a plugin binding', () => {
      const { context, records } = setup();
      context.logger.info('ready');
      expect(records()).toEqual([expect.objectContaining({ plugin: 'hello', msg: 'ready' })]);
    });

    it('is what LOGGER resolves to in the child container', () => {
      const { context } = setup();
      expect(context.container.resolve(LOGGER)).toBe(context.logger);
      expect(context.resolve(LOGGER)).toBe(context.logger);
    });

    it('leaves LOGGER in the platform container unchanged', () => {
      const { platform, logger } = setup();
      expect(platform.resolve(LOGGER)).toBe(logger);
    });

    it('gives each plugin its own binding', () => {
      const { platform, records } = setup();
      const other = createPluginContext({
        parent: platform.container,
        manifest: manifest('other'),
        config: {},
        signal: new AbortController().signal,
      });
      other.logger.warn('from other');
      expect(records()[0]).toMatchObject({ plugin: 'other', msg: 'from other' });
    });
  });

  describe('metrics', () => {
    it('labels the metrics view with the plugin name', () => {
      const { metrics, withLabels } = labelledMetrics();
      setup({ services: { metrics } });
      expect(withLabels).toHaveBeenCalledWith({ plugin: 'hello' });
    });

    it('is what METRICS resolves to in the child container', () => {
      const { metrics, views } = labelledMetrics();
      const { context, platform } = setup({ services: { metrics } });
      expect(context.metrics).toBe(views[0]);
      expect(context.resolve(METRICS)).toBe(views[0]);
      expect(platform.resolve(METRICS)).toBe(metrics);
    });
  });

  describe('cache', () => {
    it('writes through to the platform cache under plugin:<name>:<key>', async () => {
      const { context, platform } = setup();
      await context.cache.set('greeting', 'hi');
      await expect(platform.resolve(CACHE).get('plugin:hello:greeting')).resolves.toBe('hi');
    });

    it('is what CACHE resolves to in the child container', async () => {
      const { context, platform } = setup();
      expect(context.resolve(CACHE)).toBe(context.cache);
      await context.resolve(CACHE).set('k', 'v');
      await expect(platform.resolve(CACHE).get('plugin:hello:k')).resolves.toBe('v');
    });

    it('keeps plugins apart: the same key in two plugins is two entries', async () => {
      const cache = new MemoryCache({ clock: new ManualClock() });
      const { platform, context } = setup({ services: { cache } });
      const other = createPluginContext({
        parent: platform.container,
        manifest: manifest('other'),
        config: {},
        signal: new AbortController().signal,
      });
      await context.cache.set('k', 'mine');
      await other.cache.set('k', 'theirs');
      await expect(context.cache.get('k')).resolves.toBe('mine');
      await expect(cache.get('plugin:other:k')).resolves.toBe('theirs');
    });
  });

  describe('container', () => {
    const WIDGETS = createToken<{ count: number }>('@acme/widgets.Widgets');

    it('keeps registrations in the child container out of the parent', () => {
      const { context, platform } = setup();
      context.container.register(WIDGETS, { useValue: { count: 3 } });
      expect(context.resolve(WIDGETS)).toEqual({ count: 3 });
      expect(platform.isProvided(WIDGETS)).toBe(false);
      expect(platform.container.isRegistered(WIDGETS, true)).toBe(false);
    });

    it('keeps one plugin registrations out of another plugin', () => {
      const { context, platform } = setup();
      const other = createPluginContext({
        parent: platform.container,
        manifest: manifest('other'),
        config: {},
        signal: new AbortController().signal,
      });
      context.container.register(WIDGETS, { useValue: { count: 1 } });
      expect(thrownBy(() => other.resolve(WIDGETS))).toMatchObject({ code: 'SERVICE_NOT_REGISTERED' });
    });

    it('resolve throws SERVICE_NOT_REGISTERED naming the token for an unregistered one', () => {
      const { context } = setup();
      const error = thrownBy(() => context.resolve(WIDGETS));
      expect(TrellisError.is(error, 'SERVICE_NOT_REGISTERED')).toBe(true);
      expect((error as TrellisError).message).toContain('@acme/widgets.Widgets');
    });
  });

  describe('without core defaults', () => {
    it('throws SERVICE_NOT_REGISTERED when the platform has no metrics or cache', () => {
      const lines: string[] = [];
      const logger = new ConsoleLogger({ destination: { write: (line) => lines.push(line) } });
      const platform = createPlatform({ logLevel: 'silent', coreDefaults: false, services: { logger } });
      const error = thrownBy(() =>
        createPluginContext({
          parent: platform.container,
          manifest: manifest('hello'),
          config: {},
          signal: new AbortController().signal,
        }),
      );
      expect(TrellisError.is(error, 'SERVICE_NOT_REGISTERED')).toBe(true);
      expect((error as TrellisError).message).toContain('@trellis/core.Metrics');
    });

    it('resolve throws SERVICE_NOT_REGISTERED for a core service nothing provides', () => {
      const { context } = setup({
        coreDefaults: false,
        services: { metrics: noopMetrics, cache: new MemoryCache() },
      });
      const error = thrownBy(() => context.resolve(AUDIT_LOG));
      expect(TrellisError.is(error, 'SERVICE_NOT_REGISTERED')).toBe(true);
      expect((error as TrellisError).fix).toContain('@trellis/security');
    });
  });
});
