import { TrellisError } from '@trellis/core';

/** Every error code the install sources (archives and folders) raise; each is documented in `docs/errors.md`. */
export const ARCHIVE_ERROR_CODES = [
  'PLUGIN_ARCHIVE_UNSAFE',
  'PLUGIN_ARCHIVE_INVALID',
  'PLUGIN_ARCHIVE_OPTIONS_INVALID',
] as const;

/** A code from {@link ARCHIVE_ERROR_CODES}. */
export type ArchiveErrorCode = (typeof ARCHIVE_ERROR_CODES)[number];

/** Why an archive or folder entry may not be installed. */
export type ArchiveUnsafeReason =
  | 'absolute-path'
  | 'parent-segment'
  | 'link-escape'
  | 'through-link'
  | 'device'
  | 'unsupported-type'
  | 'too-many-entries'
  | 'too-large';

/** What an install reads from: a packed archive or a plugin folder. */
export interface InstallSource {
  readonly kind: 'archive' | 'folder';
  /** The archive file or the folder, as given. */
  readonly path: string;
}

/** Facts that make an {@link ArchiveUnsafeReason} precise. */
export interface ArchiveUnsafeFacts {
  /** The link target, for `link-escape` and `through-link`. */
  readonly target?: string;
  /** The entry type, for `device` and `unsupported-type`. */
  readonly type?: string;
  /** The limit exceeded, for `too-many-entries` and `too-large`. */
  readonly limit?: number;
}

const WHY: Record<ArchiveUnsafeReason, (facts: ArchiveUnsafeFacts) => string> = {
  'absolute-path': () => 'has an absolute path',
  'parent-segment': () => 'has a ".." path segment',
  'link-escape': (f) => `is a link escaping the plugin folder to ${JSON.stringify(f.target)}`,
  'through-link': (f) =>
    `lies inside a symbolic link (${JSON.stringify(f.target)}), so it would be written elsewhere`,
  device: (f) => `is a ${f.type ?? 'device'} entry (devices, FIFOs and sockets are never installed)`,
  'unsupported-type': (f) => `has the unsupported entry type ${f.type ?? 'unknown'}`,
  'too-many-entries': (f) => `is past the limit of ${f.limit} entries`,
  'too-large': (f) => `takes the content past the limit of ${f.limit} bytes uncompressed`,
};

const FIX: Record<ArchiveUnsafeReason, string> = {
  'absolute-path': 'Pack the plugin again with relative paths (`trellis plugins pack` or `npm pack`).',
  'parent-segment': 'Pack the plugin again without ".." in any path (`trellis plugins pack` or `npm pack`).',
  'link-escape':
    'Make the link point inside the plugin folder with a relative target, or replace it with the file it points to.',
  'through-link': 'Replace the symbolic link with a real folder before packing.',
  device: 'Remove the device, FIFO or socket from the plugin folder before packing.',
  'unsupported-type': 'Pack the plugin again with a standard tar (`trellis plugins pack` or `npm pack`).',
  'too-many-entries':
    'Check the archive is the plugin you meant; a larger plugin needs a higher `maxEntries` option.',
  'too-large': 'Check the archive is the plugin you meant; a larger plugin needs a higher `maxBytes` option.',
};

/**
 * An archive or folder holds an entry that could write outside the plugin folder or exhaust the
 * disk: nothing was installed. The message names the first such entry and why.
 */
export class PluginArchiveUnsafeError extends TrellisError {
  /** Why the entry was refused. */
  readonly reason: ArchiveUnsafeReason;

  constructor(
    source: InstallSource,
    entry: string,
    reason: ArchiveUnsafeReason,
    facts: ArchiveUnsafeFacts = {},
  ) {
    super(
      'PLUGIN_ARCHIVE_UNSAFE',
      `Plugin ${source.kind} ${source.path} was refused, nothing was installed: entry ${JSON.stringify(entry)} ${WHY[reason](facts)}.`,
      { fix: FIX[reason], details: { [source.kind]: source.path, entry, reason, ...facts } },
    );
    this.reason = reason;
  }
}

/**
 * An archive or folder cannot be installed as a plugin: not a gzip tar, no plugin manifest, or a
 * destination that already holds files. `problem` says which; `fix` how to resolve it.
 */
export class PluginArchiveInvalidError extends TrellisError {
  constructor(source: InstallSource, problem: string, fix: string, cause?: unknown) {
    super('PLUGIN_ARCHIVE_INVALID', `Plugin ${source.kind} ${source.path} cannot be installed: ${problem}.`, {
      fix,
      details: { [source.kind]: source.path, problem },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/** The options given to {@link extractPluginArchive} are invalid; every problem is listed. */
export class ArchiveOptionsInvalidError extends TrellisError {
  constructor(problems: readonly string[]) {
    super(
      'PLUGIN_ARCHIVE_OPTIONS_INVALID',
      `Invalid plugin archive options:\n  - ${problems.join('\n  - ')}`,
      {
        fix: 'Correct each listed option.',
        details: { problems },
      },
    );
  }
}
