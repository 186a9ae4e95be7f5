// Hooks for the two things that change without input: the terminal's size and the clock.
import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

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
