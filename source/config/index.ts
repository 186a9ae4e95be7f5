// The configuration module's public face.
export {resolveConfig, ConfigError, DEFAULT_HIVE_URL, DEFAULT_INTERVAL_SECONDS} from './resolve.js';
export type {ResolvedConfig, ConfigFlags, Origin} from './resolve.js';
export {configDir, stateDir, defaultConfigPath} from './paths.js';
