import { createJestConfig } from '@trellis/jest-preset';

export default createJestConfig(import.meta.url);
