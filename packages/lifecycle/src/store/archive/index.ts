// Safe install sources: plugin archives and folders are judged as a whole before anything is
// written, written into a staging folder, checked again on disk, and only then moved into place.
export type {
  ArchiveErrorCode,
  ArchiveUnsafeFacts,
  ArchiveUnsafeReason,
  InstallSource,
} from './archive-errors.js';
export {
  ARCHIVE_ERROR_CODES,
  ArchiveOptionsInvalidError,
  PluginArchiveInvalidError,
  PluginArchiveUnsafeError,
} from './archive-errors.js';
export type { ArchiveLimits, ExtractPluginArchiveOptions } from './archive-limits.js';
export { ArchiveLimitsSchema } from './archive-limits.js';
export { copyPluginFolder } from './copy-plugin-folder.js';
export { extractPluginArchive } from './extract-plugin-archive.js';
export type { PackedPluginArchive } from './pack-plugin-folder.js';
export { PACKED_ROOT_FOLDER, packPluginFolder } from './pack-plugin-folder.js';
export type { PluginSourceResult } from './plugin-source-result.js';
