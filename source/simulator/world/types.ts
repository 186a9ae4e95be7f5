// The simulated hive's records (agents, tasks, counted buckets, log lines, events) and what the world
// queues for the bridges that drain it (bus operations).
import {AGENT_STATUSES, PRIORITIES} from './constants.js';

export type AgentStatus = (typeof AGENT_STATUSES)[number];
export type TaskStatus = 'pending' | 'assigned' | 'in_progress' | 'blocked' | 'completed' | 'failed' | 'cancelled';
export type Priority = (typeof PRIORITIES)[number];

export interface SimAgent {
	id: string;
	name: string;
	type: string;
	role: string;
	status: AgentStatus;
	lastHeartbeat: number | null;
	lastActive: number | null;
	createdAt: number;
	completed: number;
	failed: number;
	errorCount: number;
	/** Seconds; what this agent answers in when nothing is wrong. */
	baseResponse: number;
	contextWindowUsage: number;
	tmuxSession: string | null;
	/** Communication broken: no heartbeats, reads its stream but never acknowledges. */
	sick: boolean;
	/** Hit by the communication fault; stays sick after a restart until the Redis pools are refreshed. */
	commAffected: boolean;
	maintenanceUntil: number | null;
	lastPing: number;
	assigned: string[];
	running: Set<string>;
}

export interface SimTask {
	id: string;
	title: string;
	type: string;
	status: TaskStatus;
	priority: Priority;
	agentId: string | null;
	retryCount: number;
	maxRetries: number;
	errorMessage: string | null;
	createdAt: number;
	assignedAt: number | null;
	startedAt: number | null;
	completedAt: number | null;
	durationMs: number;
	/** Wedged by the task-distribution fault: never finishes on its own. */
	stalled: boolean;
	/** Old rows added by the slow-database fault (a bloated table); cleanup removes them. */
	bloat: boolean;
	/** Put there by a scenario's backdating (a wedged or backlogged task), not by the world's own work. */
	staged: boolean;
	/**
	 * A duplicate submission made by a fault's retry storm (the same work submitted again after a timeout).
	 * A coordinator that is working again merges it into its original: the row goes, and its creation count.
	 */
	resubmission: boolean;
	workflowId: string | null;
}

export interface CreatedBucket {
	created: number;
	completed: number;
	failed: number;
	cancelled: number;
	/**
	 * Failures the coordinator recorded while its state had diverged from the agents': the agent did the work,
	 * but the result never reached the registry. Agents report them again when they re-register with a
	 * coordinator that is in sync, and they then count as completed.
	 */
	inDoubt?: number;
}
export interface FinishedBucket {
	completed: number;
	failed: number;
	minutes: number;
}

export interface Faults {
	coordination: boolean;
	communication: boolean;
	distribution: boolean;
	dbBloat: boolean;
	flaky: boolean;
}

export type BusOp =
	| {kind: 'xadd'; stream: string; fields: Record<string, string>}
	/** stream: the role stream the registration is announced on; null for a role without one. */
	| {kind: 'ensure-agent'; agentId: string; stream: string | null}
	| {kind: 'drain-pending'; agentId: string}
	/** The shipped server's full coordination reset deletes every agent_messages:* stream. */
	| {kind: 'delete-agent-streams'};

export interface LogEntry {
	at: number;
	level: 'INFO' | 'WARNING' | 'ERROR';
	logger: string;
	message: string;
}

export interface WorldEvent {
	agentId: string | null;
	type: string;
	payload: Record<string, unknown>;
	at: number;
}

export interface WorldOptions {
	agents: number;
	seed: number;
	now?: number;
}
