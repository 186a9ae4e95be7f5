// The model's public face: pure functions of snapshots and thresholds.
export {assess, isGrowing, unevenAssignment, recommendationsFor} from './assess.js';
export {streamBacklog} from '../store/history.js';
export type {AssessInput} from './assess.js';
export {assessMetric, classify, formatNumber, METRIC_LABELS} from './metrics.js';
export {
	hiveTime,
	heartbeatAgeSeconds,
	isStale,
	isWorking,
	staleAgents,
	staleAgentsOf,
	staleHeartbeat,
	
	responseTimeOfWorking,
	HEARTBEATING_STATUSES,
	DEFAULT_STALE_HEARTBEAT_SECONDS,

} from './agents.js';
export {conditionLine, flakyApi, slowDatabase} from './conditions.js';
export {describeUntrusted, judgeSource, shortDuration} from './freshness.js';
export {DEFAULT_THRESHOLDS, mergeThresholds} from './thresholds.js';
export type {ThresholdOverrides} from './thresholds.js';
