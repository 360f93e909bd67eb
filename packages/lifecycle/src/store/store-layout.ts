import { join } from 'node:path';

/**
 * Where a plugin store keeps things under its root. Plugin names become folder names with
 * `encodeURIComponent` (`@acme/billing` → `%40acme%2Fbilling`), so scoped names stay one level.
 */
export class StoreLayout {
  constructor(readonly root: string) {}

  /** The store's record of installed plugins (written atomically). */
  get stateFile(): string {
    return join(this.root, 'store.json');
  }

  /**
   * The version switch of `plugin` in flight, if any: read at open to undo it after a crash (or
   * kept until an offline switch's health gate has run). One per plugin, so offline switches of
   * several plugins each keep theirs.
   */
  journal(plugin: string): string {
    return join(this.root, 'journals', `${encodeName(plugin)}.json`);
  }

  /** Where the journals are. */
  get journals(): string {
    return join(this.root, 'journals');
  }

  /** The running host serving the store, if any (`claimHost`). */
  get hostFile(): string {
    return join(this.root, 'host.json');
  }

  /** Every plugin's versions, one folder per plugin. */
  get packages(): string {
    return join(this.root, 'packages');
  }

  /** Held while an operation changes the store. */
  get lockFile(): string {
    return join(this.root, 'store.lock');
  }

  /** Staging area, emptied at every open. */
  get tmp(): string {
    return join(this.root, 'tmp');
  }

  /** Code of one installed version (immutable once there). */
  version(plugin: string, version: string): string {
    return join(this.versions(plugin), version);
  }

  /** Every version of a plugin. */
  versions(plugin: string): string {
    return join(this.packages, encodeName(plugin));
  }

  /** The plugin's live data folder (`ctx.dataDir`). */
  data(plugin: string): string {
    return join(this.root, 'data', encodeName(plugin));
  }

  /** The plugin's stored config document. */
  config(plugin: string): string {
    return join(this.root, 'config', `${encodeName(plugin)}.json`);
  }

  /** One backup of a plugin's data and config, taken before an upgrade, downgrade or uninstall. */
  backup(plugin: string, id: string): string {
    return join(this.root, 'backups', encodeName(plugin), id);
  }

  /** Every backup of a plugin. */
  backups(plugin?: string): string {
    return plugin === undefined ? join(this.root, 'backups') : join(this.root, 'backups', encodeName(plugin));
  }

  /** What an uninstall moved aside, until `prune`. */
  trash(plugin?: string, id?: string): string {
    if (plugin === undefined) return join(this.root, 'trash');
    return id === undefined
      ? join(this.root, 'trash', encodeName(plugin))
      : join(this.root, 'trash', encodeName(plugin), id);
  }
}

/** A plugin name as one folder name. */
export function encodeName(plugin: string): string {
  return encodeURIComponent(plugin);
}

/** The plugin name a folder name stands for. */
export function decodeName(folder: string): string {
  return decodeURIComponent(folder);
}
