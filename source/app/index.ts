export {createHiveApp, disabledHints} from './create.js';
export type {HiveApp, CreateHiveAppOptions} from './create.js';
export {applyDisabledHints, consoleActionSources, createConsoleApp, pollControls, type ConsoleActionSources} from './console.js';
export {createConsoleIncident, type ConsoleIncident} from './incident.js';
export {createFocusPolling, type FocusPolling} from './focus-polling.js';
