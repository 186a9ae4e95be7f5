// The one zustand vanilla store: latest snapshot per source, each source's poll status, a bounded history
// for trends. The poller is its only writer (through the actions below); the UI and commands read it.
import {createStore, type StoreApi} from 'zustand/vanilla';
import {DEFAULT_THRESHOLDS, type Thresholds} from '../contract/thresholds.js';
import {responseTimeOfWorking, streamBacklog} from './history.js';
import {pollRecord, POLL_RECORD_LIMIT} from './poll-records.js';
import type {HiveConsoleState, HistoryPoint, RedisSnapshot, HiveSnapshot, Snapshots, SourceName, SourceStatus} from '../contract/snapshot.js';

export const HISTORY_LIMIT = 120;
export const BACKLOG_LIMIT = 20;
export const SOURCE_NAMES: SourceName[] = ['hive', 'redis', 'postgres', 'logs'];

export interface HiveStoreActions {
	/**
	 * Records one finished poll: the new status, and the snapshot when it succeeded. A failed poll passes no
	 * snapshot, so the last good one stays on screen.
	 */
	recordPoll<N extends SourceName>(name: N, status: SourceStatus, snapshot?: Snapshots[N]): void;
	/** Updates a source's status without a poll result (scheduled, disabled, interval changed). */
	setSourceStatus(name: SourceName, patch: Partial<SourceStatus>): void;
	setPaused(paused: boolean): void;
	setIntervalMs(intervalMs: number): void;
	setUnfocused(unfocused: number | 'paused' | null): void;
}

export type HiveStoreState = HiveConsoleState & HiveStoreActions;
export type HiveStore = StoreApi<HiveStoreState>;

export function initialSourceStatus(intervalMs: number, state: SourceStatus['state'] = 'pending'): SourceStatus {
	return {
		state,
		lastError: null,
		lastSuccessAt: null,
		lastAttemptAt: null,
		nextPollAt: null,
		consecutiveFailures: 0,
		failingSince: null,
		lastDurationMs: null,
		intervalMs,
	};
}

/** A poll that brought no data leaves a gap in the trend rather than a line drawn through it. */
export function missedPoint(at: number): HistoryPoint {
	return {at, successRate: null, responseTime: null, queueLength: null, activeAgents: null};
}

export function historyPoint(hive: HiveSnapshot): HistoryPoint {
	return {
		at: hive.at,
		successRate: numberOrNull(hive.coordination?.successRate),
		responseTime: hive.agents ? (responseTimeOfWorking(hive.agents)?.mean ?? null) : null,
		queueLength: numberOrNull(hive.coordination?.queueLength),
		activeAgents: numberOrNull(hive.activeAgents),
	};
}

function numberOrNull(value: number | null | undefined): number | null {
	return value === null || value === undefined || Number.isNaN(value) ? null : value;
}

/**
 * One endpoint failing inside a poll that otherwise answered must not flip what it feeds to unknown for
 * that one poll (a flaky proxy would make the state flicker): its part of the previous snapshot stands in,
 * once. A part missing two polls in a row stays missing.
 */
export function carryOver(previous: HiveSnapshot | null, next: HiveSnapshot): HiveSnapshot {
	if (!previous || next.partialErrors.length === 0) return next;
	const carried: NonNullable<HiveSnapshot['carried']> = [];
	const fresh = (part: NonNullable<HiveSnapshot['carried']>[number]) => !(previous.carried ?? []).includes(part);
	const out: HiveSnapshot = {...next};
	if (next.coordination === null && previous.coordination !== null && fresh('coordination')) {
		out.coordination = previous.coordination;
		carried.push('coordination');
	}
	if (next.agentMetrics === null && previous.agentMetrics !== null && fresh('agentMetrics')) {
		out.agentMetrics = previous.agentMetrics;
		carried.push('agentMetrics');
	}
	if (next.health === null && previous.health !== null && fresh('health')) {
		out.health = previous.health;
		carried.push('health');
	}
	if (next.agents === null && previous.agents !== null && fresh('agents')) {
		out.agents = previous.agents;
		out.activeAgents = next.activeAgents ?? previous.activeAgents;
		out.totalAgents = next.totalAgents ?? previous.totalAgents;
		carried.push('agents');
	}
	if (next.tasks === null && previous.tasks !== null && fresh('tasks')) {
		out.tasks = previous.tasks;
		carried.push('tasks');
	}
	return carried.length ? {...out, carried} : next;
}

export interface CreateHiveStoreOptions {
	intervalMs: number;
	thresholds?: Thresholds;
	/** Sources that are not configured start (and stay) disabled; lastError holds the how-to-enable hint. */
	disabled?: Partial<Record<SourceName, string>>;
}

export function createHiveStore(options: CreateHiveStoreOptions): HiveStore {
	const sources = {} as Record<SourceName, SourceStatus>;
	for (const name of SOURCE_NAMES) {
		const hint = options.disabled?.[name];
		sources[name] = {...initialSourceStatus(options.intervalMs, hint === undefined ? 'pending' : 'disabled'), lastError: hint ?? null};
	}
	return createStore<HiveStoreState>()((set) => ({
		snapshots: {hive: null, redis: null, postgres: null, logs: null},
		sources,
		history: [],
		paused: false,
		intervalMs: options.intervalMs,
		thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
		backlog: [],
		hivePolls: [],
		recordPoll: (name, status, snapshot) =>
			set((state) => {
				const next: Partial<HiveConsoleState> = {sources: {...state.sources, [name]: status}};
				if (name === 'hive') {
					const at = status.lastAttemptAt ?? Date.now();
					next.hivePolls = [...(state.hivePolls ?? []), pollRecord(at, status, snapshot as HiveSnapshot | undefined)].slice(-POLL_RECORD_LIMIT);
					// Every hive poll, good or not, moves the history on: the views that re-assess when it changes
					// then see a failed poll too, and the trend shows the gap.
					if (!snapshot) next.history = [...state.history, missedPoint(at)].slice(-HISTORY_LIMIT);
				}
				if (snapshot) {
					const stored = name === 'hive' ? carryOver(state.snapshots.hive, snapshot as HiveSnapshot) : snapshot;
					next.snapshots = {...state.snapshots, [name]: stored};
					// The trend shows what this poll read: a carried part is a gap there, not a repeated value.
					if (name === 'hive') next.history = [...state.history, historyPoint(snapshot as HiveSnapshot)].slice(-HISTORY_LIMIT);
					if (name === 'redis') {
						const redis = snapshot as RedisSnapshot;
						next.backlog = [...(state.backlog ?? []), {at: redis.at, total: streamBacklog(redis)}].slice(-BACKLOG_LIMIT);
					}
				}
				return next;
			}),
		setSourceStatus: (name, patch) => set((state) => ({sources: {...state.sources, [name]: {...state.sources[name], ...patch}}})),
		setPaused: (paused) => set({paused}),
		setIntervalMs: (intervalMs) => set({intervalMs}),
		setUnfocused: (unfocused) => set({unfocused}),
	}));
}
