// Test doubles for runtime tests (here and in the manager's): a host-side plugin context whose
// logger, metrics, router and a probe service record what plugins do through them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Counter,
  createPlatform,
  createPluginContext,
  createToken,
  type Disposer,
  type Gauge,
  type Histogram,
  HTTP_ROUTER,
  type HttpResponse,
  type HttpRoute,
  type HttpRouter,
  type LogFn,
  type Logger,
  type MetricLabels,
  type Metrics,
  type Platform,
  type PluginContext,
  type PluginManifest,
  TrellisError,
  toDisposer,
} from '@trellis/core';
import { lifecyclePackageRoot } from './bootstrap-path.js';
import { currentTraceparent } from './child/trace-context.js';
import type { RuntimePluginSpec } from './plugin-runtime.js';

/** One record written through a {@link RecordingLogger}. */
export interface RecordedLog {
  readonly level: string;
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly fields: unknown;
  readonly msg: string | undefined;
}

/** A logger at level `trace` that keeps every record, with its bindings, in `records`. */
export class RecordingLogger implements Logger {
  readonly level: string = 'trace';
  readonly trace: LogFn = this.#method('trace');
  readonly debug: LogFn = this.#method('debug');
  readonly info: LogFn = this.#method('info');
  readonly warn: LogFn = this.#method('warn');
  readonly error: LogFn = this.#method('error');
  readonly fatal: LogFn = this.#method('fatal');

  constructor(
    readonly records: RecordedLog[] = [],
    readonly bindings: Readonly<Record<string, unknown>> = {},
  ) {}

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.records, { ...this.bindings, ...bindings });
  }

  #method(level: string): LogFn {
    return (fieldsOrMessage: object | string, message?: string) => {
      const fields = typeof fieldsOrMessage === 'string' ? undefined : fieldsOrMessage;
      const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
      this.records.push({ level, bindings: this.bindings, fields, msg });
    };
  }
}

/** One metric operation recorded by {@link RecordingMetrics}. */
export interface RecordedMetric {
  readonly kind: 'counter' | 'gauge' | 'histogram';
  readonly name: string;
  readonly op: string;
  readonly value: number;
  readonly labels: MetricLabels;
}

/** Metrics that record every operation, with the labels of their view, in `records`. */
export class RecordingMetrics implements Metrics {
  constructor(
    readonly records: RecordedMetric[] = [],
    readonly labels: MetricLabels = {},
  ) {}

  counter(options: { readonly name: string }): Counter {
    return { inc: (labels, value) => this.#record('counter', options.name, 'inc', value ?? 1, labels) };
  }

  gauge(options: { readonly name: string }): Gauge {
    return {
      set: (value, labels) => this.#record('gauge', options.name, 'set', value, labels),
      inc: (labels, value) => this.#record('gauge', options.name, 'inc', value ?? 1, labels),
      dec: (labels, value) => this.#record('gauge', options.name, 'dec', value ?? 1, labels),
    };
  }

  histogram(options: { readonly name: string }): Histogram {
    return {
      observe: (value, labels) => this.#record('histogram', options.name, 'observe', value, labels),
      startTimer: () => () => 0,
    };
  }

  withLabels(labels: MetricLabels): Metrics {
    return new RecordingMetrics(this.records, { ...this.labels, ...labels });
  }

  #record(
    kind: RecordedMetric['kind'],
    name: string,
    op: string,
    value: number,
    labels?: MetricLabels,
  ): void {
    this.records.push({ kind, name, op, value, labels: { ...this.labels, ...labels } });
  }
}

interface RouteEntry {
  readonly method: string;
  readonly path: string;
  readonly handler: HttpRoute['handler'];
}

/** An {@link HttpRouter} with no server: {@link TestRouter.request} runs the matching handler. */
export class TestRouter implements HttpRouter {
  constructor(
    readonly basePath = '/plugins/test',
    readonly entries: RouteEntry[] = [],
  ) {}

