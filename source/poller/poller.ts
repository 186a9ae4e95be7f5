// Polls each source on its own schedule and writes the outcome into the store. A source never overlaps
// itself, every poll has a deadline shorter than its interval (an AbortSignal, plus a race so a source that
// ignores the signal cannot stall the schedule), a down source is probed again within a few seconds (and
// the probe is a full poll, so an answer refreshes everything it feeds at once), credential and
// configuration failures back off exponentially, and the last good snapshot stays in the store. The only
// timers are the poll timers.
import {SourceError, type Source} from '../sources/source.js';
import {describeError} from '../util/redact.js';
import type {HiveStore} from '../store/store.js';
import type {SourceName, SourceState, SourceStatus} from '../contract/snapshot.js';
import {deadlineMs, retryDelayMs} from './backoff.js';

export interface PolledSource {
	source: Source<unknown>;
	/** This source's interval as a multiple of the poller's (e.g. 2 for the heavier Postgres queries). */
	intervalFactor?: number;
}

export interface PollerOptions {
	store: HiveStore;
	sources: Array<Source<unknown> | PolledSource>;
	/** Base interval in ms (the hive's); also read from the store's intervalMs when omitted. */
	intervalMs?: number;
	/** Cap of the retry backoff for credential and configuration failures (default 60 s; never below a source's interval). */
	maxBackoffMs?: number;
	/** Longest wait between polls of a down source (default 5 s, never more than its interval). */
	probeCapMs?: number;
	/** Deadline for a given interval (default: 80 % of it, 250 ms..30 s). */
	deadlineFor?: (intervalMs: number) => number;
	random?: () => number;
	now?: () => number;
	/** Called after every finished poll, success or not, once the store holds its outcome. */
	onPollSettled?: (name: SourceName, ok: boolean) => void;
}

export interface Poller {
	/** Polls every source now and then keeps each on its schedule. */
	start(): void;
	/** Stops scheduling; a poll in flight still finishes and is recorded. */
	pause(): void;
	/** Resumes, polling at once each source whose time has come. */
	resume(): void;
	/**
	 * Polls the named source (or all) now and resolves when done; a poll already in flight is awaited
	 * rather than doubled. Works before start() too: `status` and `check` poll once this way.
	 */
	refreshNow(name?: SourceName): Promise<void>;
	/** Changes the base interval (the store's intervalMs follows). */
	setInterval(intervalMs: number): void;
	/** Changes one source's interval factor (the hive's, read less often while its WebSocket pushes changes). */
	setFactor(name: SourceName, factor: number): void;
	/** Clears every timer and waits (at most one deadline) for polls in flight. Idempotent. */
	stop(): Promise<void>;
	readonly names: SourceName[];
}

interface Slot {
	source: Source<unknown>;
	factor: number;
	timer: ReturnType<typeof setTimeout> | null;
	/** The source's own promise: while it runs (even past its deadline) the source is not polled again. */
	running: Promise<unknown> | null;
	/** The poll as the poller sees it: settles at the latest at the deadline. */
	settled: Promise<void> | null;
	failures: number;
	lastAttemptAt: number | null;
}

class DeadlineExceeded extends Error {}

