// The gate's public types: what callers pass in, what a prepared action and a confirmation look like, and
// the Gate itself. Kept apart from the code so the UI and the commands can import them without the gate.
import type {AuditLog} from '../audit-log.js';
import type {ActionHistoryStore, ActionRun} from '../history.js';
import type {ActionDefinition, ActionEnv, ActionPlan, ActionTarget, Availability, Severity} from '../types.js';

export interface ReadOnlyMode {
	on: boolean;
	/** Who turned it on, for the refusal: "--read-only", "context prod has readOnly: true". */
	reason: string;
}

export interface GateOptions {
	env: ActionEnv;
	audit: AuditLog;
	readOnly?: ReadOnlyMode;
	history?: ActionHistoryStore;
	user?: string;
	host?: string;
	/** How often the effect check re-reads the hive. */
	effectPollMs?: number;
	/** Default time the effect may take before a run is "unconfirmed" (an action may ask for more). */
	effectTimeoutMs?: number;
	/** Deadline of one request; past it the run is unconfirmed (the hive may still have acted). */
	requestTimeoutMs?: number;
}

export interface ConfirmationRequirement {
	severity: Severity;
	/** low: y/Enter; high: move to Confirm and press Enter; critical: type `expected`. */
	kind: 'yes' | 'confirm' | 'typed';
	/** The text a critical action needs typed: the target's name, or the context name for hive-wide ones. */
	expected: string | null;
	prompt: string;
}

export interface PreparedAction {
	readonly prepId: string;
	readonly action: ActionDefinition;
	readonly targets: ActionTarget[];
	readonly inputs: Record<string, unknown>;
	readonly plan: ActionPlan;
	readonly confirmation: ConfirmationRequirement;
	readonly preparedAt: number;
}

export type ConfirmationAnswer =
	| {kind: 'yes'}
	| {kind: 'confirm'}
	| {kind: 'typed'; text: string}
	/** `--yes` on the command line: the script's author confirmed in advance. */
	| {kind: 'flag-yes'};

/** Only the gate mints these; run() accepts nothing else as a confirmation. */
export interface ConfirmationToken {
	readonly prepId: string;
	readonly how: string;
}

export type PrepareResult =
	| {ok: true; prepared: PreparedAction}
	| {ok: false; status: 'refused'; reason: string; field?: string};

export interface RunOptions {
	dryRun?: boolean;
	/** Aborting stops a sequential run before its next target (like handle.stop()). */
	signal?: AbortSignal;
}

export interface RunHandle {
	runId: string;
	done: Promise<ActionRun>;
	/** Stops a sequential run before its next target; what was sent stays sent. */
	stop(): void;
	/** Ends the current wait between two targets now. */
	skipWait(): void;
}

export interface ActionListing {
	action: ActionDefinition;
	availability: Availability;
}

export interface Gate {
	readonly history: ActionHistoryStore;
	readonly env: ActionEnv;
	readonly readOnly: ReadOnlyMode;
	/** Every registry action with its availability here and now (read-only mode included). */
	list(actions: readonly ActionDefinition[]): Promise<ActionListing[]>;
	availability(action: ActionDefinition): Promise<Availability>;
	/**
	 * Captures the targets by id, validates the inputs, and plans the exact requests: what a confirmation
	 * modal shows. Targets default to the action's own choice (the context, the problem agents).
	 */
	prepare(actionId: string, targets?: ActionTarget[], rawInputs?: Record<string, unknown>): Promise<PrepareResult>;
	confirm(prepared: PreparedAction, answer: ConfirmationAnswer): {ok: true; token: ConfirmationToken} | {ok: false; reason: string};
	start(prepared: PreparedAction, token: ConfirmationToken | null, options?: RunOptions): RunHandle;
	run(prepared: PreparedAction, token: ConfirmationToken | null, options?: RunOptions): Promise<ActionRun>;
	/** The key that makes two runs "the same" for single flight. */
	flightKey(prepared: PreparedAction): string;
	isRunning(prepared: PreparedAction): boolean;
}

/** The options with their defaults filled in: what every part of the gate reads. */
export interface GateSettings {
	env: ActionEnv;
	audit: AuditLog;
	readOnly: ReadOnlyMode;
	history: ActionHistoryStore;
	user: string;
	host: string;
	effectPollMs: number;
	effectTimeoutMs: number;
	requestTimeoutMs: number;
}
