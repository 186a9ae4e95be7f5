export {createPoller} from './poller.js';
export type {Poller, PollerOptions, PolledSource} from './poller.js';
export {retryDelayMs, deadlineMs, intervalForDeadline, PROBE_CAP_MS} from './backoff.js';