export function createPoller(options: PollerOptions): Poller {
	const {store} = options;
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	const deadlineFor = options.deadlineFor ?? deadlineMs;
	const maxBackoffMs = options.maxBackoffMs ?? 60_000;
	const probeCapMs = options.probeCapMs;
	let baseInterval = options.intervalMs ?? store.getState().intervalMs;
	let started = false;
	let paused = false;
	let stopped = false;

	const slots = new Map<SourceName, Slot>();
	for (const entry of options.sources) {
		const polled: PolledSource = 'poll' in entry ? {source: entry} : entry;
		slots.set(polled.source.name, {
			source: polled.source,
			factor: polled.intervalFactor ?? 1,
			timer: null,
			running: null,
			settled: null,
			failures: 0,
			lastAttemptAt: null,
		});
	}
	const intervalOf = (slot: Slot) => Math.round(baseInterval * slot.factor);
	for (const [name, slot] of slots) store.getState().setSourceStatus(name, {intervalMs: intervalOf(slot)});
	store.getState().setIntervalMs(baseInterval);

	const scheduling = () => started && !paused && !stopped;

	/** After an interval change: the store says the new one; a healthy source waiting for its next poll moves to it (a failing one keeps its backoff). */
	function reschedule(name: SourceName, slot: Slot): void {
		store.getState().setSourceStatus(name, {intervalMs: intervalOf(slot)});
		if (slot.timer && slot.failures === 0) {
			const due = Math.max(0, (slot.lastAttemptAt ?? now()) + intervalOf(slot) - now());
			schedule(name, slot, due);
		}
	}

	function schedule(name: SourceName, slot: Slot, delay: number): void {
		if (slot.timer) clearTimeout(slot.timer);
		slot.timer = null;
		if (!scheduling()) {
			store.getState().setSourceStatus(name, {nextPollAt: null});
			return;
		}
		slot.timer = setTimeout(() => {
			slot.timer = null;
			void tick(name, slot);
		}, delay);
		store.getState().setSourceStatus(name, {nextPollAt: now() + delay});
	}

	async function tick(name: SourceName, slot: Slot): Promise<void> {
		if (!scheduling()) return;
		if (slot.running && !slot.settled) {
			// The previous poll outlived its deadline and still runs: do not overlap it.
			schedule(name, slot, intervalOf(slot));
			return;
		}
		await poll(name, slot);
	}

	function classify(error: unknown, signal: AbortSignal, name: SourceName, deadline: number): {state: SourceState; message: string} {
		if (error instanceof SourceError) return {state: error.kind, message: describeError(error)};
		if (error instanceof DeadlineExceeded || signal.aborted) {
			return {state: 'down', message: `${name}: no answer within the ${formatSeconds(deadline)} deadline; it may be overloaded or hanging`};
		}
		return {state: 'down', message: `${name}: ${describeError(error)}`};
	}

	function poll(name: SourceName, slot: Slot): Promise<void> {
		if (slot.settled) return slot.settled;
		// Past its deadline and still running (it ignores the signal): never start a second one beside it.
		if (slot.running) return Promise.resolve();
		const deadline = deadlineFor(intervalOf(slot));
		const startedAt = now();
		slot.lastAttemptAt = startedAt;
		const signal = AbortSignal.timeout(deadline);
		const expired = new Promise<never>((_, reject) => {
			if (signal.aborted) reject(new DeadlineExceeded());
			signal.addEventListener('abort', () => reject(new DeadlineExceeded()), {once: true});
		});
		let running: Promise<unknown>;
		try {
			running = Promise.resolve(slot.source.poll(signal));
		} catch (error) {
			running = Promise.reject(error);
		}
		slot.running = running;
		running.then(
			() => {
				if (slot.running === running) slot.running = null;
			},
			() => {
				if (slot.running === running) slot.running = null;
			},
		);
		const settled = Promise.race([running, expired]).then(
			(snapshot) => {
				const duration = now() - startedAt;
				slot.failures = 0;
				const previous = store.getState().sources[name];
				// The interval as it is now: it may have changed while this poll ran (+/-, focus, the hive's
				// WebSocket going live), and the one it started with would be recorded and scheduled over it.
				const delay = intervalOf(slot);
				const status: SourceStatus = {
					...previous,
					state: duration > deadline / 2 ? 'slow' : 'ok',
					lastError: null,
					lastSuccessAt: now(),
					lastAttemptAt: startedAt,
					nextPollAt: scheduling() ? now() + delay : null,
					consecutiveFailures: 0,
					failingSince: null,
					lastDurationMs: duration,
					intervalMs: delay,
				};
				store.getState().recordPoll(name, status, snapshot as never);
				return {ok: true, delay};
			},
			(error: unknown) => {
				const duration = now() - startedAt;
				slot.failures++;
				const {state, message} = classify(error, signal, name, deadline);
				const current = intervalOf(slot);
				const delay = retryDelayMs(slot.failures, state, {intervalMs: current, capMs: maxBackoffMs, random: random(), probeCapMs});
				const previous = store.getState().sources[name];
				const status: SourceStatus = {
					...previous,
					state,
					lastError: message,
					lastAttemptAt: startedAt,
					nextPollAt: scheduling() ? now() + delay : null,
					consecutiveFailures: slot.failures,
					failingSince: slot.failures === 1 || !previous.failingSince ? startedAt : previous.failingSince,
					lastDurationMs: duration,
					intervalMs: current,
				};
				store.getState().recordPoll(name, status);
				return {ok: false, delay};
			},
		).then(({ok, delay}) => {
			slot.settled = null;
			schedule(name, slot, delay);
			options.onPollSettled?.(name, ok);
		});
		slot.settled = settled;
		return settled;
	}

	function targets(name?: SourceName): Array<[SourceName, Slot]> {
		if (name === undefined) return [...slots.entries()];
		const slot = slots.get(name);
		return slot ? [[name, slot]] : [];
	}

	return {
		names: [...slots.keys()],
		start() {
			if (started || stopped) return;
			started = true;
			for (const [name, slot] of slots) void poll(name, slot);
		},
		pause() {
			if (paused) return;
			paused = true;
			for (const [name, slot] of slots) {
				if (slot.timer) clearTimeout(slot.timer);
				slot.timer = null;
				store.getState().setSourceStatus(name, {nextPollAt: null});
			}
			store.getState().setPaused(true);
		},
		resume() {
			if (!paused || stopped) return;
			paused = false;
			store.getState().setPaused(false);
			if (!started) return;
			for (const [name, slot] of slots) {
				if (slot.settled) continue;
				const due = slot.lastAttemptAt === null ? 0 : slot.lastAttemptAt + intervalOf(slot) - now();
				if (due <= 0) void poll(name, slot);
				else schedule(name, slot, due);
			}
		},
		async refreshNow(name) {
			if (stopped) return;
			await Promise.all(
				targets(name).map(([n, slot]) => {
					if (slot.timer) clearTimeout(slot.timer);
					slot.timer = null;
					return poll(n, slot);
				}),
			);
		},
		setInterval(intervalMs) {
			if (!Number.isFinite(intervalMs) || intervalMs <= 0) return;
			baseInterval = intervalMs;
			store.getState().setIntervalMs(intervalMs);
			for (const [name, slot] of slots) reschedule(name, slot);
		},
		setFactor(name, factor) {
			const slot = slots.get(name);
			if (!slot || !Number.isFinite(factor) || factor <= 0 || slot.factor === factor) return;
			slot.factor = factor;
			reschedule(name, slot);
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			for (const [name, slot] of slots) {
				if (slot.timer) clearTimeout(slot.timer);
				slot.timer = null;
				store.getState().setSourceStatus(name, {nextPollAt: null});
			}
			await Promise.all([...slots.values()].map((slot) => slot.settled ?? Promise.resolve()));
		},
	};
}

function formatSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
