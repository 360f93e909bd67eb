import {
  type Clock,
  type DependencyContainer,
  EVENT_BUS,
  LOGGER,
  type PluginActor,
  type PluginIsolation,
  type PluginManifest,
  resolveService,
  systemClock,
  TRELLIS_VERSION,
} from '@trellis/core';
import semver from 'semver';
import type { DeploymentOperation } from '../events/lifecycle-events.js';
import { auditOperation } from '../manager/audit-operation.js';
import { errorSummary } from '../manager/error-summary.js';
import type { PluginManager } from '../manager/plugin-manager.js';
import type { ManagedPluginInput } from '../manager/plugin-manager-options.js';
import type { PluginStore, StagedPlugin } from '../store/plugin-store.js';
import {
  PluginAlreadyInstalledError,
  PluginHealthGateFailedError,
  PluginIncompatibleError,
  PluginRollbackUnavailableError,
} from '../store/store-errors.js';
import type { StoreJournal } from '../store/store-journal.js';
import { checkCompatibility, type InstalledPluginFacts } from './check-compatibility.js';
import { type HealthGateOptions, runHealthGate } from './health-gate.js';

/** Options of {@link PluginDeployer}. */
export interface PluginDeployerOptions {
  /** The store the deployments change. */
  readonly store: PluginStore;
  /** The running manager: changes are made live. Without one they apply at the next start. */
  readonly manager?: PluginManager;
  /** Where `AUDIT_LOG` and `EVENT_BUS` are resolved from, when registered. */
  readonly container?: DependencyContainer;
  /** The health gate after an upgrade, downgrade or rollback. */
  readonly gate?: HealthGateOptions;
  /** The Trellis version platform ranges are checked against; default `TRELLIS_VERSION`. */
  readonly platformVersion?: string;
  /** The config a plugin gets from its stored document; default the document as is. */
  readonly config?: (plugin: string, stored: Record<string, unknown> | undefined) => unknown;
  /** Times operations and drives the gate's waits; default the system clock. */
  readonly clock?: Clock;
}

/** The version an upgrade or downgrade goes to, and optionally the config it runs with. */
export interface DeployTarget {
  /** A folder or an npm-pack `.tgz` holding the version. */
  readonly source?: string;
  /** A version held in the store (or the version the source must hold). */
  readonly version?: string;
  /**
   * A new config document for the plugin, written with the switch (after the backup): the new
   * version is validated and gated with it, and a rollback restores the previous document.
   */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Who asked, for the audit log and events. */
export interface DeployOptions {
  readonly actor?: PluginActor;
}

/** What a deployment did. */
export interface DeploymentResult {
  readonly operation: DeploymentOperation;
  readonly plugin: string;
  /** The version active before, when there was one. */
  readonly from?: string;
  /** The version active after (the one asked for, unless it was rolled back: then it threw). */
  readonly to?: string;
  /** `pending`: no running host; the gate runs at its next start. */
  readonly gate: 'passed' | 'pending' | 'none';
  readonly durationMs: number;
  /** Time the health gate took, when it ran. */
  readonly gateMs?: number;
}

const SYSTEM: PluginActor = { id: 'system' };

/**
 * Installs, upgrades, downgrades, rolls back and uninstalls plugins in a {@link PluginStore},
 * live when given the running {@link PluginManager}.
 *
 * An upgrade or downgrade first checks compatibility (platform range, its dependencies, every
 * dependent's range — nothing changes when it fails), then, with the plugin stopped, backs up its
 * data folder and config, switches the store's record (journalled) and starts the new version;
 * its health gate (active and healthy within `gate.timeoutMs`, dependents included) decides. A
 * failed gate rolls back automatically: data and config restored from the backup, the previous
 * version started again. Every operation is audited and published as `plugin.deployment`.
 *
 * @example
 * ```ts
 * const deployer = new PluginDeployer({ store, manager, container: platform.container });
 * await deployer.upgrade('weather', { source: 'dist/weather-1.3.0.tgz' }, { actor: { id: 'ana' } });
 * ```
 */
export class PluginDeployer {
  /** The store it deploys into. */
  readonly store: PluginStore;
  readonly #options: PluginDeployerOptions;
  readonly #clock: Clock;

