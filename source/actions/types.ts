// The shapes shared by the action registry, the gate, the playbooks and whatever drives them (the console's
// modals, `hive-console action`, tests). An action is one declaration (ActionDefinition); everything that
// talks to the outside world goes through ActionEnv, so the same declaration runs against a live hive, the
// simulator, or in dry-run.
import type {z} from 'zod';
import type {ActionReply, ApiProfile} from '../contract/types.js';
import type {ProfileRouteName, Route} from '../contract/routes.js';
import type {HiveSnapshot} from '../contract/snapshot.js';

export type Severity = 'low' | 'high' | 'critical';
export type TargetKind = 'hive' | 'agent' | 'task' | 'stream' | 'setting';

export const ACTION_IDS = [
	'emergency-stop',
	'restart-orchestrator',
	'restart-agent',
	'restart-problem-agents',
	'cancel-task',
	'reassign-task',
	'retry-task',
	'coordination-reset-hard',
	'coordination-reset-full',
	'restart-all-agents',
	'clear-task-queue',
	'force-agent-restart',
	'rebalance',
	'refresh-redis-pools',
	'delete-stream',
	'memory-purge',
	'set-heartbeat-interval',
	'set-coordination-timeout',
	'scale-up',
	'cleanup-tasks',
	'update-performance-metrics',
	'distribution-analysis',
	'latency-analysis',
	'performance-analysis',
	'weekly-analysis',
	'coordination-diagnostics',
	'coordination-failures',
	'system-health',
	'auto-heal',
	'auto-heal-aggressive',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/** What an action acts on, captured by id when the confirmation opens; polling never moves it. */
export interface ActionTarget {
	kind: TargetKind;
	id: string;
	/** Display name (agent name, task title, stream key, context name); typed for critical actions. */
	name: string;
	/** Why this target was chosen (e.g. "status error"), so the pre-check can tell if the reason is gone. */
	reason?: string;
}

export type PlannedRequest =
	| {
			kind: 'http';
			method: Route['method'];
			/** The route as in the table (placeholders unfilled), for the HTTP client. */
			route: Route;
			params?: Record<string, string>;
			query?: Record<string, string | number>;
			body?: unknown;
			/** The exact path and query that goes on the wire, for display and the audit log. */
			display: string;
			/** The target this request is for (multi-target actions send one request per target). */
			targetId: string;
	  }
	| {kind: 'redis'; command: string[]; display: string; targetId: string};

export interface ActionPlan {
	requests: PlannedRequest[];
	/** What it will do, in one or two sentences. */
	summary: string;
	/** What cannot be undone; null when it can be. For DEL: length, groups and pending messages lost. */
	irreversible: string | null;
	/** Extra facts read while planning, shown in the modal (e.g. the problem agents found). */
	notes: string[];
}

export type Availability = {available: true} | {available: false; reason: string};

/** The minimal Redis surface the actions use (ioredis' `call`), so tests and the source share it. */
export interface RedisCommander {
	call(command: string, ...args: Array<string | number>): Promise<unknown>;
}

/** Everything an action needs from the world. Built from the hive and Redis sources by env.ts. */
export interface ActionEnv {
	profile: ApiProfile;
	/** The config context's name: the typed confirmation for hive-wide critical actions. */
	contextName: string;
	/** Sends one hive request through the one HTTP client; a 200 with {error} comes back ok: false. */
	send(request: Extract<PlannedRequest, {kind: 'http'}>, signal: AbortSignal): Promise<ActionReply>;
	/** A fresh read of the hive (agents, tasks, metrics) for pre-checks and effect checks. */
	readHive(signal: AbortSignal): Promise<HiveSnapshot>;
	/** Null when no Redis is configured: Redis actions are then unavailable. */
	redis: RedisCommander | null;
	/** The Redis memory allocator (INFO memory mem_allocator) if known, for MEMORY PURGE availability. */
	redisAllocator(): Promise<string | null>;
	/** The context's stale-heartbeat threshold in seconds (config `thresholds`); absent: the model's default. */
	staleHeartbeatSeconds?: number;
}

export interface ActionInputField {
	name: string;
	label: string;
	unit: string;
	min: number;
	max: number;
	default: number;
}

export interface ActionArgs<I> {
	targets: ActionTarget[];
	inputs: I;
	env: ActionEnv;
	signal: AbortSignal;
}

export type PreCheck =
	| {proceed: true; targets: ActionTarget[]; notes?: string[]}
	/** The reason for the action is gone (agent recovered, task finished): send nothing, say so. */
	| {proceed: false; reason: string};

/** `final`: not seen, and it will not be (the hive's reply says it did nothing): the run ends unconfirmed at once. */
export type EffectCheck = {seen: true; message: string} | {seen: false; message: string; final?: boolean};

/** What the gate remembers between sending and the effect check (e.g. the agent count before scale-up). */
export type Baseline = Record<string, unknown>;

export interface ActionDefinition<I extends Record<string, unknown> = Record<string, unknown>> {
	id: ActionId;
	title: string;
	/** Default key in the console (remappable); never a Ctrl- key or a navigation key. */
	key: string;
	severity: Severity;
	targetKind: TargetKind;
	/** More than one target at once (cancel several marked tasks). */
	multiTarget: boolean;
	/** False only for the analyses: GETs whose result is shown in a detail view. */
	mutates: boolean;
	/** The profile routes it sends to; availability follows the route table. 'redis' for Redis commands. */
	uses: ProfileRouteName[] | 'redis';
	inputSchema: z.ZodType<I>;
	inputFields: ActionInputField[];
	/** Extra availability on top of the route table (e.g. MEMORY PURGE needs jemalloc). */
	extraAvailability?(env: ActionEnv): Promise<Availability>;
	/** Targets the action picks itself when none are given (hive-wide, or the problem agents). */
	defaultTargets?(env: ActionEnv, signal: AbortSignal): Promise<ActionTarget[]>;
	describe(args: ActionArgs<I>): Promise<ActionPlan>;
	/** Re-reads the targets right before sending; may drop targets whose reason is gone. */
	preCheck?(args: ActionArgs<I>): Promise<PreCheck>;
	/** Read before sending, handed to the effect check. */
	baseline?(args: ActionArgs<I>): Promise<Baseline>;
	/** Polled after a successful send until it sees the effect or the gate's timeout passes. */
	effect?(args: ActionArgs<I> & {baseline: Baseline; sentAt: number; replies: ActionReply[]}): Promise<EffectCheck>;
	/** Sequential actions wait this long between targets (skippable by the gate). */
	spacingMs?: number;
	/** How long the effect check may take before the action is "unconfirmed". */
	effectTimeoutMs?: number;
}

/** Thrown by ActionEnv.send when no reply came in time: the hive may or may not have acted. */
export class RequestTimeoutError extends Error {
	override name = 'RequestTimeoutError';
}
