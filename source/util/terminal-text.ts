// The one render boundary for strings that came from outside (agent names, task titles, log lines, error
// bodies, stream fields). strip-ansi and stripVTControlCharacters both let CR, BS, BEL, bidi controls and
// unterminated OSC through (stack-notes, Terminal safety), so every control becomes a visible marker
// instead of being interpreted by the terminal, and bidi overrides are dropped.
import stringWidth from 'string-width';

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

export function displayWidth(text: string): number {
	return stringWidth(text);
}

/**
 * Cuts already-sanitised text to at most `width` terminal columns, counting wide characters as two,
 * and marks the cut with an ellipsis.
 */
export function cutToWidth(text: string, width: number): string {
	if (width <= 0) return '';
	if (stringWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const ch of text) {
		const w = stringWidth(ch);
		if (used + w > width - 1) break;
		out += ch;
		used += w;
	}
	return out + '…';
}

/** Sanitise, cut, and pad to exactly `width` columns (table cells). */
export function fitCell(value: unknown, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = cutToWidth(sanitise(value), width);
	const pad = ' '.repeat(Math.max(0, width - stringWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}
