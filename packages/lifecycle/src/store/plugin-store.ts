import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { atomicWriteFile, type Clock, type PluginIsolation, systemClock } from '@trellis/core';
import { type DiscoveredManifest, readManifest } from '@trellis/discovery';
import pLimit from 'p-limit';
import { type PluginVerification, type TrustPolicy, verifyPlugin } from '../integrity/index.js';
import type { ManagedPluginInput } from '../manager/plugin-manager-options.js';
import { copyPluginFolder, extractPluginArchive } from './archive/index.js';
import { contentDigest } from './content-digest.js';
import {
  PluginNotInstalledError,
  PluginRollbackUnavailableError,
  PluginVersionNotInStoreError,
} from './store-errors.js';
import { clearJournal, readJournal, type StoreJournal, writeJournal } from './store-journal.js';
import { decodeName, StoreLayout } from './store-layout.js';
import { acquireStoreLock, isAlive } from './store-lock.js';
import { readStoreState, type StoredPlugin, type StoreState, writeStoreState } from './store-state.js';

/** Options of {@link PluginStore.open}. */
export interface PluginStoreOptions {
  /** Which signing keys are trusted and whether unsigned plugins may be installed and loaded. */
  readonly trust?: TrustPolicy;
  /** Time of backups, journals and records; default the system clock. */
  readonly clock?: Clock;
  /**
   * Told after each durable step of a change (progress reporting; the crash tests kill the
   * process at each one to prove the store recovers from any of them).
   */
  readonly onStep?: (step: StoreStep, plugin: string) => void | Promise<void>;
}

/** The durable steps of store changes, in the order an upgrade takes them. */
export type StoreStep =
  | 'hold:moved'
  | 'hold:recorded'
  | 'backup:copied'
  | 'backup:done'
  | 'switch:journalled'
  | 'switch:recorded'
  | 'restore:aside'
  | 'restore:done'
  | 'undo:recorded'
  | 'settled';

/** A plugin unpacked into the store's staging area, checked, not yet installed. */
export interface StagedPlugin {
  readonly name: string;
  readonly version: string;
  readonly manifest: DiscoveredManifest;
  /** The staging folder (under the store's `tmp/`). */
  readonly dir: string;
  readonly digest: string;
  /** The folder or archive it came from, absolute. */
  readonly source: string;
  readonly verification: PluginVerification;
}

/** A stored plugin with its name and the folder of its active version. */
export interface StoredPluginView extends StoredPlugin {
  readonly name: string;
  /** Folder of the active version; absent once uninstalled. */
  readonly dir?: string;
}

/** What {@link PluginStore.prune} removed. */
export interface PruneResult {
  readonly versions: readonly { readonly plugin: string; readonly version: string }[];
  readonly backups: number;
  readonly trash: number;
}

/** What {@link PluginStore.recover} did at open. */
export interface StoreRecovery {
  /** The changes a crash interrupted, undone. */
  readonly undone: readonly StoreJournal[];
  /** Staged or half-copied folders removed. */
  readonly removed: number;
}

/**
 * Plugins read at once by whole-store scans (verify, recovery, planning): each reads several
 * files, and 1,500 plugins at once exhaust a default 1,024 file-descriptor limit (EMFILE).
 */
export const FILE_CONCURRENCY = 16;

const DEFAULT_TRUST: TrustPolicy = { trustedKeys: {}, allowUnsigned: true };

/**
 * The embedded plugin store: a directory holding every installed plugin version side by side,
 * each plugin's data folder and config document, backups, and what uninstalls set aside.
 *
 * Every change is made crash-safe: code is staged and renamed into place, the record
 * (`store.json`) is replaced atomically, and a version switch is journalled first, so a process
 * killed at any step leaves, at the next {@link open}, either the old state or the new one.
 * Operations are serialized (in process, and across processes with a lock file).
 *
 * @example
 * ```ts
 * const store = await PluginStore.open('data/plugin-store');
 * const staged = await store.stage('dist/hello-1.0.0.tgz');
 * await store.install(staged);
 * console.log(store.list().map((p) => `${p.name}@${p.active}`));
 * ```
 */
