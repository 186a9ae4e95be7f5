// The hive's domain objects after parsing and normalising (docs/hive-contract.md, section 3). Everything the sources hand to
// the store, the model and the UI uses these shapes: numbers are numbers, times are epoch milliseconds
// (UTC), unknown values are null. The raw wire shapes live in schemas.ts (zod) beside this file.

export type ApiProfile = 'runbook' | 'beehive';

export const AGENT_STATUSES = [
	'inactive',
	'active',
	'busy',
	'error',
	'maintenance',
	'shutting_down',
	'sleeping',
] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const TASK_STATUSES = [
	'pending',
	'assigned',
	'in_progress',
	'blocked',
	'completed',
	'failed',
	'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export interface Agent {
	id: string;
	name: string;
	type: string;
	role: string;
	/** Known statuses are AgentStatus; an unknown one from a newer hive is kept as-is, not dropped. */
	status: string;
	lastHeartbeat: number | null;
	lastActive: number | null;
	createdAt: number | null;
	tasksCompleted: number;
	tasksFailed: number;
	/** Seconds. */
	averageResponseTime: number | null;
	contextWindowUsage: number | null;
	healthScore: number | null;
	currentTask: string | null;
	errorCount: number;
	tmuxSession: string | null;
}

export interface Task {
	id: string;
	title: string;
	taskType: string | null;
	status: string;
	priority: string | null;
	assignedAgentId: string | null;
	assignedAgentName: string | null;
	retryCount: number;
	maxRetries: number;
	errorMessage: string | null;
	createdAt: number | null;
	assignedAt: number | null;
	startedAt: number | null;
	completedAt: number | null;
}

export type ComponentStatus = 'healthy' | 'unhealthy' | 'not_configured' | string;

export interface HealthComponent {
	name: string;
	status: ComponentStatus;
	details: string | null;
	error: string | null;
	/** As sent: a number of ms, or text such as "<5" or "unknown". */
	responseTime: string | null;
}

export interface HealthReport {
	status: 'healthy' | 'degraded' | 'unhealthy' | string;
	version: string | null;
	/** Empty for a minimal deployment that answers only {status, version}. */
	components: HealthComponent[];
}

/** Gauges from GET /api/dashboard/metrics/coordination; null where the family had no sample. */
export interface CoordinationMetrics {
	successRate: number | null;
	avgCompletionTimeMinutes: number | null;
	agentUtilization: number | null;
	queueLength: number | null;
	longRunning: number | null;
	completedPerHour: number | null;
	failedPerHour: number | null;
}

/** From GET /api/dashboard/metrics/agents. */
export interface AgentMetrics {
	byStatus: Record<string, number>;
	staleHeartbeats: number | null;
}

/** The outcome of one action request, whatever the profile. A 200 with {error} is ok: false. */
export interface ActionReply {
	ok: boolean;
	httpStatus: number;
	message: string;
	body: unknown;
}
