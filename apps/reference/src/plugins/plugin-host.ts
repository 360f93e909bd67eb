import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Config, isInvalidConfigSection } from '@trellis/config';
import {
  CLOCK,
  type Clock,
  CONFIG_READER,
  createPluginContext,
  type DependencyContainer,
  type Disposer,
  HEALTH_REGISTRY,
  HTTP_ROUTER,
  type HttpRouter,
  type Logger,
  type Plugin,
  type PluginContext,
  resolveService,
  TRELLIS_VERSION,
  TrellisError,
  withDeadline,
} from '@trellis/core';
import semver from 'semver';
import {
  PluginConfigInvalidError,
  PluginDependencyCycleError,
  PluginDependencyMissingError,
  PluginHookError,
  PluginNameTakenError,
  PluginPlatformIncompatibleError,
} from '../errors.js';
import { loadPluginCode } from './load-plugin-code.js';
import type { PluginState, PluginStatus, PluginTimings } from './plugin-status.js';
import { type FoundManifest, readPluginManifest } from './read-plugin-manifest.js';

/** Options of {@link PluginHost}. */
export interface PluginHostOptions {
  /** Folder whose sub-folders are plugins. A missing folder means no plugins. */
  readonly pluginsDir: string;
  /** The platform container; each plugin gets a child of it. */
  readonly container: DependencyContainer;
  readonly logger: Logger;
  /** Deadline for each plugin's `setup` and `start`; default 10,000 ms. */
  readonly startTimeoutMs?: number;
  /** Deadline for each plugin's `stop`; default 5,000 ms. */
  readonly stopTimeoutMs?: number;
}

interface Entry {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly found?: FoundManifest;
  state: PluginState;
  timings: PluginTimings;
  error?: { code: string; message: string };
  plugin?: Plugin;
  context?: PluginContext;
  abort?: AbortController;
  readonly disposers: Disposer[];
}

/**
 * The reference app's first-cut plugin host: finds plugins in one folder, starts them in
 * dependency order, and stops them in reverse, every hook within a deadline. One bad plugin
 * (bad manifest, failing import, throwing or hanging hook) is marked failed and the rest carry on.
 * `@trellis/discovery` and `@trellis/lifecycle` replace it with scanning at scale, waves,
 * isolation and upgrades.
 */
