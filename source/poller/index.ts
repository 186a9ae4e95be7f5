export {createPoller} from './poller.js';
export type {Poller, PollerOptions, PolledSource} from './poller.js';
export {retryDelayMs, deadlineMs} from './backoff.js';
