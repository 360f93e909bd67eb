import { z } from 'zod';
import { ArchiveOptionsInvalidError } from './archive-errors.js';

/**
 * Limits on what one archive may unpack to. The defaults are far above any real plugin (a large
 * one with its `node_modules` has a few thousand files and tens of MB) and far below what fills a
 * disk, so a zip bomb is refused while it is still being listed.
 */
export const ArchiveLimitsSchema = z.object({
  /** Most entries (files, folders, links) the archive may hold. Default 20,000. */
  maxEntries: z.number().int().positive().default(20_000),
  /** Most bytes its files may hold once uncompressed. Default 500 MB. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(500 * 1024 * 1024),
});

/** Options of {@link extractPluginArchive}: the limits of {@link ArchiveLimitsSchema}. */
export type ExtractPluginArchiveOptions = z.input<typeof ArchiveLimitsSchema>;

/** {@link ExtractPluginArchiveOptions} with the defaults applied. */
export type ArchiveLimits = z.output<typeof ArchiveLimitsSchema>;

/** Validates extraction options and applies the default limits. */
export function parseArchiveLimits(options: ExtractPluginArchiveOptions = {}): ArchiveLimits {
  const result = ArchiveLimitsSchema.safeParse(options);
  if (result.success) return result.data;
  throw new ArchiveOptionsInvalidError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`),
  );
}
