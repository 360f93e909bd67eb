import { createJestConfig } from '@trellis/jest-preset';

export default createJestConfig(import.meta.url, {
  // main.ts and cli-schema.ts only read the environment and delegate; e2e tests run them built.
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.test.ts',
    '!src/index.ts',
    '!src/main.ts',
    '!src/config/cli-schema.ts',
  ],
  testTimeout: 30_000,
});
