import { createToken } from '@trellis/core';
import type { Config } from './runtime/config.js';

/** The typed {@link Config} of a platform (also registered as core's `CONFIG_READER`). */
export const CONFIG = createToken<Config<unknown>>('@trellis/config.Config');
