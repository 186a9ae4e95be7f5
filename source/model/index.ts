// The model's public face: pure functions of snapshots and thresholds.
export {assess, isGrowing, streamBacklog, unevenAssignment, recommendationsFor} from './assess.js';
export type {AssessInput} from './assess.js';
export {assessMetric, classify, formatNumber, METRIC_LABELS} from './metrics.js';
export {hiveTime, heartbeatAgeSeconds, isStale, staleAgents, responseTimeOfActive, STALE_HEARTBEAT_SECONDS} from './agents.js';
export {DEFAULT_THRESHOLDS, mergeThresholds} from './thresholds.js';
export type {ThresholdOverrides} from './thresholds.js';
