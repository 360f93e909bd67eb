// Imports a package its package.json does not declare: resolvable on disk, so inline and worker
// plugins load it, but outside what a `process` plugin may read.
import { definePlugin } from '@trellis/core';

export const plugin = definePlugin({});
