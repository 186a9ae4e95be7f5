// The runbook's log greps (`grep -i "coordination.*error\|agent.*error"`, timeouts, task assignment and
// failure) as categories. Two differences from the raw greps, both to stop false alarms: a keyword must
// start a word (so "reagent" is not "agent" and "terror" is not "error", as `grep active` matches
// "inactive"), and an error that is counted as zero ("error_count=0", "errors: 0", "no errors") is not one.
//
// A log line is outside text of any length, so matching is linear in it and bounded (README, Architecture,
// "Untrusted input"): a line is cut to MAX_MATCHED_LINE characters first, and "A.*B" is not a regular
// expression here. Searched for anywhere in a line, `.*` makes the engine try every later position for B
// after every A: 1.07 s for one 64 KB line of "agent agent …", 21 s for 256 KB. Instead each keyword is
// found by a small pattern without unbounded repetition, left to right, each position read a bounded
// number of times.
import {stripVTControlCharacters} from 'node:util';
import type {LogCategory} from '../contract/snapshot.js';

/** Characters of a log line that are matched and kept; the rest of a longer line is cut off unread. */
export const MAX_MATCHED_LINE = 8192;

// A word start: not preceded by a letter or digit. Underscores and punctuation do start words here,
// because log keys are written like agent_error or coordination.error.
const W = '(?<![a-z0-9])';

const word = (pattern: string) => new RegExp(`${W}${pattern}`, 'gi');
const COORDINATION = word('coordination');
const AGENT = word('agents?(?![a-z])');
const TASK = word('tasks?(?![a-z])');
const ERROR = word('errors?(?![a-z])');
const TIMEOUT = word('(?:timeout|timed out|communication)');
const FAIL = word('fail');
const ASSIGN = /assign/gi;

// Each rule is "first keyword, then the second one later on the same line" (what `first.*second` meant).
const RULES: Array<{category: LogCategory; first: RegExp; then: RegExp; withoutZeros: boolean}> = [
	{category: 'coordination-error', first: COORDINATION, then: ERROR, withoutZeros: true},
	{category: 'agent-error', first: AGENT, then: ERROR, withoutZeros: true},
	{category: 'agent-timeout', first: AGENT, then: TIMEOUT, withoutZeros: false},
	// Failure before assignment: "task assignment failed" is a failure first.
	{category: 'task-fail', first: TASK, then: FAIL, withoutZeros: false},
	{category: 'task-assign', first: TASK, then: ASSIGN, withoutZeros: false},
];

// "error_count=0", "errors: 0", "error count 0", "0 errors", "no errors", "without error".
// `\s*(?:[=:]\s*)?0` means what `\s*[=:]?\s*0` did, but a run of spaces can only be read one way, so
// "error" followed by 16,000 spaces costs 16,000 steps instead of 128 million.
const ZERO_ERRORS = /(?<![a-z0-9])(?:errors?[_ -]?(?:count|total)?\s*(?:[=:]\s*)?0(?![0-9.])|(?:0|no|zero|without)\s+errors?(?![a-z]))/gi;

/** The first MAX_MATCHED_LINE characters of a line, not splitting a surrogate pair. */
export function capLine(raw: string): string {
	if (raw.length <= MAX_MATCHED_LINE) return raw;
	const code = raw.charCodeAt(MAX_MATCHED_LINE - 1);
	return raw.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_MATCHED_LINE - 1 : MAX_MATCHED_LINE);
}

/** The line as matched and stored: cut, terminal escapes removed (colourised compose output), one line. */
export function plainLine(raw: string): string {
	return stripVTControlCharacters(capLine(raw)).replace(/\r/g, '');
}

/** Where `pattern` next matches at or after `from`: [start, end], or null. */
function find(pattern: RegExp, text: string, from: number): [number, number] | null {
	pattern.lastIndex = from;
	const m = pattern.exec(text);
	return m ? [m.index, m.index + m[0].length] : null;
}

// What `.` does not match: B must be on the same line as A, as `A.*B` required.
const LINE_BREAK = /[\n\r\u2028\u2029]/g;

/**
 * True when `first` matches and `then` matches at or after its end, with no line break between: what
 * new RegExp(`${first}.*${then}`) tested, in time linear in the text. Every search only moves forward.
 */
function followedBy(text: string, first: RegExp, then: RegExp): boolean {
	let from = 0;
	let second: [number, number] | null | undefined;
	while (from <= text.length) {
		const a = find(first, text, from);
		if (!a) return false;
		// The first later match of `then` from a position stays the first from any position up to it.
		if (second === undefined || (second !== null && second[0] < a[1])) second = find(then, text, a[1]);
		if (second === null) return false;
		const lineEnd = find(LINE_BREAK, text, a[1]);
		if (!lineEnd || second[0] < lineEnd[0]) return true;
		// Not on this line: the next A to try is on the next one.
		from = lineEnd[1];
	}
	return false;
}

export function categorize(line: string): LogCategory | null {
	const text = plainLine(line);
	// Zero counts are removed before matching so they can neither match nor mask a real error elsewhere.
	const withoutZeros = text.replace(ZERO_ERRORS, ' ');
	for (const rule of RULES) {
		if (followedBy(rule.withoutZeros ? withoutZeros : text, rule.first, rule.then)) return rule.category;
	}
	return null;
}
