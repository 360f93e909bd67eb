import { createJestConfig } from '@trellis/jest-preset';

export default createJestConfig(import.meta.url, {
  // main.ts only reads the environment and calls startReferenceApp; the e2e test runs it built.
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts', '!src/index.ts', '!src/main.ts'],
  testTimeout: 30_000,
});
