// The one render boundary for strings that came from outside (agent names, task titles, log lines, error
// bodies, stream fields). strip-ansi and stripVTControlCharacters both let CR, BS, BEL, bidi controls and
// unterminated OSC through (README, Terminal safety), so every control becomes a visible marker
// instead of being interpreted by the terminal, and bidi overrides are dropped. Invisible characters go
// too: a terminal and our width measure disagree on them (ink-table counts each as a column, some
// terminals draw a zero-width space as one), and that moved detail views and table borders by columns.
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import {eastAsianWidth} from 'get-east-asian-width';
import {GenerationalCache} from './generational-cache.js';

// Everything the slow path changes. Most text has none of it and is returned as it came, unallocated.
const NEEDS_WORK = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uD800-\uDFFF]/;
// Half of a surrogate pair without its other half: not a character, and terminals draw it unpredictably.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// Zero-width space and non-joiner, word joiner and the invisible operators, BOM / zero-width no-break
// space, soft hyphen, Mongolian vowel separator: dropped.
const INVISIBLE = /[\u00AD\u180E\u200B\u200C\u2060-\u2064\uFEFF]/g;
// The zero-width joiner is kept only inside an emoji sequence (👩‍💻, 🏳️‍🌈, 👨🏽‍💻), where it makes one
// two-column picture that string-width measures as such; anywhere else it is dropped.
const STRAY_ZWJ = /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// C0 except tab and newline, DEL, C1.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;
// Unicode's line and paragraph separators: a line break where newlines are kept, a marker elsewhere.
const LINE_SEPARATORS = /[\u2028\u2029]/g;

export const CONTROL_MARKER = '\uFFFD';

export interface SanitiseOptions {
	/** Keep newlines (multi-line detail views); otherwise they become the marker too. */
	multiline?: boolean;
}

/**
 * Text from outside made safe to print: controls (C0 but tab and newline, DEL, C1), lone surrogates and,
 * outside multi-line text, newlines and U+2028/2029 become CONTROL_MARKER; bidi controls, invisible
 * characters and a zero-width joiner outside an emoji sequence are dropped; tabs become spaces.
 * Linear in the text; text with none of these characters is returned unchanged.
 */
export function sanitise(value: unknown, options: SanitiseOptions = {}): string {
	const text = value === null || value === undefined ? '' : String(value);
	if (!NEEDS_WORK.test(text)) return text;
	let out = text.replace(LONE_SURROGATE, CONTROL_MARKER).replace(BIDI, '').replace(INVISIBLE, '');
	if (out.includes('\u200D')) out = out.replace(STRAY_ZWJ, '');
	out = options.multiline ? out.replace(CONTROL, CONTROL_MARKER).replace(LINE_SEPARATORS, '\n') : out.replace(CONTROL_OR_NEWLINE, CONTROL_MARKER);
	return out.replace(/\t/g, ' ');
}

// Measuring display width is the costliest part of drawing a cell (string-width segments graphemes for
// anything but plain ASCII, and a frame is full of box glyphs and status symbols); a frame repeats most of
// the last one's strings, so widths and fitted cells are remembered, within a fixed bound.
const widths = new GenerationalCache<string, number>(4096);
const cells = new GenerationalCache<string, string>(8192);
// Made on first use: building a segmenter loads ICU's break data (~19 ms), which text in plain ASCII never needs.
let segmenter: Intl.Segmenter | undefined;
const graphemes = {segment: (text: string) => (segmenter ??= new Intl.Segmenter()).segment(text)};

// Text in which every code point is its own grapheme and is neither an emoji nor zero-width: marks,
// emoji-presentation characters, ignorables, controls, format characters, surrogates (so everything
// beyond the BMP), Hangul jamo (which string-width joins), halfwidth and fullwidth forms (which it adds up
// specially), the one letter that joins what follows (Malayalam dot reph) and the two letters that join what
// comes before (Thai and Lao sara am, spacing marks to the segmenter) send text to string-width.
// On the rest, string-width's answer is each code point's East Asian width (ambiguous as narrow), which
// simpleWidth adds up: text with box drawing, arrows and status symbols then never needs the grapheme
// segmenter or the RGI emoji pattern (~55 ms to build at first use). The fuzz suite checks it against
// string-width (test/fuzz/sanitiser.test.ts).
const NOT_SIMPLE = /[\p{M}\p{Emoji_Presentation}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\uFF00-\uFFEF\u0D4E\u0E33\u0EB3\u{10000}-\u{10FFFF}]/u;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function simpleWidth(text: string): number | null {
	// Most text is printable ASCII: one scan, its length (on a 1 MB body, per-character work showed in keypress latency).
	if (PRINTABLE_ASCII.test(text)) return text.length;
	if (NOT_SIMPLE.test(text)) return null;
	let width = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		width += c >= 0x20 && c < 0x7f ? 1 : eastAsianWidth(c);
	}
	return width;
}

