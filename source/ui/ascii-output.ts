// `--ascii` is for terminals that cannot draw Unicode (a C locale over an old SSH hop, a serial console).
// The theme already picks ASCII glyphs and borders; this is the guarantee behind it: everything Ink writes
// passes through `toAscii`, so no byte above 0x7f reaches such a terminal, whoever wrote the string (our
// separators and arrows, or an agent name from the hive). Every replacement keeps the display width, so
// the layout Ink computed still lines up.
import stringWidth from 'string-width';

const SPARK = '▁▂▃▄▅▆▇█';
const ASCII_SPARK = '_.-:=+*#';

// Our own glyphs and typography, each to one ASCII column.
const GLYPHS: Record<string, string> = {
	'·': '-', '…': '~', '→': '>', '←': '<', '↑': '^', '↓': 'v', '—': '-', '–': '-', '§': 'S', '≥': '>', '≤': '<',
	'∞': '~', '±': '~', '⏎': '<', '‹': '<', '›': '>', '►': '>', '▲': '^', '▼': 'v', '●': '+', '◐': '~', '○': '-',
	'✗': 'X', '✓': '+', '▏': '_', '│': '|', '┃': '|', '─': '-', '━': '=', '┼': '+', '┴': '+', '┬': '+', '┤': '+',
	'├': '+', '┘': '+', '└': '+', '┐': '+', '┌': '+', '╭': '+', '╮': '+', '╯': '+', '╰': '+', '┏': '+', '┓': '+',
	'┗': '+', '┛': '+',
};
for (let i = 0; i < SPARK.length; i++) GLYPHS[SPARK[i]!] = ASCII_SPARK[i]!;

const graphemes = new Intl.Segmenter();
// eslint-disable-next-line no-control-regex
const ALL_ASCII = /^[\u0000-\u007f]*$/;

/** The same text in ASCII, column for column; anything without an ASCII stand-in becomes '?' per column. */
export function toAscii(text: string): string {
	if (ALL_ASCII.test(text)) return text;
	let out = '';
	for (const {segment} of graphemes.segment(text)) {
		if (ALL_ASCII.test(segment)) out += segment;
		else out += GLYPHS[segment] ?? '?'.repeat(stringWidth(segment));
	}
	return out;
}

/**
 * The terminal stream with every write made ASCII: a Proxy, so Ink still sees the real stream's size,
 * TTY-ness and resize events.
 */
export function asciiStream<S extends NodeJS.WriteStream>(stream: S): S {
	const write = (chunk: unknown, ...rest: unknown[]) =>
		(stream.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? toAscii(chunk) : chunk, ...rest);
	return new Proxy(stream, {
		get(target, property, receiver) {
			if (property === 'write') return write;
			const value = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