export class PluginHost {
  readonly #options: PluginHostOptions;
  readonly #clock: Clock;
  #entries: Entry[] = [];

  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#clock = resolveService(options.container, CLOCK);
  }

  /** Every plugin found, in start order. */
  list(): readonly PluginStatus[] {
    return this.#entries.map(({ name, version, dir, state, timings, error }) => ({
      name,
      version,
      dir,
      state,
      timings,
      ...(error ? { error } : {}),
    }));
  }

  /** Finds, loads, sets up and starts every plugin; never rejects for a plugin's fault. */
  async startAll(): Promise<readonly PluginStatus[]> {
    this.#entries = orderByDependencies(await this.#discover());
    for (const entry of this.#entries) {
      if (entry.state === 'failed') continue;
      try {
        await this.#start(entry);
        entry.state = 'active';
      } catch (error) {
        await this.#fail(entry, error);
      }
    }
    for (const entry of this.#entries) {
      // A folder that lost a name conflict has no check of its own: the name belongs to the winner.
      if (entry.error?.code !== 'PLUGIN_NAME_TAKEN') this.#registerHealth(entry);
    }
    return this.list();
  }

  /** Stops active plugins in reverse start order, each within its deadline. */
  async stopAll(): Promise<void> {
    for (const entry of [...this.#entries].reverse()) {
      if (entry.state !== 'active') continue;
      try {
        await this.#stopHooks(entry);
      } catch (error) {
        this.#options.logger.error({ err: error, plugin: entry.name }, 'plugin stop failed');
      }
      entry.state = 'stopped';
    }
  }

  async #discover(): Promise<Entry[]> {
    let dirs: string[];
    try {
      const items = await readdir(this.#options.pluginsDir, { withFileTypes: true });
      dirs = items.filter((d) => d.isDirectory()).map((d) => join(this.#options.pluginsDir, d.name));
    } catch (error) {
      this.#options.logger.warn(
        { err: error, dir: this.#options.pluginsDir },
        'plugins folder not readable; no plugins',
      );
      return [];
    }
    const entries: Entry[] = [];
    const byName = new Map<string, Entry>();
    for (const dir of dirs.sort()) {
      let entry: Entry;
      try {
        const found = await readPluginManifest(dir);
        if (!found) continue;
        entry = newEntry(found.manifest.name, found.manifest.version, dir, found);
      } catch (error) {
        entry = newEntry(basename(dir), '0.0.0', dir);
        setFailed(entry, error);
      }
      const existing = byName.get(entry.name);
      if (existing) {
        setFailed(entry, new PluginNameTakenError(entry.name, existing.dir, dir));
      } else {
        byName.set(entry.name, entry);
      }
      entries.push(entry);
    }
    return entries;
  }

  async #start(entry: Entry): Promise<void> {
    const found = entry.found as FoundManifest;
    const { manifest } = found;
    if (!semver.satisfies(TRELLIS_VERSION, manifest.platform, { includePrerelease: true })) {
      throw new PluginPlatformIncompatibleError(manifest.name, manifest.platform, TRELLIS_VERSION);
    }
    this.#checkDependencies(entry);
    const t0 = this.#clock.now();
    entry.plugin = await loadPluginCode(found);
    const t1 = this.#clock.now();
    const config = this.#parseConfig(entry.name, entry.plugin);
    entry.abort = new AbortController();
    const context = createPluginContext({
      parent: this.#options.container,
      manifest,
      config,
      signal: entry.abort.signal,
    });
    entry.context = context;
    const root = resolveService(this.#options.container, HTTP_ROUTER);
    context.container.register(HTTP_ROUTER, {
      useValue: tracking(root.scope(`/plugins/${entry.name}`), entry.disposers),
    });
    await this.#hook(entry, 'setup', this.#options.startTimeoutMs ?? 10_000);
    const t2 = this.#clock.now();
    await this.#hook(entry, 'start', this.#options.startTimeoutMs ?? 10_000);
    entry.timings = { loadMs: t1 - t0, setupMs: t2 - t1, startMs: this.#clock.now() - t2 };
  }

  #checkDependencies(entry: Entry): void {
    const deps = entry.found?.manifest.dependencies ?? {};
    for (const [dependency, range] of Object.entries(deps)) {
      const other = this.#entries.find((e) => e.name === dependency);
      if (!other)
        throw new PluginDependencyMissingError(entry.name, dependency, range, 'it is not installed');
      if (other.state !== 'active')
        throw new PluginDependencyMissingError(entry.name, dependency, range, 'it failed to start');
      if (!semver.satisfies(other.version, range, { includePrerelease: true })) {
        throw new PluginDependencyMissingError(
          entry.name,
          dependency,
          range,
          `version ${other.version} is installed`,
        );
      }
    }
  }

  #parseConfig(name: string, plugin: Plugin): unknown {
    const reader = resolveService(this.#options.container, CONFIG_READER);
    const raw = reader.get(`plugins.${name}`) ?? {};
    if (isInvalidConfigSection(raw)) {
      // The slice was isolated by the config schema: this plugin fails, the others run.
      const explain = reader instanceof Config ? reader : undefined;
      throw new PluginConfigInvalidError(
        name,
        raw.problems.map((p) => `${p.path}: ${p.message}${originNote(explain, p.path)}`),
      );
    }
    if (!plugin.configSchema) return raw;
    const parsed = plugin.configSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    throw new PluginConfigInvalidError(
      name,
      parsed.error.issues.map((issue) => `plugins.${name}.${issue.path.join('.')}: ${issue.message}`),
    );
  }

  async #hook(entry: Entry, hook: 'setup' | 'start' | 'stop', ms: number): Promise<void> {
    const fn = entry.plugin?.[hook];
    if (!fn || !entry.context) return;
    const context = entry.context;
    const run = Promise.resolve()
      .then(() => fn(context))
      .catch((error: unknown) => {
        throw new PluginHookError(entry.name, hook, error);
      });
    await withDeadline(run, {
      ms,
      clock: this.#clock,
      what: `plugin "${entry.name}" ${hook}`,
      fix: `Make ${hook}() of "${entry.name}" finish sooner: start long work in the background and stop it on ctx.signal.`,
    });
  }

  async #stopHooks(entry: Entry): Promise<void> {
    entry.abort?.abort(new Error(`plugin "${entry.name}" is stopping`));
    try {
      await this.#hook(entry, 'stop', this.#options.stopTimeoutMs ?? 5_000);
    } finally {
      for (const disposer of entry.disposers.splice(0)) disposer.dispose();
    }
  }

  async #fail(entry: Entry, error: unknown): Promise<void> {
    setFailed(entry, error);
    this.#options.logger.error(
      { err: error, plugin: entry.name },
      'plugin failed to start; continuing without it',
    );
    // Release whatever setup acquired; a failing stop must not hide the original error.
    await this.#stopHooks(entry).catch((stopError: unknown) =>
      this.#options.logger.warn({ err: stopError, plugin: entry.name }, 'cleanup of failed plugin failed'),
    );
  }

  #registerHealth(entry: Entry): void {
    const registry = resolveService(this.#options.container, HEALTH_REGISTRY);
    const health = entry.plugin?.health;
    const disposer = registry.register(
      `plugin:${entry.name}`,
      async () => {
        if (entry.state === 'failed') return { status: 'fail', message: entry.error?.message };
        if (entry.state === 'stopped') return { status: 'warn', message: 'stopped' };
        return health && entry.context ? health(entry.context) : 'pass';
      },
      {
        critical: entry.found?.manifest.health?.critical ?? false,
        timeoutMs: entry.found?.manifest.health?.timeoutMs,
      },
    );
    entry.disposers.push(disposer);
  }
}

