// Hooks for the two things that change without input: the terminal's size and the clock.
import {useEffect, useState, useSyncExternalStore} from 'react';
import {useStdout} from 'ink';
import type {StoreApi} from 'zustand/vanilla';
import type {HiveConsoleState} from '../store/types.js';

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

/**
 * The store's state, with updates that arrive together (each source records its poll separately, a few
 * milliseconds apart) folded into one render.
 */
export function useCoalescedStore<S>(store: StoreApi<S>, windowMs = 250): S {
	return useSyncExternalStore(
		(notify) => {
			let timer: NodeJS.Timeout | null = null;
			const unsubscribe = store.subscribe(() => {
				if (timer) return;
				timer = setTimeout(() => {
					timer = null;
					notify();
				}, windowMs);
			});
			return () => {
				if (timer) clearTimeout(timer);
				unsubscribe();
			};
		},
		store.getState,
	);
}

/**
 * How often the clock must tick on its own: never while fast polling re-renders anyway; every 5 s while
 * paused or while a source is failing (ages, STALE and retry countdowns must keep moving); at most every 5 s
 * when the poll interval is longer than that.
 */
export function clockTickMs(state: HiveConsoleState): number {
	const failing = Object.values(state.sources).some((s) => s.state === 'down' || s.state === 'unauthorised' || s.state === 'misconfigured' || s.state === 'pending');
	if (state.paused || failing) return 5000;
	return state.intervalMs <= 5000 ? 0 : 5000;
}
