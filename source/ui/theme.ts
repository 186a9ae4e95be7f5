// How states look on this terminal: glyph + word always, colour only when allowed (NO_COLOR, --no-color),
// and plain ASCII glyphs when --ascii is set (no box-drawing, block or braille characters anywhere).
import type {HealthState, OverallState} from '../model/types.js';
import type {SourceState} from '../contract/snapshot.js';

export type Tone = 'ok' | 'degraded' | 'warning' | 'critical' | 'unknown' | 'muted' | 'accent' | 'plain';

export interface Theme {
	color: boolean;
	ascii: boolean;
}

export interface ThemeOptions {
	/** `--no-color` gives false; undefined means "decide from the environment". */
	colorFlag?: boolean;
	ascii?: boolean;
	env?: NodeJS.ProcessEnv;
}

/** NO_COLOR (any non-empty value, no-color.org) and --no-color both switch colour off. */
export function resolveTheme(options: ThemeOptions = {}): Theme {
	const env = options.env ?? process.env;
	const noColorEnv = typeof env.NO_COLOR === 'string' && env.NO_COLOR !== '';
	return {color: options.colorFlag !== false && !noColorEnv, ascii: options.ascii === true};
}

const TONE_COLOURS: Record<Tone, string | undefined> = {
	ok: 'green',
	degraded: 'yellow',
	warning: 'yellow',
	critical: 'red',
	unknown: 'gray',
	muted: 'gray',
	accent: 'cyan',
	plain: undefined,
};

/** The Ink `color` prop for a tone, or undefined when colour is off. */
export function toneColour(theme: Theme, tone: Tone): string | undefined {
	return theme.color ? TONE_COLOURS[tone] : undefined;
}

export interface StateLook {
	glyph: string;
	word: string;
	tone: Tone;
}

const HEALTH_GLYPHS: Record<HealthState, [unicode: string, ascii: string]> = {
	ok: ['●', '+'],
	degraded: ['◐', '~'],
	warning: ['▲', '!'],
	critical: ['✗', 'X'],
	unknown: ['?', '?'],
};

export function healthLook(theme: Theme, state: HealthState): StateLook {
	const glyphs = HEALTH_GLYPHS[state];
	return {glyph: theme.ascii ? glyphs[1] : glyphs[0], word: state, tone: state === 'unknown' ? 'unknown' : state};
}

export function overallLook(theme: Theme, state: OverallState): StateLook {
	const health: HealthState = state === 'healthy' ? 'ok' : state;
	return {...healthLook(theme, health), word: state.toUpperCase()};
}

export function sourceLook(theme: Theme, state: SourceState): StateLook {
	switch (state) {
		case 'ok':
			return {...healthLook(theme, 'ok'), word: 'ok'};
		case 'slow':
			return {...healthLook(theme, 'degraded'), word: 'slow'};
		case 'pending':
			return {glyph: theme.ascii ? '.' : '…', word: 'waiting', tone: 'muted'};
		case 'disabled':
			return {glyph: theme.ascii ? '-' : '○', word: 'not configured', tone: 'muted'};
		case 'down':
		case 'unauthorised':
		case 'misconfigured':
			return {...healthLook(theme, 'critical'), word: state};
	}
}

export function glyphs(theme: Theme) {
	return theme.ascii
		? {selected: '>', sortUp: '^', sortDown: 'v', ellipsisBar: '|', separator: '|', spark: '_.-:=+*#', focus: '>', cursor: '_'}
		: {selected: '›', sortUp: '▲', sortDown: '▼', ellipsisBar: '│', separator: '│', spark: '▁▂▃▄▅▆▇█', focus: '►', cursor: '▏'};
}

/**
 * How a sparkline is scaled. Scaled to its own range, a 98.2 -> 98.1 % wobble fills the whole height and
 * reads as a crash; `include` widens the range to values that give the line meaning (a metric's target,
 * warning and critical thresholds), and `minSpan` is the least range drawn, centred on the values.
 */
export interface SparkScale {
	include?: Array<number | null | undefined>;
	minSpan?: number;
}

/**
 * A sparkline of the newest `width` values, oldest at the left and the newest at the right edge (null
 * points become a gap); when history is shorter than `width` the line is shorter, for the caller to align.
 */
export function sparkline(theme: Theme, values: Array<number | null>, width: number, scale: SparkScale = {}): string {
	const chars = glyphs(theme).spark;
	if (width <= 0) return '';
	const points = values.slice(-width);
	const finite = points.filter((v): v is number => v !== null && Number.isFinite(v));
	if (finite.length === 0) return ''.padEnd(points.length, ' ');
	const anchors = (scale.include ?? []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
	let min = Math.min(...finite, ...anchors);
	let max = Math.max(...finite, ...anchors);
	const minSpan = scale.minSpan ?? 0;
	if (max - min < minSpan) {
		const mid = (min + max) / 2;
		min = mid - minSpan / 2;
		max = mid + minSpan / 2;
	}
	const span = max - min;
	return points
		.map((v) => {
			if (v === null || !Number.isFinite(v)) return ' ';
			const level = span === 0 ? Math.floor((chars.length - 1) / 2) : Math.round(((v - min) / span) * (chars.length - 1));
			return chars[level];
		})
		.join('');
}
