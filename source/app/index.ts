export {createHiveApp, disabledHints} from './create.js';
export type {HiveApp, CreateHiveAppOptions} from './create.js';
