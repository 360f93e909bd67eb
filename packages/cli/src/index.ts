export type { CommandGroup } from './command-group.js';
export { printOptionsOf } from './command-group.js';
export { configCommand } from './commands/config.js';
export type { CliInfo } from './commands/info.js';
export { collectInfo, infoCommand } from './commands/info.js';
export type { ConfigSchemaModule } from './config-schema-module.js';
export { loadConfigSchemaModule } from './config-schema-module.js';
export type { CliErrorCode } from './errors.js';
export {
  CLI_ERROR_CODES,
  CliConfigDirNotFoundError,
  CliJsonFileInvalidError,
  CliSchemaInvalidError,
  CliSchemaUnavailableError,
} from './errors.js';
export type { ExitCode } from './exit-codes.js';
export { EXIT_CODES } from './exit-codes.js';
export type { TableRow } from './format-table.js';
export { formatCell, formatTable } from './format-table.js';
export type { CliIO, PrintOptions } from './output.js';
export { printError, printResult, processIO } from './output.js';
export { createProgram } from './program.js';
export { run } from './run.js';
export { CLI_VERSION } from './version.js';