function newEntry(name: string, version: string, dir: string, found?: FoundManifest): Entry {
  return {
    name,
    version,
    dir,
    found,
    state: 'stopped',
    timings: { loadMs: 0, setupMs: 0, startMs: 0 },
    disposers: [],
  };
}

function setFailed(entry: Entry, error: unknown): void {
  entry.state = 'failed';
  entry.error = {
    code: error instanceof TrellisError ? error.code : 'PLUGIN_HOOK_FAILED',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A router that remembers every route it serves, so the host can withdraw them on stop. */
function tracking(router: HttpRouter, disposers: Disposer[]): HttpRouter {
  return {
    basePath: router.basePath,
    route(route) {
      const disposer = router.route(route);
      disposers.push(disposer);
      return disposer;
    },
    scope: (prefix) => tracking(router.scope(prefix), disposers),
  };
}

/**
 * Puts every plugin after the plugins it depends on (required or optional, when present),
 * keeping folder order otherwise. Plugins in a dependency cycle are marked failed.
 */
function orderByDependencies(entries: Entry[]): Entry[] {
  const byName = new Map(entries.filter((e) => e.found).map((e) => [e.name, e]));
  const ordered: Entry[] = [];
  const state = new Map<Entry, 'visiting' | 'done'>();
  const visit = (entry: Entry, path: string[]): void => {
    if (state.get(entry) === 'done') return;
    if (state.get(entry) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(entry.name)), entry.name];
      for (const name of cycle) {
        const member = byName.get(name);
        if (member && member.state !== 'failed') {
          setFailed(member, new PluginDependencyCycleError(cycle));
        }
      }
      return;
    }
    state.set(entry, 'visiting');
    const manifest = entry.found?.manifest;
    for (const dep of Object.keys({ ...manifest?.optionalDependencies, ...manifest?.dependencies })) {
      const other = byName.get(dep);
      if (other) visit(other, [...path, entry.name]);
    }
    state.set(entry, 'done');
    ordered.push(entry);
  };
  for (const entry of entries) visit(entry, []);
  return ordered;
}

/** ` (from <origin>)` for a path of a loaded config, or nothing when it cannot be explained. */
function originNote(config: Config<unknown> | undefined, path: string): string {
  if (!config) return '';
  try {
    return ` (from ${config.explain(path).origin})`;
  } catch {
    return '';
  }
}
