import type { ManifestInvalidError, PluginNameTakenError, PluginScanError } from '../errors.js';
import type { FoundManifest } from '../manifest/read-manifest.js';
import type { Limiter } from './limiter.js';
import type { ScanFs } from './scan-fs.js';

/** A problem {@link scanPlugins} reports without stopping: each names the path it concerns. */
export type ScanProblem = ManifestInvalidError | PluginScanError | PluginNameTakenError;

/** A plugin found by a scan, with the real path of its folder to tell copies from links. */
export interface ScannedPlugin {
  readonly found: FoundManifest;
  readonly realDir: string;
}

/** What the parts of one scan share: bounded file-system calls, the ignore test, and the findings. */
export interface ScanContext {
  readonly fs: ScanFs;
  readonly limit: Limiter;
  /** True when a path relative to its root's base folder matches an ignore pattern. */
  readonly isIgnored: (relativePath: string) => boolean;
  readonly maxDepth: number;
  readonly plugins: ScannedPlugin[];
  readonly problems: ScanProblem[];
}
