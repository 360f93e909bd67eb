/**
 * The version of `@trellis/cli`, printed by `trellis --version`.
 *
 * A literal rather than a JSON import or an `import.meta` lookup, because tests run the sources as
 * CommonJS where neither works; `version.test.ts` keeps it equal to `package.json`.
 */
export const CLI_VERSION = '0.1.0';
