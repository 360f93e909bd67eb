// Test double: an in-memory plugin store that executes plan actions the way the real store's
// executor must (see DesiredStateExecutor), checking each action against its state so a plan
// that does not fit the store fails loudly instead of converging by accident.

import type { PluginIsolation } from '@trellis/core';
import type { DesiredStateExecutor } from './apply-plan.js';
import type {
  DesiredSourceManifest,
  DisableAction,
  DowngradeAction,
  EnableAction,
  InstallAction,
  InstalledPluginState,
  PlanAction,
  ReinstallAction,
  SetIsolationAction,
  UninstallAction,
  UpgradeAction,
} from './desired-state-plan.js';

/** A version held in the memory store. */
export interface MemoryHeldVersion {
  readonly digest: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** One plugin of the memory store. */
export interface MemoryPluginRecord {
  active?: string;
  held: Map<string, MemoryHeldVersion>;
  enabled: boolean;
  isolation?: PluginIsolation;
}

/** An in-memory store and {@link DesiredStateExecutor}, for tests. */
export class MemoryPluginStore implements DesiredStateExecutor {
  /** The plugins, by name. */
  readonly plugins = new Map<string, MemoryPluginRecord>();
  /** Every action executed, as `kind name`. */
  readonly log: string[] = [];
  /** Makes the matching action reject, to test failures. */
  failOn: ((action: PlanAction) => boolean) | undefined;

  constructor(private readonly sources: ReadonlyMap<string, DesiredSourceManifest> = new Map()) {}

  /** What a caller would read from the store before planning. */
  state(): InstalledPluginState[] {
    return [...this.plugins].map(([name, record]) => {
      const active = record.active === undefined ? undefined : record.held.get(record.active);
      const versionDependencies: Record<string, Readonly<Record<string, string>>> = {};
      for (const [version, held] of record.held)
        if (held.dependencies) versionDependencies[version] = held.dependencies;
      return {
        name,
        ...(record.active === undefined ? {} : { active: record.active }),
        versions: [...record.held.keys()],
        enabled: record.enabled,
        ...(record.isolation === undefined ? {} : { isolation: record.isolation }),
        ...(active === undefined ? {} : { digest: active.digest }),
        ...(active?.dependencies === undefined ? {} : { dependencies: active.dependencies }),
        versionDependencies,
      };
    });
  }

  async install(action: InstallAction): Promise<void> {
    this.record(action);
    const record: MemoryPluginRecord = this.plugins.get(action.name) ?? { held: new Map(), enabled: false };
    if (record.active !== undefined) throw new Error(`${action.name} is already installed`);
    this.hold(record, action.name, action.version, action.source);
    record.active = action.version;
    record.enabled = false;
    delete record.isolation;
    this.plugins.set(action.name, record);
  }

  async upgrade(action: UpgradeAction): Promise<void> {
    this.switchVersion(action);
  }

  async downgrade(action: DowngradeAction): Promise<void> {
    this.switchVersion(action);
  }

  async reinstall(action: ReinstallAction): Promise<void> {
    this.record(action);
    const record = this.installed(action.name);
    if (record.active !== action.version) throw new Error(`${action.name} ${action.version} is not active`);
    this.hold(record, action.name, action.version, action.source);
  }

  async uninstall(action: UninstallAction): Promise<void> {
    this.record(action);
    const record = this.installed(action.name);
    if (record.active !== action.version) throw new Error(`${action.name} ${action.version} is not active`);
    delete record.active;
    delete record.isolation;
    record.enabled = false;
  }

  async enable(action: EnableAction): Promise<void> {
    this.record(action);
    const record = this.installed(action.name);
    if (record.enabled) throw new Error(`${action.name} is already enabled`);
    record.enabled = true;
  }

  async disable(action: DisableAction): Promise<void> {
    this.record(action);
    const record = this.installed(action.name);
    if (!record.enabled) throw new Error(`${action.name} is already disabled`);
    record.enabled = false;
  }

  async setIsolation(action: SetIsolationAction): Promise<void> {
    this.record(action);
    const record = this.installed(action.name);
    if (record.isolation !== action.from) throw new Error(`${action.name} isolation is ${record.isolation}`);
    if (action.to === undefined) delete record.isolation;
    else record.isolation = action.to;
  }

  private switchVersion(action: UpgradeAction | DowngradeAction): void {
    this.record(action);
    const record = this.installed(action.name);
    if (record.active !== action.from) throw new Error(`${action.name} ${action.from} is not active`);
    this.hold(record, action.name, action.to, action.source);
    record.active = action.to;
  }

  private hold(record: MemoryPluginRecord, name: string, version: string, source: string | undefined): void {
    if (source === undefined) {
      if (!record.held.has(version)) throw new Error(`${name} ${version} is not held`);
      return;
    }
    const manifest = this.sources.get(source);
    if (manifest === undefined || manifest.name !== name || manifest.version !== version)
      throw new Error(`${source} does not hold ${name} ${version}`);
    record.held.set(version, {
      digest: manifest.digest,
      ...(manifest.dependencies === undefined ? {} : { dependencies: manifest.dependencies }),
    });
  }

  private installed(name: string): MemoryPluginRecord {
    const record = this.plugins.get(name);
    if (record?.active === undefined) throw new Error(`${name} is not installed`);
    return record;
  }

  private record(action: PlanAction): void {
    if (this.failOn?.(action)) throw new Error(`${action.kind} ${action.name} failed`);
    this.log.push(`${action.kind} ${action.name}`);
  }
}
