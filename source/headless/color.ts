// Colour for the headless commands: on only for a terminal, off with NO_COLOR (any value) or --no-color.
// State is always written as a word too, so nothing depends on colour alone.
import type {HealthState, OverallState} from '../model/types.js';
import type {SourceState} from '../contract/snapshot.js';

export interface Paint {
	enabled: boolean;
	state(word: string, state: HealthState | OverallState | SourceState): string;
	dim(text: string): string;
	bold(text: string): string;
	badge(label: string, color: string): string;
}

const CODES: Record<string, [number, number]> = {
	red: [31, 39],
	green: [32, 39],
	yellow: [33, 39],
	blue: [34, 39],
	magenta: [35, 39],
	cyan: [36, 39],
	white: [37, 39],
	gray: [90, 39],
};

export function colorEnabled(stream: {isTTY?: boolean}, env: Record<string, string | undefined>, flag?: unknown): boolean {
	if (flag === false) return false;
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	return stream.isTTY === true && env.TERM !== 'dumb';
}

const STATE_COLOR: Record<string, string> = {
	ok: 'green',
	healthy: 'green',
	degraded: 'yellow',
	warning: 'yellow',
	slow: 'yellow',
	pending: 'gray',
	disabled: 'gray',
	critical: 'red',
	down: 'red',
	unauthorised: 'red',
	misconfigured: 'red',
	unknown: 'magenta',
};

export function createPaint(enabled: boolean): Paint {
	const wrap = (color: string, text: string) => {
		const code = CODES[color];
		return enabled && code ? `\u001B[${code[0]}m${text}\u001B[${code[1]}m` : text;
	};
	return {
		enabled,
		state: (word, state) => wrap(STATE_COLOR[state] ?? 'white', word),
		dim: (text) => (enabled ? `\u001B[2m${text}\u001B[22m` : text),
		bold: (text) => (enabled ? `\u001B[1m${text}\u001B[22m` : text),
		badge: (label, color) => (enabled ? `\u001B[7m${wrap(color, ` ${label} `)}\u001B[27m` : `[${label}]`),
	};
}
