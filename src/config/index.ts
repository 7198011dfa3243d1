/** Loads and validates `config/*.yaml` into a frozen `Config`. */
export { DEFAULT_CONFIG_PATH, loadConfig, parseConfig } from './load.js';
export type { LoadConfigOptions } from './load.js';
export { configSchema, formatPath } from './schema.js';
export type { Config, ConfigInput, SourceConfig } from './schema.js';
export { PRODUCT_USER_AGENT, VERSION } from './version.js';
