// The log patterns: any line gets a category or none (never an exception), the same one the old `A.*B`
// regular expressions gave on short lines, and within the per-input budget whatever its length.
import fc from 'fast-check';
import {stripVTControlCharacters} from 'node:util';
import {beforeAll, describe, expect, it} from 'vitest';
import {categorize} from '../../source/sources/logs-patterns.js';
import {ADVERSARIAL_BUDGET_MS, codeUnit, timed, warmUp, runs} from './budget.js';

// The rules as they were, the reference on short lines (where their backtracking is harmless).
const W = '(?<![a-z0-9])';
const OLD_RULES: Array<[string, RegExp]> = [
	['coordination-error', new RegExp(`${W}coordination.*${W}errors?(?![a-z])`, 'i')],
	['agent-error', new RegExp(`${W}agents?(?![a-z]).*${W}errors?(?![a-z])`, 'i')],
	['agent-timeout', new RegExp(`${W}agents?(?![a-z]).*${W}(timeout|timed out|communication)`, 'i')],
	['task-fail', new RegExp(`${W}tasks?(?![a-z]).*${W}fail`, 'i')],
	['task-assign', new RegExp(`${W}tasks?(?![a-z]).*(assign)`, 'i')],
];
const OLD_ZERO_ERRORS = /(?<![a-z0-9])(?:errors?[_ -]?(?:count|total)?\s*[=:]?\s*0(?![0-9.])|(?:0|no|zero|without)\s+errors?(?![a-z]))/gi;
function oldCategorize(line: string): string | null {
	const text = stripVTControlCharacters(line).replace(/\r/g, '');
	const withoutZeros = text.replace(OLD_ZERO_ERRORS, ' ');
	for (const [category, pattern] of OLD_RULES) {
		if (pattern.test(category === 'coordination-error' || category === 'agent-error' ? withoutZeros : text)) return category;
	}
	return null;
}

const CATEGORIES = new Set([null, ...OLD_RULES.map(([c]) => c)]);
const word = fc.constantFrom(
	'agent', 'Agents', 'reagent', 'error', 'ERRORS', 'terror', 'error_count', 'errors:', 'count', 'total', '=', ':', '0', '0.5', '3',
	'no', 'zero', 'without', 'coordination', 'task', 'tasks', 'multitasking', 'fail', 'failed', 'assign', 'assigned', 'timeout',
	'timed out', 'communication', ' ', '  ', '\t', '_', '-', '.', '\u2028', '\u2029', '\r', '\n', '\u001b[31m', '\u001b[0m', 'é', '漢',
);
const line = fc.array(fc.oneof({weight: 6, arbitrary: word}, {weight: 1, arbitrary: codeUnit}), {maxLength: 16}).map((w) => w.join(''));

describe('fuzz: log patterns', () => {
	beforeAll(() => warmUp(categorize, ['agent x error', 'task 1 assigned', 'error_count=0 agent', '\u001b[31mx']));

	it('gives every line the category the old patterns gave, within the budget', () => {
		fc.assert(
			fc.property(line, (l) => {
				const {result, error} = timed('categorize', () => categorize(l));
				expect(error).toBeUndefined();
				expect(CATEGORIES.has(result!)).toBe(true);
				expect(result).toBe(oldCategorize(l));
			}),
			{numRuns: runs(3000)},
		);
	});

	it('handles adversarial lines within the budget', () => {
		const big = 256 * 1024;
		const cases = [
			'agent '.repeat(big / 6),
			'task '.repeat(big / 5),
			`coordination ${'x'.repeat(big)}`,
			`error${' '.repeat(big)}x`,
			`no${' '.repeat(big)}x`,
			`${'agent \u2028'.repeat(big / 7)}error`,
			'\u001b['.repeat(big / 2),
			`\u001b]${'a;'.repeat(big / 2)}`,
			'\ud800'.repeat(big),
		];
		for (const l of cases) {
			const {result, error} = timed(`line ${JSON.stringify(l.slice(0, 10))}`, () => categorize(l), ADVERSARIAL_BUDGET_MS);
			expect(error).toBeUndefined();
			expect(CATEGORIES.has(result!)).toBe(true);
		}
	});
});
