export type { HelloConfig } from './hello-plugin.js';
export { HelloConfigSchema, plugin } from './hello-plugin.js';
