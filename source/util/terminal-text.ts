// The one render boundary for strings that came from outside (agent names, task titles, log lines, error
// bodies, stream fields). strip-ansi and stripVTControlCharacters both let CR, BS, BEL, bidi controls and
// unterminated OSC through (stack-notes, Terminal safety), so every control becomes a visible marker
// instead of being interpreted by the terminal, and bidi overrides are dropped.
import stringWidth from 'string-width';
import {GenerationalCache} from './generational-cache.js';

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// C0 except tab and newline, DEL, C1.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

export const CONTROL_MARKER = '\uFFFD';

export interface SanitiseOptions {
	/** Keep newlines (multi-line detail views); otherwise they become the marker too. */
	multiline?: boolean;
}

export function sanitise(value: unknown, options: SanitiseOptions = {}): string {
	const text = value === null || value === undefined ? '' : String(value);
	return text
		.replace(BIDI, '')
		.replace(options.multiline ? CONTROL : CONTROL_OR_NEWLINE, CONTROL_MARKER)
		.replace(/\t/g, ' ');
}

// Measuring display width is the costliest part of drawing a cell (string-width segments graphemes for
// anything but plain ASCII, and a frame is full of box glyphs and status symbols); a frame repeats most of
// the last one's strings, so widths and fitted cells are remembered, within a fixed bound.
const widths = new GenerationalCache<string, number>(4096);
const cells = new GenerationalCache<string, string>(8192);
const graphemes = new Intl.Segmenter();

export function displayWidth(text: string): number {
	let width = widths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		if (text.length <= 512) widths.set(text, width);
	}
	return width;
}

/** Entries held by the width memo (tests check it stays bounded). */
export function displayWidthCacheSize(): number {
	return widths.size;
}

/**
 * Cuts already-sanitised text to at most `width` terminal columns, counting wide characters as two, never
 * splitting a grapheme (an emoji sequence or a letter with its accents), and marks the cut with an ellipsis.
 */
export function cutToWidth(text: string, width: number): string {
	if (width <= 0) return '';
	if (displayWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const {segment} of graphemes.segment(text)) {
		const w = displayWidth(segment);
		if (used + w > width - 1) break;
		out += segment;
		used += w;
	}
	return out + '…';
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
