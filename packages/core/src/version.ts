/**
 * The version of `@trellis/core`, which is the Trellis platform API version that a plugin's
 * manifest `platform` range is checked against. A test keeps it equal to `package.json`.
 */
export const TRELLIS_VERSION = '0.1.0';
