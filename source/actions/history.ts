// The action history as a small zustand vanilla store: one record per run, updated as it goes from
// checking → sending → pending → confirmed / failed / unconfirmed. The console's toasts and history pane
// subscribe to it; `hive-console action` prints from it; tests read it.
import {createStore, type StoreApi} from 'zustand/vanilla';
import type {ActionId, ActionTarget, Severity} from './types.js';

export type RunStatus =
	/** Read-only mode, unavailable in this profile, missing or wrong confirmation: nothing sent. */
	| 'refused'
	/** The same action on the same target is already running: nothing sent. */
	| 'busy'
	/** The pre-check found the reason gone (agent recovered, task finished): nothing sent. */
	| 'skipped'
	| 'dry-run'
	| 'checking'
	| 'sending'
	/** Sent and accepted; waiting for the effect check. */
	| 'pending'
	| 'confirmed'
	| 'failed'
	/** Accepted (or no reply in time) but the effect was not seen before the timeout. */
	| 'unconfirmed'
	/** Stopped midway by the operator; the progress says which targets were sent. */
	| 'stopped';

export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['refused', 'busy', 'skipped', 'dry-run', 'confirmed', 'failed', 'unconfirmed', 'stopped']);

export interface RunProgress {
	at: number;
	targetId: string;
	targetName: string;
	state: 'waiting' | 'checking' | 'sent' | 'failed' | 'skipped';
	message: string;
}

export interface RunReply {
	targetId: string;
	request: string;
	ok: boolean;
	httpStatus: number;
	message: string;
	body: unknown;
}

export interface ActionRun {
	runId: string;
	actionId: ActionId;
	title: string;
	severity: Severity;
	targets: ActionTarget[];
	inputs: Record<string, unknown>;
	/** The exact requests, as shown in the confirmation. */
	requests: string[];
	status: RunStatus;
	/** One line: the hive's own message on failure, the effect seen on success, why it was refused. */
	message: string;
	/** Notes from planning and the pre-check (targets dropped, facts read). */
	notes: string[];
	startedAt: number;
	sentAt: number | null;
	finishedAt: number | null;
	/** 'effect': the effect check saw it; 'reply': the action has no read-back, the hive's reply confirmed it. */
	confirmedBy: 'effect' | 'reply' | null;
	progress: RunProgress[];
	replies: RunReply[];
	/** Epoch ms until which a sequential run waits before its next target (skippable); null when not waiting. */
	waitingUntil: number | null;
}

export interface ActionHistoryState {
	runs: ActionRun[];
}

export type ActionHistoryStore = StoreApi<ActionHistoryState>;

const MAX_RUNS = 200;

export function createActionHistory(): ActionHistoryStore {
	return createStore<ActionHistoryState>(() => ({runs: []}));
}

export function addRun(store: ActionHistoryStore, run: ActionRun): void {
	store.setState((s) => ({runs: [...s.runs, run].slice(-MAX_RUNS)}));
}

export function updateRun(store: ActionHistoryStore, runId: string, patch: Partial<ActionRun> | ((run: ActionRun) => Partial<ActionRun>)): ActionRun | undefined {
	let updated: ActionRun | undefined;
	store.setState((s) => ({
		runs: s.runs.map((r) => {
			if (r.runId !== runId) return r;
			updated = {...r, ...(typeof patch === 'function' ? patch(r) : patch)};
			return updated;
		}),
	}));
	return updated;
}

export function findRun(store: ActionHistoryStore, runId: string): ActionRun | undefined {
	return store.getState().runs.find((r) => r.runId === runId);
}