export class PluginStore {
  /** Where things are under the store's root. */
  readonly layout: StoreLayout;
  /** The trust policy installs and loads are verified against. */
  readonly trust: TrustPolicy;
  readonly #clock: Clock;
  readonly #onStep: NonNullable<PluginStoreOptions['onStep']>;
  #state: StoreState = { format: 1, plugins: {} };
  #queue: Promise<unknown> = Promise.resolve();
  #recovery: StoreRecovery = { undone: [], removed: 0 };

  private constructor(root: string, options: PluginStoreOptions) {
    this.layout = new StoreLayout(resolve(root));
    this.trust = options.trust ?? DEFAULT_TRUST;
    this.#clock = options.clock ?? systemClock;
    this.#onStep = options.onStep ?? (() => undefined);
  }

  /**
   * Opens (creating when missing) the store at `root` and settles what a crash left: an
   * interrupted version switch is undone, staging folders are removed.
   * @throws `PLUGIN_STORE_CORRUPT` when `store.json` is not a store record.
   */
  static async open(root: string, options: PluginStoreOptions = {}): Promise<PluginStore> {
    const store = new PluginStore(root, options);
    await mkdir(store.layout.root, { recursive: true });
    await store.#exclusive(() => store.#recover());
    return store;
  }

  /** Reads the record again: another process (the CLI, offline) may have changed the store. */
  async refresh(): Promise<void> {
    this.#state = await readStoreState(this.layout.stateFile);
  }

  /** What opening the store had to repair. */
  get recovery(): StoreRecovery {
    return this.#recovery;
  }