export function displayWidth(text: string): number {
	let width = widths.get(text);
	if (width === undefined) {
		// Ink measures text as coloured (escape sequences in it). Those are stripped first, with the function
		// string-width itself uses, so styled text takes the shortcut too: it went whole through the segmenter
		// (and the first "●" built string-width's emoji pattern, ~40 ms of the first frame), and long styled
		// text was cut into chunks inside its escape sequences, which then counted as columns.
		const plain = text.includes('\x1B') || text.includes('\x9B') ? stripAnsi(text) : text;
		width = plain.length <= 512 ? (simpleWidth(plain) ?? stringWidth(plain)) : longTextWidth(plain);
		if (text.length <= 512) widths.set(text, width);
	}
	return width;
}

// string-width's cost grows faster than the length on long text (32,000 CJK characters: 0.5 s, 131,072:
// seconds), as does V8's grapheme segmenter walked over one long string (64,000 characters: 0.5-1.4 s).
// Long text is therefore measured in chunks of about 1,024 code units, each cut where no grapheme can
// continue: a chunk of simple text is added up a code point at a time (simpleWidth), any other a grapheme
// at a time.
const CHUNK = 1024;
const MARK = /\p{M}/u;

/** Whether a grapheme may continue across position `i` (a mark, joiner, selector, low surrogate, modifier). */
function joinsAt(text: string, i: number): boolean {
	const c = text.charCodeAt(i);
	const before = text.charCodeAt(i - 1);
	if (c < 0x0300 && before < 0x0300) return false;
	if (c >= 0xdc00 && c <= 0xdfff) return true;
	if (c === 0x200d || before === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) return true;
	if (c === 0xd83c) return true; // skin-tone modifiers and regional indicators
	return MARK.test(text[i]!);
}

/**
 * A chunk's width a grapheme at a time, each remembered: a long run repeats a few graphemes. stringWidth,
 * not displayWidth: one grapheme can itself be thousands of code units (a chain of ZWJ emoji), and
 * displayWidth would hand it back to the chunking here.
 */
function graphemesWidth(chunk: string): number {
	let width = 0;
	for (const {segment} of graphemes.segment(chunk)) {
		let w = widths.get(segment);
		if (w === undefined) {
			w = stringWidth(segment);
			widths.set(segment, w);
		}
		width += w;
	}
	return width;
}

function longTextWidth(text: string): number {
	let width = 0;
	for (let start = 0; start < text.length;) {
		let end = Math.min(text.length, start + CHUNK);
		for (let moved = 0; end < text.length && moved < 64 && joinsAt(text, end); moved++) end++;
		const chunk = text.slice(start, end);
		width += simpleWidth(chunk) ?? graphemesWidth(chunk);
		start = end;
	}
	return width;
}

/** Entries held by the width memo (tests check it stays bounded). */
export function displayWidthCacheSize(): number {
	return widths.size;
}

// Text at most this long is measured whole (and its width remembered); longer text is only read as far
// as the cut needs, so a megabyte-long name costs what its first columns do.
const MEASURED_WHOLE = 512;

/**
 * Cuts already-sanitised text to at most `width` terminal columns, counting wide characters as two, never
 * splitting a grapheme (an emoji sequence or a letter with its accents), and marks the cut with an ellipsis.
 */
export function cutToWidth(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= MEASURED_WHOLE) return displayWidth(text) <= width ? text : (cutSegments(text, width, false) ?? text);
	// Segmenting costs time in the length of what it is given, even when the loop stops early: a prefix
	// is tried first, which for anything but a pathological run of zero-width marks is all the cut reads.
	const prefix = text.slice(0, width * 4 + 64);
	if (prefix.length < text.length) {
		const cut = cutSegments(prefix, width, true);
		if (cut !== null) return cut;
	}
	return cutSegments(text, width, false) ?? text;
}

/**
 * The cut of `text` to `width` columns, or null (`text` fits, or `truncated` and the cut would depend on
 * the prefix's last grapheme, which the slice may have broken).
 */
function cutSegments(text: string, width: number, truncated: boolean): string | null {
	let out = '';
	let used = 0;
	let full = false;
	for (const {segment, index} of graphemes.segment(text)) {
		if (truncated && index + segment.length === text.length) return null;
		used += displayWidth(segment);
		if (used > width) return out + '…';
		// The ellipsis needs the last column: what would take it stays out, and so does all that follows.
		if (!full && used <= width - 1) out += segment;
		else full = true;
	}
	return null;
}

/** Sanitise, cut, and pad to exactly `width` columns (table cells). */
export function fitCell(value: unknown, width: number, align: 'left' | 'right' = 'left'): string {
	const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
	const cacheable = text.length <= 512;
	const key = cacheable ? `${width}${align === 'left' ? 'l' : 'r'}${text}` : '';
	const cached = cacheable ? cells.get(key) : undefined;
	if (cached !== undefined) return cached;
	const cut = cutToWidth(sanitise(text), width);
	const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
	const cell = align === 'left' ? cut + pad : pad + cut;
	if (cacheable) cells.set(key, cell);
	return cell;
}