  constructor(options: PluginDeployerOptions) {
    this.store = options.store;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Installs a plugin from a folder or `.tgz`; starts it when a manager runs. */
  install(
    source: string,
    options: DeployOptions & { readonly enabled?: boolean; readonly isolation?: PluginIsolation } = {},
  ): Promise<DeploymentResult> {
    return this.#deploy('install', undefined, options, async (record) => {
      const staged = await this.store.stage(source);
      record.plugin = staged.name;
      record.to = staged.version;
      const current = this.store.get(staged.name);
      if (current?.active !== undefined) {
        await this.store.discard(staged);
        throw new PluginAlreadyInstalledError(staged.name, current.active, staged.version);
      }
      if (options.enabled !== false) await this.#checkOrDiscard(staged.manifest, staged);
      await this.store.hold(staged, {
        activate: true,
        ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
        ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
      });
      const manager = this.#options.manager;
      if (!manager || options.enabled === false) return { gate: 'none' };
      await manager.install(await this.#input(staged.name, staged.version), {
        actor: options.actor ?? SYSTEM,
      });
      return { gate: 'none' };
    });
  }

  /**
   * Moves a plugin to a newer version, from a source or a version held in the store, with a
   * backup, a health gate and an automatic rollback.
   * @throws `PLUGIN_INCOMPATIBLE` (nothing changed), `PLUGIN_HEALTH_GATE_FAILED` (rolled back).
   */
  upgrade(name: string, target: DeployTarget, options: DeployOptions = {}): Promise<DeploymentResult> {
    return this.#change('upgrade', name, target, options);
  }

  /** {@link upgrade} to an older version; refused when a dependent's range excludes it. */
  downgrade(name: string, target: DeployTarget, options: DeployOptions = {}): Promise<DeploymentResult> {
    return this.#change('downgrade', name, target, options);
  }

  /**
   * Returns a plugin to the version it ran before its last upgrade, downgrade or rollback, with
   * the data and config it had then (today's are backed up first, so a rollback can be rolled back).
   */
  rollback(name: string, options: DeployOptions = {}): Promise<DeploymentResult> {
    return this.#deploy('rollback', name, options, async (record) => {
      const current = this.store.require(name);
      if (current.previous === undefined || current.previousBackup === undefined) {
        throw new PluginRollbackUnavailableError(
          name,
          'it has not been upgraded or downgraded since it was installed',
        );
      }
      const from = current.active;
      const to = current.previous;
      const restore = current.previousBackup;
      record.from = from;
      record.to = to;
      await this.#assertCompatible(await this.store.manifest(name, to));
      return this.#switch('rollback', name, from, to, options, async () => {
        await this.store.restoreBackup(name, restore);
      });
    });
  }

  /**
   * Replaces the active version's code with a source of the same version but other content (a
   * rebuilt archive): the plugin is stopped, the folder swapped, started again and gated. The
   * previous content is not kept, so a failed gate leaves the plugin failed rather than rolled back.
   */
  reinstall(name: string, source: string, options: DeployOptions = {}): Promise<DeploymentResult> {
    return this.#deploy('reinstall', name, options, async (record) => {
      const current = this.store.require(name);
      record.from = current.active;
      record.to = current.active;
      const staged = await this.store.stage(source);
      if (staged.name !== name || staged.version !== current.active) {
        await this.store.discard(staged);
        throw new PluginIncompatibleError(name, staged.version, [
          `a reinstall takes the same plugin at the same version (${name} ${current.active}); the source holds ${staged.name} ${staged.version}`,
        ]);
      }
      await this.#checkOrDiscard(staged.manifest, staged);
      const manager = this.#options.manager;
      if (!manager?.get(name)) {
        await this.store.hold(staged);
        return { gate: 'none' };
      }
      await manager
        .replace(
          name,
          async () => {
            await this.store.hold(staged);
            return this.#input(name, current.active);
          },
          { actor: options.actor ?? SYSTEM, toVersion: current.active },
        )
        .catch(() => undefined);
      const gate = await runHealthGate(manager, [name], this.#clock, this.#options.gate);
      if (!gate.passed)
        throw new PluginHealthGateFailedError(name, current.active, current.active, gate.reason, false);
      return { gate: 'passed', gateMs: gate.durationMs };
    });
  }

  /** Uninstalls: stops it (dependents first) and moves its versions, data and config to the trash. */
  uninstall(name: string, options: DeployOptions = {}): Promise<DeploymentResult> {
    return this.#deploy('uninstall', name, options, async (record) => {
      record.from = this.store.require(name).active;
      const manager = this.#options.manager;
      if (manager?.get(name)) await manager.uninstall(name, { actor: options.actor ?? SYSTEM });
      await this.store.uninstall(name);
      return { gate: 'none' };
    });
  }

  /** Enables or disables a plugin; live, it is started or stopped and taken out. */
  setEnabled(name: string, enabled: boolean, options: DeployOptions = {}): Promise<DeploymentResult> {
    return this.#deploy(enabled ? 'enable' : 'disable', name, options, async (record) => {
      const current = this.store.require(name);
      record.to = current.active;
      if (current.enabled === enabled) return { gate: 'none' };
      if (enabled) await this.#assertCompatible(await this.store.manifest(name));
      await this.store.configure(name, { enabled });
      const manager = this.#options.manager;
      if (!manager) return { gate: 'none' };
      if (enabled)
        await manager.install(await this.#input(name, current.active), { actor: options.actor ?? SYSTEM });
      else if (manager.get(name)) await manager.uninstall(name, { actor: options.actor ?? SYSTEM });
      return { gate: 'none' };
    });
  }

  /** Overrides the plugin's isolation (`null` returns to its manifest's); live, it restarts in it. */
  setIsolation(
    name: string,
    isolation: PluginIsolation | null,
    options: DeployOptions = {},
  ): Promise<DeploymentResult> {
    return this.#deploy('set-isolation', name, options, async (record) => {
      const current = this.store.require(name);
      record.to = current.active;
      await this.store.configure(name, { isolation });
      const manager = this.#options.manager;
      if (manager?.get(name)) {
        await manager.replace(name, await this.#input(name, current.active), {
          actor: options.actor ?? SYSTEM,
          toVersion: current.active,
        });
      }
      return { gate: 'none' };
    });
  }

  /**
   * Runs the health gate of plugins an offline upgrade switched (`gatePending`), after the host
   * has booted them; a plugin that fails it is rolled back. Returns what each gate decided.
   */
  async runPendingGates(
    options: DeployOptions = {},
  ): Promise<{ readonly plugin: string; readonly passed: boolean }[]> {
    const manager = this.#options.manager;
    if (!manager) return [];
    const outcomes: { plugin: string; passed: boolean }[] = [];
    for (const view of this.store.list().filter((p) => p.gatePending)) {
      const gate = await runHealthGate(manager, [view.name], this.#clock, this.#options.gate);
      if (gate.passed) {
        await this.store.clearGate(view.name);
        outcomes.push({ plugin: view.name, passed: true });
        continue;
      }
      const journal = (await this.store.journal(view.name)) ?? {
        plugin: view.name,
        from: view.previous as string,
        to: view.active as string,
        backup: view.previousBackup as string,
      };
      await this.#rollBack(journal, options);
      this.#publish(
        'rollback',
        view.name,
        journal.to,
        journal.from,
        options.actor ?? SYSTEM,
        'rolled-back',
        gate.durationMs,
        new PluginHealthGateFailedError(view.name, journal.from, journal.to, gate.reason, true),
      );
      outcomes.push({ plugin: view.name, passed: false });
    }
    return outcomes;
  }

  #change(
    operation: 'upgrade' | 'downgrade',
    name: string,
    target: DeployTarget,
    options: DeployOptions,
  ): Promise<DeploymentResult> {
    return this.#deploy(operation, name, options, async (record) => {
      const current = this.store.require(name);
      const from = current.active;
      record.from = from;
      const staged = target.source === undefined ? undefined : await this.store.stage(target.source);
      try {
        if (staged && staged.name !== name) {
          throw new PluginIncompatibleError(name, staged.version, [
            `the source holds plugin "${staged.name}", not "${name}"`,
          ]);
        }
        const to = staged?.version ?? target.version;
        if (to === undefined) throw new PluginIncompatibleError(name, '?', ['give a source or a version']);
        record.to = to;
        if (target.version !== undefined && staged && staged.version !== target.version) {
          throw new PluginIncompatibleError(name, to, [
            `the source holds ${staged.version}, not ${target.version}`,
          ]);
        }
        const wrongWay = operation === 'upgrade' ? semver.lt(to, from) : semver.gt(to, from);
        if (wrongWay) {
          throw new PluginIncompatibleError(name, to, [
            `${to} is ${operation === 'upgrade' ? 'older' : 'newer'} than the active ${from}; use ${operation === 'upgrade' ? 'downgrade' : 'upgrade'}`,
          ]);
        }
        await this.#assertCompatible(staged?.manifest ?? (await this.store.manifest(name, to)));
        if (staged) await this.store.hold(staged);
      } catch (error) {
        if (staged) await this.store.discard(staged);
        throw error;
      }
      // Code that does not load or config that does not migrate is refused with nothing stopped.
      const manager = this.#options.manager;
      if (manager?.get(name))
        await manager.validate(await this.#input(name, record.to as string, target.config));
      const config = target.config;
      return this.#switch(
        operation,
        name,
        from,
        record.to as string,
        options,
        async () => {
          if (config !== undefined) await this.store.writeConfig(name, config);
        },
        staged?.source,
      );
    });
  }

  /** Backup, journalled switch, start, gate; rollback when the gate fails. */
  async #switch(
    operation: 'upgrade' | 'downgrade' | 'rollback',
    name: string,
    from: string,
    to: string,
    options: DeployOptions,
    beforeStart: () => Promise<void>,
    source?: string,
  ): Promise<Pick<DeploymentResult, 'gate' | 'gateMs'>> {
    const manager = this.#options.manager;
    const actor = options.actor ?? SYSTEM;
    let journal: StoreJournal | undefined;
    const switchStore = async () => {
      const backup = await this.store.backup(name, `before ${operation} ${from} → ${to}`);
      journal = await this.store.switchVersion(
        { operation, plugin: name, from, to, backup },
        { ...(source === undefined ? {} : { source }), gatePending: !manager?.get(name) },
      );
      await beforeStart();
      await this.store.reloadConfig(name);
    };
    if (!manager?.get(name)) {
      await switchStore();
      return { gate: 'pending' };
    }
    const dependents = manager
      .list()
      .filter((p) => p.dependencies.includes(name) && p.state === 'active')
      .map((p) => p.name);
    let startError: unknown;
    await manager
      .replace(
        name,
        async () => {
          await switchStore();
          return this.#input(name, to);
        },
        { actor, toVersion: to },
      )
      .catch((error: unknown) => {
        startError = error;
      });
    if (journal === undefined) throw startError;
    const gate =
      startError === undefined
        ? await runHealthGate(manager, [name, ...dependents], this.#clock, this.#options.gate)
        : { passed: false as const, durationMs: 0, reason: errorSummary(startError).message };
    if (gate.passed) {
      await this.store.settle(name);
      return { gate: 'passed', gateMs: gate.durationMs };
    }
    const rolledBack = await this.#rollBack(journal, options).then(
      () => true,
      () => false,
    );
    throw new PluginHealthGateFailedError(name, from, to, gate.reason, rolledBack);
  }

  async #rollBack(
    journal: Pick<StoreJournal, 'plugin' | 'from' | 'to' | 'backup' | 'priorPrevious' | 'priorBackup'>,
    options: DeployOptions,
  ): Promise<void> {
    const manager = this.#options.manager;
    const undo = async () => {
      await this.store.undoSwitch(journal);
      await this.store.reloadConfig(journal.plugin);
      return this.#input(journal.plugin, journal.from);
    };
    if (!manager?.get(journal.plugin)) {
      await undo();
      return;
    }
    await manager.replace(journal.plugin, undo, { actor: options.actor ?? SYSTEM, toVersion: journal.from });
  }

  async #input(
    name: string,
    version: string,
    config?: Readonly<Record<string, unknown>>,
  ): Promise<ManagedPluginInput> {
    const shape = this.#options.config;
    if (config === undefined) return this.store.input(name, version, shape);
    // A config not written yet (the dry load before a switch) stands in for the stored one.
    return this.store.input(name, version, (plugin) =>
      shape ? shape(plugin, { ...config }) : { ...config },
    );
  }

  async #checkOrDiscard(manifest: StagedPlugin['manifest'], staged: StagedPlugin): Promise<void> {
    try {
      await this.#assertCompatible(manifest);
    } catch (error) {
      await this.store.discard(staged);
      throw error;
    }
  }

  /** Throws `PLUGIN_INCOMPATIBLE` when `manifest` cannot join (or replace itself in) the installed set. */
  async #assertCompatible(manifest: PluginManifest): Promise<void> {
    const problems = checkCompatibility(
      manifest,
      await this.#installedFacts(manifest.name),
      this.#platformVersion,
    );
    if (problems.length > 0) throw new PluginIncompatibleError(manifest.name, manifest.version, problems);
  }

  async #installedFacts(except?: string): Promise<InstalledPluginFacts[]> {
    const facts: InstalledPluginFacts[] = [];
    for (const view of this.store.list()) {
      if (view.active === undefined || view.name === except) continue;
      const manifest = await this.store.manifest(view.name);
      facts.push({
        name: view.name,
        version: view.active,
        enabled: view.enabled,
        dependencies: manifest.dependencies ?? {},
      });
    }
    return facts;
  }

  get #platformVersion(): string {
    return this.#options.platformVersion ?? TRELLIS_VERSION;
  }

  /** Runs one deployment; audits and publishes it whatever the outcome. */
  async #deploy(
    operation: DeploymentOperation,
    name: string | undefined,
    options: DeployOptions,
    work: (record: {
      plugin?: string;
      from?: string;
      to?: string;
    }) => Promise<Pick<DeploymentResult, 'gate' | 'gateMs'>>,
  ): Promise<DeploymentResult> {
    const began = this.#clock.now();
    const actor = options.actor ?? SYSTEM;
    const record: { plugin?: string; from?: string; to?: string } =
      name === undefined ? {} : { plugin: name };
    try {
      await this.store.refresh();
      const result = await work(record);
      const durationMs = this.#clock.now() - began;
      await this.#audit(operation, record, actor, 'success', durationMs);
      this.#publish(operation, record.plugin ?? '?', record.from, record.to, actor, 'success', durationMs);
      return {
        operation,
        plugin: record.plugin ?? '?',
        ...(record.from === undefined ? {} : { from: record.from }),
        ...(record.to === undefined ? {} : { to: record.to }),
        ...result,
        durationMs,
      };
    } catch (error) {
      const durationMs = this.#clock.now() - began;
      const rolledBack =
        error instanceof PluginHealthGateFailedError && (error.details as { rolledBack: boolean }).rolledBack;
      const outcome = rolledBack ? 'rolled-back' : 'failure';
      await this.#audit(operation, record, actor, outcome, durationMs, error);
      this.#publish(
        operation,
        record.plugin ?? '?',
        record.from,
        record.to,
        actor,
        outcome,
        durationMs,
        error,
      );
      throw error;
    }
  }

  #publish(
    operation: DeploymentOperation,
    plugin: string,
    from: string | undefined,
    to: string | undefined,
    actor: PluginActor,
    outcome: 'success' | 'failure' | 'rolled-back',
    durationMs: number,
    error?: unknown,
  ): void {
    const container = this.#options.container;
    if (!container?.isRegistered(EVENT_BUS, true)) return;
    const summary = error === undefined ? undefined : errorSummary(error);
    resolveService(container, EVENT_BUS).emit('plugin.deployment', {
      operation,
      plugin,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      actor: actor.id,
      outcome,
      durationMs,
      ...(summary ? { error: { code: summary.code, message: summary.message } } : {}),
    });
  }

  async #audit(
    operation: DeploymentOperation,
    record: { plugin?: string; from?: string; to?: string },
    actor: PluginActor,
    outcome: 'success' | 'failure' | 'rolled-back',
    durationMs: number,
    error?: unknown,
  ): Promise<void> {
    const container = this.#options.container;
    if (!container) return;
    await auditOperation(container, resolveService(container, LOGGER), {
      operation,
      plugin: record.plugin ?? '?',
      actor,
      durationMs,
      failure: error,
      details: {
        ...(record.from === undefined ? {} : { from: record.from }),
        ...(record.to === undefined ? {} : { to: record.to }),
        ...(outcome === 'rolled-back' ? { rolledBack: true } : {}),
      },
    });
  }
}
