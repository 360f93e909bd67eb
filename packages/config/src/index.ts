export type { ConfigModuleOptions } from './config-module.js';
export { createConfigModule } from './config-module.js';
export type { ConfigErrorCode } from './errors.js';
export {
  CONFIG_ERROR_CODES,
  ConfigEnvInvalidError,
  ConfigInvalidError,
  ConfigMigrationError,
  ConfigParseError,
  ConfigPathUnknownError,
  ConfigVersionNotFoundError,
  ConfigVersionUnsupportedError,
  ConfigWriteError,
  SecretDecryptError,
  SecretKeyMissingError,
  SecretKeyringInvalidError,
  SnapshotCorruptError,
  SnapshotNotFoundError,
} from './errors.js';
export { backupConfig, MANUAL_BACKUP_LABEL } from './operations/backup-config.js';
export type { ConfigTarget } from './operations/config-target.js';
export { diffConfigSources } from './operations/diff-config-sources.js';
export type { EncryptConfigValueOptions, EncryptedConfigValue } from './operations/encrypt-config-value.js';
export { encryptConfigValue } from './operations/encrypt-config-value.js';
export { explainConfigPath } from './operations/explain-config-path.js';
export { listConfigBackups } from './operations/list-config-backups.js';
export type {
  ConfigFileMigration,
  ConfigMigrationReport,
  MigrateConfigFilesOptions,
} from './operations/migrate-config-files.js';
export { migrateConfigFiles } from './operations/migrate-config-files.js';
export { ConfigDiffSourcesError, ConfigPathNotSecretError } from './operations/operation-errors.js';
export type { ConfigSettingRow } from './operations/print-config.js';
export { printConfig } from './operations/print-config.js';
export type { ConfigRestore } from './operations/restore-config.js';
export { restoreConfig } from './operations/restore-config.js';
export type { ConfigKeyRotation, RotatedConfigFile } from './operations/rotate-config-key.js';
export { rotateConfigKey } from './operations/rotate-config-key.js';
export type { ConfigValidation } from './operations/validate-config-files.js';
export { validateConfigFiles } from './operations/validate-config-files.js';
export type {
  ConfigChangeEvent,
  ConfigExplanation,
  ConfigHistoryEntry,
  ReloadResult,
} from './runtime/config.js';
export { Config } from './runtime/config.js';
export type { ConfigChangeEntry } from './runtime/diff-config.js';
export { diffConfig } from './runtime/diff-config.js';
export type { ConfigSourcePaths, LoadConfigOptions } from './runtime/load-config.js';
export { loadConfig, resolveSourcePaths } from './runtime/load-config.js';
export type {
  ConfigAnnouncement,
  ConfigSyncEvent,
  RedisConfigSyncOptions,
} from './runtime/redis-config-sync.js';
export { startRedisConfigSync } from './runtime/redis-config-sync.js';
export type { WatchConfigOptions } from './runtime/watch-config.js';
export { watchConfig } from './runtime/watch-config.js';
export type { ComposeConfigSchemaOptions } from './schema/compose-schema.js';
export { composeConfigSchema } from './schema/compose-schema.js';
export type { ConfigProblem } from './schema/config-problem.js';
export type { SectionProblem } from './schema/invalid-config-section.js';
export { InvalidConfigSection, isInvalidConfigSection } from './schema/invalid-config-section.js';
export { duration, parseDuration, secret } from './schema/markers.js';
export { secretPaths } from './schema/schema-walk.js';
export { isSecret, REDACTED_TEXT, Secret } from './schema/secret-value.js';
export type { ValidateConfigInput, ValidationResult } from './schema/validate-config.js';
export { validateConfig } from './schema/validate-config.js';
export { decryptSecret, encryptSecret, isEnvelope } from './secrets/envelope.js';
export { Keyring, loadKeyring } from './secrets/keyring.js';
export type { ConfigLayer, Origin } from './sources/origin.js';
export { formatOrigin } from './sources/origin.js';
export { writeFileAtomic } from './store/atomic-write.js';
export type { SnapshotInfo } from './store/snapshot-store.js';
export { SnapshotStore } from './store/snapshot-store.js';
export { CONFIG } from './tokens.js';
export type { ConfigDocument, ConfigMigration, MigrationResult } from './versions/migrations.js';
export { documentVersion, migrateDocument } from './versions/migrations.js';
