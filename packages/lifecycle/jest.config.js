import { createJestConfig } from '@trellis/jest-preset';

export default createJestConfig(import.meta.url, {
  // Plugin-side code runs in worker threads and child processes, which Jest's coverage never
  // reaches; it is tested through real workers and processes instead.
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/index.ts', '!src/runtime/child/**'],
});