  route(route: HttpRoute): Disposer {
    const entry: RouteEntry = {
      method: route.method,
      path: this.basePath + route.path,
      handler: route.handler,
    };
    this.entries.push(entry);
    return toDisposer(() => {
      const index = this.entries.indexOf(entry);
      if (index !== -1) this.entries.splice(index, 1);
    });
  }

  scope(prefix: string): HttpRouter {
    return new TestRouter(this.basePath + prefix, this.entries);
  }

  /** `METHOD /path` of every route served now. */
  get routes(): string[] {
    return this.entries.map((entry) => `${entry.method} ${entry.path}`);
  }

  /** Runs the handler of the route matching `method` and `url` (404 when none does). */
  async request(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<HttpResponse> {
    const parsed = new URL(url, 'http://test.local');
    for (const entry of this.entries) {
      const params = entry.method === method ? matchPath(entry.path, parsed.pathname) : undefined;
      if (params === undefined) continue;
      return entry.handler({
        method,
        url,
        params,
        query: Object.fromEntries(parsed.searchParams),
        headers,
        body,
      });
    }
    return { status: 404 };
  }
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(actual);
    else if (segment !== actual) return undefined;
  }
  return params;
}

/** What a plugin told the {@link Probe}, with the trace the host saw the call in. */
export interface ProbeReport {
  readonly label: string;
  readonly traceparent: string | undefined;
}

/** A host service plugins call (token {@link PROBE}) to show what reached the host. */
export class Probe {
  readonly reports: ProbeReport[] = [];

  /** Records `label` with the host's current traceparent. */
  async report(label: string): Promise<void> {
    this.reports.push({ label, traceparent: currentTraceparent() });
  }

  /** Throws a TrellisError with `code`, to see errors cross the boundary. */
  async fail(code: string): Promise<never> {
    throw new TrellisError(code, 'The probe was asked to fail.', {
      fix: 'Nothing to fix.',
      details: { code },
    });
  }
}

/** Token of the {@link Probe}; plugins need `service:resolve:@trellis-test/probe.Probe`. */
export const PROBE = createToken<Probe>('@trellis-test/probe.Probe');

/** A host-side plugin context over recording doubles, as a runtime receives it. */
export interface TestHost {
  readonly platform: Platform;
  readonly context: PluginContext;
  readonly controller: AbortController;
  readonly logs: RecordedLog[];
  readonly metrics: RecordedMetric[];
  readonly router: TestRouter;
  readonly probe: Probe;
}

/** Builds a {@link TestHost} for the plugin of `spec`, with `HTTP_ROUTER` and `PROBE` provided. */
export function createTestHost(spec: RuntimePluginSpec): TestHost {
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const platform = createPlatform({ logLevel: 'silent', services: { logger, metrics } });
  const router = new TestRouter(`/plugins/${spec.manifest.name}`);
  const probe = new Probe();
  platform.container.register(HTTP_ROUTER, { useValue: router });
  platform.container.register(PROBE, { useValue: probe });
  const controller = new AbortController();
  const context = createPluginContext({
    parent: platform.container,
    manifest: spec.manifest,
    config: spec.config,
    signal: controller.signal,
  });
  return { platform, context, controller, logs: logger.records, metrics: metrics.records, router, probe };
}

/** The folder of test fixture plugin `name` (`test-fixtures/plugins/<name>`). */
export function fixtureDir(name: string): string {
  return join(lifecyclePackageRoot(), 'test-fixtures', 'plugins', name);
}

/** The runtime spec of fixture plugin `name`, from its package.json `trellis` manifest. */
export function fixtureSpec(
  name: string,
  overrides: { readonly config?: unknown; readonly granted?: readonly string[] } = {},
): RuntimePluginSpec {
  const dir = fixtureDir(name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { trellis: PluginManifest };
  const manifest = pkg.trellis;
  return {
    manifest,
    dir,
    entry: join(dir, manifest.main ?? 'index.js'),
    config: overrides.config ?? {},
    granted: overrides.granted ?? manifest.permissions ?? [],
  };
}
