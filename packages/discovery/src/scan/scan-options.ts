import { z } from 'zod';
import type { ScanFs } from './scan-fs.js';

/** Folders every scan skips unless `ignore` is given: dependencies and Git data. */
export const DEFAULT_SCAN_IGNORE: readonly string[] = ['**/node_modules/**', '**/.git/**'];

const isScanFs = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  ['readdir', 'readFile', 'realpath'].every(
    (method) => typeof (value as Record<string, unknown>)[method] === 'function',
  );

/** Options of {@link scanPlugins}; parsed with this schema, so every invalid option is listed. */
export const ScanOptionsSchema = z.strictObject({
  /**
   * Folders to scan, absolute or relative to `cwd`. An entry may be a glob such as `plugins/*`
   * (`*` and `?` within a name, `**` for any number of folders); each folder it matches is
   * scanned as a root.
   */
  roots: z.array(z.string().min(1)),
  /**
   * `node_modules` folders whose installed packages (scoped ones included) are plugins when their
   * `package.json` has a `trellis` field. Not subject to `ignore` or `maxDepth`.
   */
  nodeModules: z.array(z.string().min(1)).default([]),
  /**
   * Globs of folders not to enter, matched against paths relative to each root entry's base
   * folder (the part before its first wildcard). Replaces {@link DEFAULT_SCAN_IGNORE}; spread it
   * to keep the defaults.
   */
  ignore: z.array(z.string().min(1)).default([...DEFAULT_SCAN_IGNORE]),
  /** Most file-system calls in flight at once. */
  concurrency: z.number().int().min(1).max(1024).default(64),
  /**
   * How many levels below each root a folder without a manifest is entered to look for plugins:
   * 0 scans only the roots themselves. A folder with a manifest is never entered.
   */
  maxDepth: z.number().int().min(0).default(3),
  /** Folder that relative `roots` and `nodeModules` are resolved against; default `process.cwd()`. */
  cwd: z.string().min(1).optional(),
  /** The file-system calls to make; default {@link nodeScanFs}. For tests. */
  fs: z
    .custom<ScanFs>(isScanFs, { message: 'expected an object with readdir, readFile and realpath' })
    .optional(),
});

/** Options of {@link scanPlugins}, as passed. */
export type ScanOptions = z.input<typeof ScanOptionsSchema>;

/** Options of {@link scanPlugins} with defaults applied. */
export type ResolvedScanOptions = z.output<typeof ScanOptionsSchema>;
