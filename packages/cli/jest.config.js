import { createJestConfig } from '@trellis/jest-preset';

export default {
  ...createJestConfig(import.meta.url, {
    // bin.ts only wires run() to the process; index.ts only re-exports.
    collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts', '!src/bin.ts'],
  }),
  // commander ships ESM only. Compile it to CommonJS like our sources instead of relying on
  // Jest's require(esm) support, which needs Node 24.9+ and --experimental-vm-modules.
  transformIgnorePatterns: ['/node_modules/(?!\\.pnpm/commander@|commander/)'],
};
