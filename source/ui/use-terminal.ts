// Hooks for the two things that change without input: the terminal's size and the clock.
import {useCallback, useEffect, useState, useSyncExternalStore} from 'react';
import {useStdout} from 'ink';
import type {StoreApi} from 'zustand/vanilla';
import type {HiveConsoleState} from '../contract/snapshot.js';

export interface Size {
	columns: number;
	rows: number;
}

/** The terminal size, updated on every resize event (Ink re-lays out on the same event). */
export function useTerminalSize(fixed?: Size): Size {
	const {stdout} = useStdout();
	const read = (): Size => fixed ?? {columns: stdout.columns || 80, rows: stdout.rows || 24};
	const [size, setSize] = useState<Size>(read);
	useEffect(() => {
		if (fixed) return;
		const onResize = () => {
			const next = read();
			setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
		};
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout, fixed?.columns, fixed?.rows]);
	return fixed ?? size;
}

/**
 * Wall-clock time, ticking on whole seconds (ages and the header clock change once a second, no more).
 * `tickMs` 0 freezes it (tests pass a fixed `now`).
 */
export function useNow(tickMs: number, initial?: number): number {
	const [now, setNow] = useState(() => initial ?? Date.now());
	useEffect(() => {
		if (tickMs <= 0) return;
		let timer: NodeJS.Timeout;
		const schedule = () => {
			timer = setTimeout(() => {
				setNow(Date.now());
				schedule();
			}, tickMs - (Date.now() % tickMs) + 5);
		};
		schedule();
		return () => clearTimeout(timer);
	}, [tickMs]);
	return now;
}

interface Coalescer {
	listeners: Set<() => void>;
	timer: NodeJS.Timeout | null;
	/** When the pending frame is due (epoch ms), so a more urgent change can bring it forward. */
	dueAt: number;
	unsubscribe: () => void;
}

/** How long a change may wait for others before it is drawn, from the state before and after it. */
export type FrameDelay<S> = (next: S, previous: S) => number;

// One coalescing window per store, shared by every component that reads it: with a window each, the
// console's two readers (ActionConsole and ConsoleApp) woke 1-2 ms apart and every poll drew two full
// frames, the second only because the first reader's render handed the second new props.
const coalescers = new WeakMap<object, Coalescer>();

export function subscribeCoalesced<S>(store: StoreApi<S>, delay: FrameDelay<S>, notify: () => void): () => void {
	let c = coalescers.get(store);
	if (!c) {
		const created: Coalescer = {listeners: new Set(), timer: null, dueAt: 0, unsubscribe: () => undefined};
		const flush = () => {
			created.timer = null;
			// All readers hear of it in the same task, so React draws them in one render.
			for (const listener of [...created.listeners]) listener();
		};
		created.unsubscribe = store.subscribe((next, previous) => {
			const dueAt = Date.now() + delay(next, previous);
			if (created.timer) {
				if (dueAt >= created.dueAt) return;
				clearTimeout(created.timer);
			}
			created.dueAt = dueAt;
			created.timer = setTimeout(flush, Math.max(0, dueAt - Date.now()));
		});
		coalescers.set(store, created);
		c = created;
	}
	const coalescer = c;
	coalescer.listeners.add(notify);
	return () => {
		coalescer.listeners.delete(notify);
		if (coalescer.listeners.size > 0) return;
		if (coalescer.timer) clearTimeout(coalescer.timer);
		coalescer.unsubscribe();
		coalescers.delete(store);
	};
}

/** Changes that must be seen at once: a first answer, a source changing state, anything but new readings. */
export const URGENT_FRAME_MS = 40;
/** New readings of sources that already had data: long enough for the other sources polled with them. */
export const ROUTINE_FRAME_MS = 250;

/**
 * The console's frame delay. Each source records its poll separately, as its answer comes (the hive in
 * 50-300 ms, Redis and PostgreSQL in a few), so with one short window a console reading four sources drew
 * three or four frames per interval (37 in 20 s at 2 s, counted with strace), each a full render and
 * layout. New readings of a source that already had data now wait up to a quarter of a second for the rest
 * of the cycle; everything else (the first data, a source going down or coming back, a key's change to the
 * store) is drawn after 40 ms, as all were before (when every change waited 250 ms, the first data reached
 * the screen 290 ms after its last request had answered).
 */
export function consoleFrameDelay(next: HiveConsoleState, previous: HiveConsoleState): number {
	if (next.paused !== previous.paused || next.intervalMs !== previous.intervalMs || next.unfocused !== previous.unfocused || next.thresholds !== previous.thresholds) return URGENT_FRAME_MS;
	for (const name of Object.keys(next.sources) as Array<keyof HiveConsoleState['sources']>) {
		const now = next.sources[name];
		const before = previous.sources[name];
		if (!before || now.state !== before.state || now.lastError !== before.lastError) return URGENT_FRAME_MS;
		if (next.snapshots[name] !== previous.snapshots[name] && !previous.snapshots[name]) return URGENT_FRAME_MS;
	}
	return ROUTINE_FRAME_MS;
}

const urgentOnly = (): number => URGENT_FRAME_MS;

/**
 * The store's state, with updates that arrive together folded into one render: `delay` says how long each
 * change may wait for the others (consoleFrameDelay for the console's store; a fixed short window otherwise).
 */
export function useCoalescedStore<S>(store: StoreApi<S>, delay: FrameDelay<S> = urgentOnly): S {
	// A stable subscribe: a new one each render would make React unsubscribe and resubscribe every render.
	const subscribe = useCallback((notify: () => void) => subscribeCoalesced(store, delay, notify), [store, delay]);
	return useSyncExternalStore(subscribe, store.getState);
}

/**
 * How often the clock must tick on its own: never while fast polling re-renders anyway; every 5 s while
 * paused or while a source is failing (ages, STALE and retry countdowns must keep moving); at most every 5 s
 * when a source is read less often than that.
 */
export function clockTickMs(state: HiveConsoleState): number {
	const failing = Object.values(state.sources).some((s) => s.state === 'down' || s.state === 'unauthorised' || s.state === 'misconfigured' || s.state === 'pending');
	if (state.paused || failing) return 5000;
	// The slowest source counts: the hive read every 10 s while its WebSocket is live, Postgres at twice the
	// interval, the hive's log at three times; between their reads their ages must still move.
	const slowest = Math.max(state.intervalMs, ...Object.values(state.sources).map((s) => (s.state === 'disabled' ? 0 : s.intervalMs)));
	return slowest <= 5000 ? 0 : 5000;
}
