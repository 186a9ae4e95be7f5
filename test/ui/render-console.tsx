// Renders a component the way ink-testing-library does, but at a chosen terminal size: its stdout is
// fixed at 100 columns, while the console's layout depends on the real width (docs/platform-facts.md).
import {EventEmitter} from 'node:events';
import {render as inkRender, type Instance} from 'ink';
import type {ReactElement} from 'react';

class FakeStdout extends EventEmitter {
	frames: string[] = [];
	isTTY = true;
	constructor(public columns: number, public rows: number) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
}

export interface Rendered {
	lastFrame(): string;
	frames: string[];
	stdin: FakeStdin;
	stdout: FakeStdout;
	press(...keys: string[]): Promise<void>;
	rerender: Instance['rerender'];
	unmount(): void;
}

export const KEYS = {up: '\u001b[A', down: '\u001b[B', pageDown: '\u001b[6~', pageUp: '\u001b[5~', tab: '\t', shiftTab: '\u001b[Z', enter: '\r', escape: '\u001b', backspace: '\u007f'};

export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

export function renderAt(tree: ReactElement, columns = 120, rows = 40): Rendered {
	const stdout = new FakeStdout(columns, rows);
	const stderr = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = inkRender(tree, {stdout: stdout as never, stderr: stderr as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false});
	return {
		lastFrame: () => stdout.frames[stdout.frames.length - 1] ?? '',
		frames: stdout.frames,
		stdin,
		stdout,
		async press(...keys: string[]) {
			for (const key of keys) {
				const before = stdout.frames.length;
				stdin.write(key);
				// Wait for the frame this key causes (keys that change nothing time out quietly).
				const deadline = Date.now() + (key === KEYS.escape ? 400 : 250);
				while (stdout.frames.length === before && Date.now() < deadline) await tick(5);
				await tick(5);
			}
		},
		rerender: instance.rerender,
		unmount: () => instance.unmount(),
	};
}
