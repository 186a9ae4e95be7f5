// The runbook's log greps (`grep -i "coordination.*error\|agent.*error"`, timeouts, task assignment and
// failure) as categories. Two differences from the raw greps, both to stop false alarms: a keyword must
// start a word (so "reagent" is not "agent" and "terror" is not "error", as `grep active` matches
// "inactive"), and an error that is counted as zero ("error_count=0", "errors: 0", "no errors") is not one.
import {stripVTControlCharacters} from 'node:util';
import type {LogCategory} from '../store/types.js';

// A word start: not preceded by a letter or digit. Underscores and punctuation do start words here,
// because log keys are written like agent_error or coordination.error.
const W = '(?<![a-z0-9])';

const RULES: Array<{category: LogCategory; pattern: RegExp}> = [
	{category: 'coordination-error', pattern: new RegExp(`${W}coordination.*${W}errors?(?![a-z])`, 'i')},
	{category: 'agent-error', pattern: new RegExp(`${W}agents?(?![a-z]).*${W}errors?(?![a-z])`, 'i')},
	{category: 'agent-timeout', pattern: new RegExp(`${W}agents?(?![a-z]).*${W}(timeout|timed out|communication)`, 'i')},
	// Failure before assignment: "task assignment failed" is a failure first.
	{category: 'task-fail', pattern: new RegExp(`${W}tasks?(?![a-z]).*${W}fail`, 'i')},
	{category: 'task-assign', pattern: new RegExp(`${W}tasks?(?![a-z]).*(assign)`, 'i')},
];

// "error_count=0", "errors: 0", "error count 0", "0 errors", "no errors", "without error".
const ZERO_ERRORS = /(?<![a-z0-9])(?:errors?[_ -]?(?:count|total)?\s*[=:]?\s*0(?![0-9.])|(?:0|no|zero|without)\s+errors?(?![a-z]))/gi;

/** The line as matched and stored: terminal escapes removed (colourised compose output), one line. */
export function plainLine(raw: string): string {
	return stripVTControlCharacters(raw).replace(/\r/g, '');
}

export function categorize(line: string): LogCategory | null {
	const text = plainLine(line);
	// Zero counts are removed before matching so they can neither match nor mask a real error elsewhere.
	const withoutZeros = text.replace(ZERO_ERRORS, ' ');
	for (const rule of RULES) {
		const usesError = rule.category === 'coordination-error' || rule.category === 'agent-error';
		if (rule.pattern.test(usesError ? withoutZeros : text)) return rule.category;
	}
	return null;
}
