// One timeline entry as one line for people: time on the hive's clock, severity, kind, what. Shared by
// `hive-console timeline` and the console's Timeline view. Entries may come from a file edited by hand,
// so every field is sanitised again here.
import {cutToWidth, fitCell, sanitise} from '../util/terminal-text.js';
import type {TimelineEntry} from './types.js';

/** Columns kept of an entry's text in a listing. */
export const LINE_TEXT_WIDTH = 400;

const GLYPH: Record<string, string> = {ok: '●', info: '·', warning: '▲', critical: '✗', unknown: '?'};
const ASCII_GLYPH: Record<string, string> = {ok: 'o', info: '.', warning: '!', critical: 'x', unknown: '?'};

export function timelineTime(ms: number): string {
	return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '?';
}

/** When the change was seen on the console's clock (what --since is measured against). */
export function seenAt(e: TimelineEntry): number {
	const skew = Number.isFinite(e.consoleAt) ? e.at - e.consoleAt : 0;
	return (typeof e.lastAt === 'number' ? e.lastAt : e.at) - skew;
}

export function timelineSeverity(e: TimelineEntry): string {
	return typeof e.severity === 'string' && e.severity in GLYPH ? e.severity : 'info';
}

/** The entry's text with its fold count and baseline mark. */
export function timelineText(e: TimelineEntry): string {
	const folded = typeof e.count === 'number' && e.count > 1 ? ` (×${e.count}, until ${timelineTime(e.lastAt ?? e.at).slice(11)})` : '';
	const baseline = e.baseline ? ' [at start]' : '';
	return cutToWidth(sanitise(e.text) + folded + baseline, LINE_TEXT_WIDTH);
}

export const TIMELINE_HEADER = [fitCell('TIME (hive, UTC)', 19), fitCell('SEVERITY', 10), fitCell('KIND', 14), 'WHAT'].join(' ');

/** One line of the text listing. */
export function timelineLine(e: TimelineEntry, ascii = false): string {
	const severity = timelineSeverity(e);
	return [fitCell(timelineTime(e.at), 19), fitCell(`${(ascii ? ASCII_GLYPH : GLYPH)[severity]} ${severity}`, 10), fitCell(sanitise(e.kind), 14), timelineText(e)].join(' ');
}
