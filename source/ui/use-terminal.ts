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
	unsubscribe: () => void;
}

// One coalescing window per store, shared by every component that reads it: with a window each, the
// console's two readers (ActionConsole and ConsoleApp) woke 1-2 ms apart and every poll drew two full
// frames, the second only because the first reader's render handed the second new props.
const coalescers = new WeakMap<object, Coalescer>();

function subscribeCoalesced<S>(store: StoreApi<S>, windowMs: number, notify: () => void): () => void {
	let c = coalescers.get(store);
	if (!c) {
		const created: Coalescer = {listeners: new Set(), timer: null, unsubscribe: () => undefined};
		created.unsubscribe = store.subscribe(() => {
			if (created.timer) return;
			created.timer = setTimeout(() => {
				created.timer = null;
				// All readers hear of it in the same task, so React draws them in one render.
				for (const listener of [...created.listeners]) listener();
			}, windowMs);
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

/**
 * The store's state, with updates that arrive together (each source records its poll separately, a few
 * milliseconds apart) folded into one render. The window is short because it delays everything the store
 * brings: at 250 ms the first data reached the screen 290 ms after its last request had answered, and a
 * pushed scenario switch a quarter of a second late; sources farther apart than 40 ms cost a second frame.
 */
export function useCoalescedStore<S>(store: StoreApi<S>, windowMs = 40): S {
	// A stable subscribe: a new one each render would make React unsubscribe and resubscribe every render.
	const subscribe = useCallback((notify: () => void) => subscribeCoalesced(store, windowMs, notify), [store, windowMs]);
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
