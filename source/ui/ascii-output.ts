// `--ascii` is for terminals that cannot draw Unicode (a C locale over an old SSH hop, a serial console).
// The theme already picks ASCII glyphs and borders; this is the guarantee behind it: everything Ink writes
// passes through `toAscii`, so no byte above 0x7f reaches such a terminal, whoever wrote the string (our
// separators and arrows, or an agent name from the hive). Every replacement keeps the display width, so
// the layout Ink computed still lines up.
import stringWidth from 'string-width';

const SPARK = '▁▂▃▄▅▆▇█';
const ASCII_SPARK = '_.-:=+*#';

// Our own glyphs and typography, each to one ASCII column: the stream cannot widen text Ink has already
// laid out. Some of these lose meaning in one column (`≥` as `>` says "more than" where it means "at
// least"); text that is drawn knowing --ascii goes through `asciiText` first, which writes them in full.
const GLYPHS: Record<string, string> = {
	'·': '-', '…': '~', '→': '>', '←': '<', '↑': '^', '↓': 'v', '—': '-', '–': '-', '§': 'S', '≥': '>', '≤': '<',
	'×': 'x', '•': '*', '↻': '@',
	'∞': '~', '±': '~', '⏎': '<', '‹': '<', '›': '>', '►': '>', '▲': '^', '▼': 'v', '●': '+', '◐': '~', '○': '-',
	'✗': 'X', '✓': '+', '▏': '_', '│': '|', '┃': '|', '─': '-', '━': '=', '┼': '+', '┴': '+', '┬': '+', '┤': '+',
	'├': '+', '┘': '+', '└': '+', '┐': '+', '┌': '+', '╭': '+', '╮': '+', '╯': '+', '╰': '+', '┏': '+', '┓': '+',
	'┗': '+', '┛': '+',
};
for (let i = 0; i < SPARK.length; i++) GLYPHS[SPARK[i]!] = ASCII_SPARK[i]!;

// What a one-column stand-in would get wrong, written out in as many columns as it takes.
const WORDS: Record<string, string> = {
	'≥': '>=', '≤': '<=', '≠': '!=', '±': '+/-', '∞': 'inf', '…': '...', '→': '->', '←': '<-', '⏎': 'Enter',
	'✓': 'ok',
};
const WORDS_PATTERN = new RegExp(`[${Object.keys(WORDS).join('')}]`, 'g');

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
 * Text for an --ascii screen before it is measured and laid out: signs whose meaning needs more than one
 * ASCII column are written out (`≥ 95` is `>= 95`, `∞` is `inf`), then everything else as `toAscii` does.
 * The result may be wider than the input, so it is for text not yet laid out (a table cell before it is
 * cut to its column).
 */
export function asciiText(text: string): string {
	if (ALL_ASCII.test(text)) return text;
	return toAscii(text.replace(WORDS_PATTERN, (c) => WORDS[c]!));
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
