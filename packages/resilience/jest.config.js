import { createJestConfig } from '@trellis/jest-preset';

export default createJestConfig(import.meta.url, {
  // The watchdog worker runs in its own thread, where Jest's coverage cannot follow; its
  // behaviour is tested through real threads in event-loop-watchdog.test.ts.
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.test.ts',
    '!src/**/index.ts',
    '!src/watchdog/watchdog-worker.ts',
  ],
});