  /** Every plugin the store records (uninstalled ones too, with no `active`), by name. */
  list(): StoredPluginView[] {
    return Object.keys(this.#state.plugins)
      .sort()
      .map((name) => this.#view(name));
  }

  /** One plugin's record, or undefined. */
  get(name: string): StoredPluginView | undefined {
    return this.#state.plugins[name] ? this.#view(name) : undefined;
  }

  /** The record, or `PLUGIN_NOT_INSTALLED` when the plugin has no active version. */
  require(name: string): StoredPluginView & { readonly active: string; readonly dir: string } {
    const view = this.get(name);
    if (view?.active === undefined || view.dir === undefined) {
      throw new PluginNotInstalledError(
        name,
        this.list().flatMap((p) => (p.active ? [p.name] : [])),
      );
    }
    return view as StoredPluginView & { readonly active: string; readonly dir: string };
  }

  /** The manifest of a held version (default the active one). */
  async manifest(name: string, version?: string): Promise<DiscoveredManifest> {
    const held = this.#state.plugins[name];
    const wanted = version ?? held?.active;
    if (!held || wanted === undefined) throw new PluginNotInstalledError(name, []);
    if (!held.versions.includes(wanted)) throw new PluginVersionNotInStoreError(name, wanted, held.versions);
    const key = `${name}@${wanted}`;
    const cached = this.#manifests.get(key);
    if (cached) return cached;
    const found = await readManifest(this.layout.version(name, wanted));
    /* c8 ignore next -- a held version always has its manifest: it was checked at install */
    if (!found) throw new PluginVersionNotInStoreError(name, wanted, held.versions);
    // Held versions are immutable (a reinstall clears the entry), so one read serves every check.
    this.#manifests.set(key, found.manifest);
    return found.manifest;
  }

  /**
   * Unpacks a folder or an npm-pack `.tgz` into the staging area, checks its archive entries, its
   * signature against the trust policy and its manifest. Nothing in the store changes.
   * @throws `PLUGIN_ARCHIVE_UNSAFE` / `PLUGIN_ARCHIVE_INVALID`, an integrity error
   *   (`PLUGIN_FILE_TAMPERED`, `PLUGIN_UNSIGNED`...), or the manifest's validation error.
   */
  async stage(source: string): Promise<StagedPlugin> {
    const from = resolve(source);
    const dir = join(this.layout.tmp, `stage-${randomBytes(6).toString('hex')}`);
    await mkdir(this.layout.tmp, { recursive: true });
    try {
      const isFolder = (await stat(from)).isDirectory();
      if (isFolder) await copyPluginFolder(from, dir);
      else await extractPluginArchive(from, dir);
      const verification = await verifyPlugin(dir, this.trust);
      const found = await readManifest(dir);
      /* c8 ignore next -- copy and extract refuse a source without a manifest */
      if (!found) throw new Error(`no plugin manifest in ${from}`);
      return {
        name: found.manifest.name,
        version: found.manifest.version,
        manifest: found.manifest,
        dir,
        digest: await contentDigest(dir),
        source: from,
        verification,
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Discards a staged plugin that will not be installed. */
  async discard(staged: StagedPlugin): Promise<void> {
    await rm(staged.dir, { recursive: true, force: true });
  }

  /**
   * Moves a staged version into the store beside the others. With `activate`, it becomes the
   * active version of a plugin that has none (a first install, or after an uninstall).
   * A version already held with the same content is kept; with other content it is replaced
   * (a reinstall), which is only allowed for a version that is not active.
   */
  hold(
    staged: StagedPlugin,
    options: {
      readonly activate?: boolean;
      readonly enabled?: boolean;
      readonly isolation?: PluginIsolation;
    } = {},
  ): Promise<StoredPluginView> {
    return this.#exclusive(async () => {
      const now = new Date(this.#clock.now()).toISOString();
      const target = this.layout.version(staged.name, staged.version);
      const held = this.#state.plugins[staged.name];
      const sameContent = held?.digests[staged.version] === staged.digest && (await exists(target));
      this.#manifests.delete(`${staged.name}@${staged.version}`);
      if (sameContent) await rm(staged.dir, { recursive: true, force: true });
      else {
        await mkdir(this.layout.versions(staged.name), { recursive: true });
        if (await exists(target)) {
          // Renamed aside first, so the version folder is always whole: old content or new.
          const aside = join(this.layout.tmp, `replaced-${randomBytes(6).toString('hex')}`);
          await rename(target, aside);
          await rename(staged.dir, target);
          await rm(aside, { recursive: true, force: true });
        } else await rename(staged.dir, target);
        await this.#onStep('hold:moved', staged.name);
      }
      const record: StoredPlugin = held
        ? { ...held, versions: [...new Set([...held.versions, staged.version])], updatedAt: now }
        : { versions: [staged.version], digests: {}, enabled: true, installedAt: now, updatedAt: now };
      record.digests = { ...record.digests, [staged.version]: staged.digest };
      if (options.activate && record.active === undefined) {
        record.active = staged.version;
        record.source = staged.source;
        record.installedAt = now;
        delete record.previous;
        delete record.previousBackup;
      }
      if (options.enabled !== undefined) record.enabled = options.enabled;
      if (options.isolation !== undefined) record.isolation = options.isolation;
      await this.#write({ ...this.#state, plugins: { ...this.#state.plugins, [staged.name]: record } });
      await this.#onStep('hold:recorded', staged.name);
      return this.#view(staged.name);
    });
  }

  /** Copies the plugin's data folder and config document into a new backup; returns its id. */
  backup(name: string, reason: string): Promise<string> {
    return this.#exclusive(() => this.#backup(name, reason));
  }

  /**
   * Switches the active version, journalled: `prepare` runs after the journal is written and
   * before the record switches (write a migrated config there); until {@link settle} is called
   * a crash undoes the switch at the next open, restoring `backup`.
   */
  switchVersion(
    journal: Omit<StoreJournal, 'id' | 'startedAt'>,
    options: { readonly source?: string; readonly gatePending?: boolean } = {},
  ): Promise<StoreJournal> {
    return this.#exclusive(async () => {
      const record = this.#state.plugins[journal.plugin];
      if (!record?.versions.includes(journal.to)) {
        throw new PluginVersionNotInStoreError(journal.plugin, journal.to, record?.versions ?? []);
      }
      const entry: StoreJournal = {
        ...journal,
        ...(record.previous === undefined ? {} : { priorPrevious: record.previous }),
        ...(record.previousBackup === undefined ? {} : { priorBackup: record.previousBackup }),
        id: randomBytes(6).toString('hex'),
        startedAt: new Date(this.#clock.now()).toISOString(),
      };
      await writeJournal(this.layout.journal(journal.plugin), entry);
      await this.#onStep('switch:journalled', journal.plugin);
      const next: StoredPlugin = {
        ...record,
        active: journal.to,
        previous: journal.from,
        previousBackup: journal.backup,
        updatedAt: entry.startedAt,
        ...(options.source === undefined ? {} : { source: options.source }),
      };
      if (options.gatePending) next.gatePending = true;
      else delete next.gatePending;
      await this.#write({ ...this.#state, plugins: { ...this.#state.plugins, [journal.plugin]: next } });
      await this.#onStep('switch:recorded', journal.plugin);
      return entry;
    });
  }

  /** The switch passed its gate (or needs none now): forget the journal. */
  settle(plugin: string): Promise<void> {
    return this.#exclusive(async () => {
      await clearJournal(this.layout.journal(plugin));
      await this.#onStep('settled', plugin);
    });
  }

  /** The switch of `plugin` in flight or waiting for its gate, if any. */
  journal(plugin: string): Promise<StoreJournal | undefined> {
    return readJournal(this.layout.journal(plugin));
  }

  /** Marks an offline switch's gate as run (it passed). */
  clearGate(name: string): Promise<void> {
    return this.#exclusive(async () => {
      const record = this.#state.plugins[name];
      if (!record?.gatePending) return;
      const { gatePending: _done, ...rest } = record;
      await this.#write({ ...this.#state, plugins: { ...this.#state.plugins, [name]: rest } });
      await clearJournal(this.layout.journal(name));
    });
  }

  /**
   * Undoes a switch: restores the data folder and config from `backup` and makes `from` active
   * again, then forgets the journal. Idempotent, so recovery can repeat it after a crash.
   */
  undoSwitch(
    journal: Pick<StoreJournal, 'plugin' | 'from' | 'to' | 'backup' | 'priorPrevious' | 'priorBackup'>,
  ): Promise<void> {
    return this.#exclusive(() => this.#undo(journal));
  }

  /** Puts a backup's data folder and config document back in place of the live ones. */
  restoreBackup(name: string, id: string): Promise<void> {
    return this.#exclusive(async () => {
      const source = this.layout.backup(name, id);
      if (!(await exists(source)))
        throw new PluginRollbackUnavailableError(name, `its backup ${id} is gone (pruned?)`);
      await restoreItem(join(source, 'data'), this.layout.data(name), this.layout.tmp);
      await restoreItem(join(source, 'config.json'), this.layout.config(name), this.layout.tmp);
    });
  }

  /** The stored config document of a plugin, or undefined. */
  async readConfig(name: string): Promise<Record<string, unknown> | undefined> {
    try {
      return JSON.parse(await readFile(this.layout.config(name), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Replaces a plugin's stored config document atomically. */
  async writeConfig(name: string, document: Readonly<Record<string, unknown>>): Promise<void> {
    await atomicWriteFile(this.layout.config(name), `${JSON.stringify(document, null, 2)}\n`);
  }

  /** Sets whether the plugin runs, or its isolation override (`null` removes it). */
  configure(
    name: string,
    change: { readonly enabled?: boolean; readonly isolation?: PluginIsolation | null },
  ): Promise<StoredPluginView> {
    return this.#exclusive(async () => {
      this.require(name);
      const record = { ...(this.#state.plugins[name] as StoredPlugin) };
      if (change.enabled !== undefined) record.enabled = change.enabled;
      if (change.isolation === null) delete record.isolation;
      else if (change.isolation !== undefined) record.isolation = change.isolation;
      record.updatedAt = new Date(this.#clock.now()).toISOString();
      await this.#write({ ...this.#state, plugins: { ...this.#state.plugins, [name]: record } });
      return this.#view(name);
    });
  }

  /**
   * Uninstalls: the plugin's versions, data and config move to the trash (kept until
   * {@link prune}); its record loses its active version. Returns the trash id.
   */
  uninstall(name: string): Promise<string> {
    return this.#exclusive(async () => {
      this.require(name);
      const id = `${stamp(this.#clock)}-${randomBytes(3).toString('hex')}`;
      const staging = join(this.layout.tmp, `trash-${id}`);
      await mkdir(staging, { recursive: true });
      await moveIfPresent(this.layout.versions(name), join(staging, 'packages'));
      await moveIfPresent(this.layout.data(name), join(staging, 'data'));
      await moveIfPresent(this.layout.config(name), join(staging, 'config.json'));
      await atomicWriteFile(
        join(staging, 'meta.json'),
        JSON.stringify({ plugin: name, record: this.#state.plugins[name] }),
      );
      await mkdir(this.layout.trash(name), { recursive: true });
      await rename(staging, this.layout.trash(name, id));
      const { [name]: _gone, ...rest } = this.#state.plugins;
      await this.#write({ ...this.#state, plugins: rest });
      return id;
    });
  }

  /**
   * Frees space: removes every version other than the active and previous ones, every backup
   * but the one a rollback would use, and the trash of uninstalled plugins.
   */
  prune(): Promise<PruneResult> {
    return this.#exclusive(async () => {
      const versions: { plugin: string; version: string }[] = [];
      const plugins = { ...this.#state.plugins };
      let backups = 0;
      for (const [name, record] of Object.entries(plugins)) {
        const keep = new Set([record.active, record.previous].filter((v): v is string => v !== undefined));
        for (const version of record.versions.filter((v) => !keep.has(v))) {
          await rm(this.layout.version(name, version), { recursive: true, force: true });
          versions.push({ plugin: name, version });
        }
        const digests = Object.fromEntries(Object.entries(record.digests).filter(([v]) => keep.has(v)));
        plugins[name] = { ...record, versions: record.versions.filter((v) => keep.has(v)), digests };
        for (const id of await listDir(this.layout.backups(name))) {
          if (id === record.previousBackup) continue;
          await rm(join(this.layout.backups(name), id), { recursive: true, force: true });
          backups++;
        }
      }
      await this.#write({ ...this.#state, plugins });
      let trash = 0;
      for (const folder of await listDir(this.layout.trash())) {
        trash += (await listDir(join(this.layout.trash(), folder))).length;
      }
      await rm(this.layout.trash(), { recursive: true, force: true });
      return { versions, backups, trash };
    });
  }

  /** Checks the active version of each plugin (or of `names`) against the trust policy. */
  async verify(
    names?: readonly string[],
  ): Promise<
    { readonly plugin: string; readonly version: string; readonly result: PluginVerification | Error }[]
  > {
    const chosen = names ?? this.list().flatMap((p) => (p.active ? [p.name] : []));
    const limit = pLimit(FILE_CONCURRENCY);
    return Promise.all(
      chosen.map((plugin) =>
        limit(async () => {
          const view = this.require(plugin);
          const result = await verifyPlugin(view.dir, this.trust).catch((error: Error) => error);
          return { plugin, version: view.active, result };
        }),
      ),
    );
  }

  /**
   * What a {@link PluginManager} needs to run the store's enabled plugins: one input per plugin
   * (its active version's folder and manifest — isolation override applied —, config read from
   * the store). Each folder is verified against the trust policy first, so a file altered after
   * signing is refused at load too; a plugin refused is left out and reported in `refused`.
   */
  async managedInputs(
    config?: (name: string, stored: Record<string, unknown> | undefined) => unknown,
  ): Promise<{
    readonly inputs: ManagedPluginInput[];
    readonly refused: { readonly plugin: string; readonly error: Error }[];
  }> {
    const limit = pLimit(FILE_CONCURRENCY);
    // Verifying hashes every file of a plugin: in parallel (bounded), in name order all the same.
    const outcomes = await Promise.all(
      this.list()
        .filter((view) => view.active !== undefined && view.enabled)
        .map((view) =>
          limit(() =>
            this.input(view.name, view.active as string, config).then(
              (input) => ({ input }),
              (error: unknown) => ({ refused: { plugin: view.name, error: error as Error } }),
            ),
          ),
        ),
    );
    return {
      inputs: outcomes.flatMap((outcome) => ('input' in outcome ? [outcome.input] : [])),
      refused: outcomes.flatMap((outcome) => ('refused' in outcome ? [outcome.refused] : [])),
    };
  }

  /**
   * The manager input of one held version, verified against the trust policy: its folder, its
   * manifest with the store's isolation override, and its config (the stored document, through
   * `config` when given, re-read after {@link reloadConfig}).
   */
  async input(
    name: string,
    version: string,
    config: (name: string, stored: Record<string, unknown> | undefined) => unknown = (_n, stored) =>
      stored ?? {},
  ): Promise<ManagedPluginInput> {
    const dir = this.layout.version(name, version);
    await verifyPlugin(dir, this.trust);
    const found = await this.manifest(name, version);
    const isolation = this.#state.plugins[name]?.isolation;
    const manifest = isolation === undefined ? found : { ...found, isolation };
    let stored = await this.readConfig(name);
    this.#configReaders.set(name, async () => {
      stored = await this.readConfig(name);
    });
    return { manifest, dir, config: () => config(name, stored) };
  }

  /** Refreshes the config a running plugin's input hands out (after a restore). */
  async reloadConfig(name: string): Promise<void> {
    await this.#configReaders.get(name)?.();
  }

  readonly #configReaders = new Map<string, () => Promise<void>>();
  readonly #manifests = new Map<string, DiscoveredManifest>();

  async #backup(name: string, reason: string): Promise<string> {
    const id = `${stamp(this.#clock)}-${randomBytes(3).toString('hex')}`;
    const staging = join(this.layout.tmp, `backup-${id}`);
    await mkdir(staging, { recursive: true });
    if (await exists(this.layout.data(name))) {
      await cp(this.layout.data(name), join(staging, 'data'), { recursive: true, verbatimSymlinks: true });
    }
    if (await exists(this.layout.config(name)))
      await cp(this.layout.config(name), join(staging, 'config.json'));
    const record = this.#state.plugins[name];
    await this.#onStep('backup:copied', name);
    await atomicWriteFile(
      join(staging, 'meta.json'),
      JSON.stringify({
        plugin: name,
        version: record?.active,
        reason,
        takenAt: new Date(this.#clock.now()).toISOString(),
      }),
    );
    await mkdir(this.layout.backups(name), { recursive: true });
    // Renamed into place only once whole: a backup folder is complete or absent.
    await rename(staging, this.layout.backup(name, id));
    await this.#onStep('backup:done', name);
    return id;
  }

  async #undo(
    journal: Pick<StoreJournal, 'plugin' | 'from' | 'to' | 'backup' | 'priorPrevious' | 'priorBackup'>,
  ): Promise<void> {
    const { plugin, from, backup } = journal;
    const source = this.layout.backup(plugin, backup);
    if (await exists(source)) {
      await restoreItem(join(source, 'data'), this.layout.data(plugin), this.layout.tmp, () =>
        this.#onStep('restore:aside', plugin),
      );
      await restoreItem(join(source, 'config.json'), this.layout.config(plugin), this.layout.tmp);
      await this.#onStep('restore:done', plugin);
    }
    const record = this.#state.plugins[plugin];
    if (record) {
      const { gatePending: _gate, previous: _previous, previousBackup: _backup, ...rest } = record;
      const restored: StoredPlugin = {
        ...rest,
        active: from,
        // Undone means as before: what a rollback would have returned to then, it returns to again.
        ...(journal.priorPrevious === undefined ? {} : { previous: journal.priorPrevious }),
        ...(journal.priorBackup === undefined ? {} : { previousBackup: journal.priorBackup }),
        updatedAt: new Date(this.#clock.now()).toISOString(),
      };
      await this.#write({ ...this.#state, plugins: { ...this.#state.plugins, [plugin]: restored } });
      await this.#onStep('undo:recorded', plugin);
    }
    await clearJournal(this.layout.journal(plugin));
  }

  async #recover(): Promise<void> {
    // #exclusive has just read the record.
    const undone: StoreJournal[] = [];
    for (const file of await listDir(this.layout.journals)) {
      const journal = await readJournal(join(this.layout.journals, file));
      if (journal === undefined) continue;
      // An offline switch waits for its gate at the host's start; any other was cut short.
      if (this.#state.plugins[journal.plugin]?.gatePending) continue;
      await this.#undo(journal);
      undone.push(journal);
    }
    let removed = 0;
    for (const entry of await listDir(this.layout.tmp)) {
      await rm(join(this.layout.tmp, entry), { recursive: true, force: true });
      removed++;
    }
    // Version folders the record does not know were being installed when the process died.
    const limit = pLimit(FILE_CONCURRENCY);
    const folders = await listDir(this.layout.packages);
    const strays = await Promise.all(
      folders.map((folder) =>
        limit(async () => {
          const name = decodeName(folder);
          const known = new Set(this.#state.plugins[name]?.versions ?? []);
          const versions = await listDir(this.layout.versions(name));
          return versions
            .filter((version) => !known.has(version))
            .map((version) => this.layout.version(name, version));
        }),
      ),
    );
    for (const stray of strays.flat()) {
      await rm(stray, { recursive: true, force: true });
      removed++;
    }
    this.#recovery = { undone, removed };
  }

  async #write(state: StoreState): Promise<void> {
    await writeStoreState(this.layout.stateFile, state);
    this.#state = state;
  }

  #view(name: string): StoredPluginView {
    const record = this.#state.plugins[name] as StoredPlugin;
    return {
      name,
      ...record,
      ...(record.active === undefined ? {} : { dir: this.layout.version(name, record.active) }),
    };
  }

  /**
   * Records that a running host (an app) serves this store, so tools that would change it
   * offline send their operations to the host instead (`trellis plugins ... --url`).
   * @returns A function that removes the record (call it when the host stops).
   */
  async claimHost(info: { readonly url: string }): Promise<() => Promise<void>> {
    const file = this.layout.hostFile;
    await atomicWriteFile(
      file,
      JSON.stringify({ pid: process.pid, url: info.url, since: new Date(this.#clock.now()).toISOString() }),
    );
    return async () => void (await rm(file, { force: true }));
  }

  /** The running host serving the store at `root`, if its process is alive. */
  static async hostOf(root: string): Promise<{ readonly pid: number; readonly url: string } | undefined> {
    try {
      const host = JSON.parse(await readFile(new StoreLayout(resolve(root)).hostFile, 'utf8')) as {
        pid: number;
        url: string;
      };
      return isAlive(host.pid) ? host : undefined;
    } catch {
      return undefined;
    }
  }

  /** One operation at a time: in this process by a queue, across processes by the lock file. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = async () => {
      const release = await acquireStoreLock(this.layout.lockFile);
      try {
        // Another process may have changed the record since: always work from the file.
        this.#state = await readStoreState(this.layout.stateFile);
        return await work();
      } finally {
        await release();
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function moveIfPresent(from: string, to: string): Promise<void> {
  if (await exists(from)) await rename(from, to);
}

/**
 * Puts a backed-up file or folder back: copied beside the target first, then swapped in by
 * renames, so the target is never half restored. A backup without the item removes the target
 * (the plugin had no data or config then).
 */
async function restoreItem(
  backup: string,
  target: string,
  tmp: string,
  onAside: () => unknown = () => undefined,
): Promise<void> {
  const id = randomBytes(6).toString('hex');
  await mkdir(tmp, { recursive: true });
  const aside = join(tmp, `discard-${id}`);
  if (!(await exists(backup))) {
    await moveIfPresent(target, aside);
    await rm(aside, { recursive: true, force: true });
    return;
  }
  const copy = join(tmp, `restore-${id}`);
  await cp(backup, copy, { recursive: true, verbatimSymlinks: true });
  await moveIfPresent(target, aside);
  await onAside();
  await mkdir(join(target, '..'), { recursive: true });
  await rename(copy, target);
  await rm(aside, { recursive: true, force: true });
}

function stamp(clock: Clock): string {
  return new Date(clock.now())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
