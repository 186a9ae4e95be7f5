// Small builders for HiveSnapshot values, so each model test states only what it is about.
import type {Agent, Task} from '../../source/contract/types.js';
import type {HiveSnapshot} from '../../source/contract/snapshot.js';

export const AT = Date.parse('2025-08-07T10:30:00Z');

export function agent(overrides: Partial<Agent> = {}): Agent {
	return {
		id: overrides.id ?? `agent-${Math.random().toString(36).slice(2, 8)}`,
		name: 'agent',
		type: 'claude',
		role: 'backend_developer',
		status: 'active',
		lastHeartbeat: AT - 10_000,
		lastActive: AT - 10_000,
		createdAt: AT - 86_400_000,
		tasksCompleted: 10,
		tasksFailed: 0,
		averageResponseTime: 2,
		contextWindowUsage: 0.4,
		healthScore: 100,
		currentTask: null,
		errorCount: 0,
		tmuxSession: null,
		...overrides,
	};
}

export function task(overrides: Partial<Task> = {}): Task {
	return {
		id: `task-${Math.random().toString(36).slice(2, 8)}`,
		title: 'task',
		taskType: null,
		status: 'in_progress',
		priority: 'medium',
		assignedAgentId: null,
		assignedAgentName: null,
		retryCount: 0,
		maxRetries: 3,
		errorMessage: null,
		createdAt: AT - 60_000,
		assignedAt: AT - 60_000,
		startedAt: AT - 60_000,
		completedAt: null,
		...overrides,
	};
}

export function snapshot(overrides: {
	successRate?: number | null;
	queueLength?: number | null;
	longRunning?: number | null;
	activeAgents?: number | null;
	agents?: Agent[] | null;
	tasks?: Task[];
	coordination?: null;
} = {}): HiveSnapshot {
	const agents = overrides.agents === undefined ? [agent({name: 'a1'}), agent({name: 'a2'}), agent({name: 'a3'})] : overrides.agents;
	return {
		at: AT,
		profile: 'beehive',
		profileSource: 'auto',
		coordination:
			overrides.coordination === null
				? null
				: {
						successRate: overrides.successRate === undefined ? 98 : overrides.successRate,
						avgCompletionTimeMinutes: 3,
						agentUtilization: 50,
						queueLength: overrides.queueLength === undefined ? 4 : overrides.queueLength,
						longRunning: overrides.longRunning === undefined ? 0 : overrides.longRunning,
						completedPerHour: 10,
						failedPerHour: 0,
					},
		agentMetrics: null,
		health: null,
		agents,
		activeAgents: overrides.activeAgents === undefined ? (agents?.filter((a) => a.status === 'active').length ?? null) : overrides.activeAgents,
		totalAgents: agents?.length ?? null,
		tasks: {byStatus: {}, queueLength: null, longRunning: overrides.longRunning ?? 0, stuck: [], items: overrides.tasks ?? []},
		partialErrors: [],
	};
}
