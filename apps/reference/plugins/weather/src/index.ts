export type { FlakyUpstreamOptions, Forecast } from './flaky-upstream.js';
export { createFlakyUpstream, UpstreamError } from './flaky-upstream.js';
export type { WeatherConfig } from './weather-plugin.js';
export { plugin, WeatherConfigSchema } from './weather-plugin.js';
