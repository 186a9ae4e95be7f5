// Shared by the fuzz suite: the per-input time budget and the character arbitraries. A budget is not a
// benchmark: it is set far above what a linear parser needs on this 2-core, shared machine (the inputs
// are at most a few hundred KB), and far below what a backtracking pattern took on the same inputs
// (seconds), so it only fails on a parser that has gone super-linear again.
import {appendFileSync} from 'node:fs';
import fc from 'fast-check';
import {afterAll, expect} from 'vitest';

/**
 * How many generated inputs a property runs: its CI count times FUZZ_SCALE (default 1). CI keeps the
 * suite to seconds; `FUZZ_SCALE=5 npx vitest run test/fuzz` runs over 100,000 inputs for a measurement.
 */
export function runs(ciCount: number): number {
	const scale = Number(process.env.FUZZ_SCALE ?? '1');
	return Math.max(1, Math.round(ciCount * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** Milliseconds one generated input may take. */
export const BUDGET_MS = 100;
/** Milliseconds one hand-made adversarial input (up to a few hundred KB) may take. */
export const ADVERSARIAL_BUDGET_MS = 500;

/**
 * Runs `f` on one input and fails if it took longer than the budget; returns what it returned or threw.
 * A run over budget is measured again, up to three times, and the fastest counts: a pause of the machine
 * (another process, a GC) passes on a second try, a super-linear parser fails all three.
 */
export function timed<T>(what: string, f: () => T, budgetMs: number = BUDGET_MS): {result?: T; error?: unknown} {
	let best = Number.POSITIVE_INFINITY;
	let first: number | undefined;
	let outcome: {result?: T; error?: unknown} = {};
	for (let attempt = 0; attempt < 3 && best >= budgetMs; attempt++) {
		const start = performance.now();
		try {
			outcome = {result: f()};
		} catch (error) {
			outcome = {error};
		}
		const took = performance.now() - start;
		first ??= took;
		best = Math.min(best, took);
	}
	const row = budgetMs === BUDGET_MS ? tally.generated : tally.adversarial;
	row.inputs++;
	if (first! >= budgetMs) row.overOnFirstTry++;
	row.slowestFirstTry = Math.max(row.slowestFirstTry, first!);
	expect(best, `${what} took ${best.toFixed(1)} ms (fastest of 3)`).toBeLessThan(budgetMs);
	return outcome;
}

// What a measurement run reports (FUZZ_REPORT=FILE), one line per test file and kind of input (generated,
// budget 100 ms; adversarial, 500 ms): inputs timed, how many were over their budget on the first try (a
// pause of the machine included; the test fails only if all three tries are), the slowest first try.
const tally = {
	generated: {inputs: 0, overOnFirstTry: 0, slowestFirstTry: 0},
	adversarial: {inputs: 0, overOnFirstTry: 0, slowestFirstTry: 0},
};
afterAll(() => {
	const file = process.env.FUZZ_REPORT;
	if (!file) return;
	const name = expect.getState().testPath?.split('/').pop() ?? 'fuzz';
	for (const [kind, row] of Object.entries(tally)) {
		if (row.inputs > 0) appendFileSync(file, `${name}\t${kind}\t${row.inputs}\t${row.overOnFirstTry}\t${row.slowestFirstTry.toFixed(1)}\n`);
	}
});

/** Fails unless `error` is absent or an instance of the parser's own error type. */
export function onlyOwnError(error: unknown, own: abstract new (...args: never[]) => Error): void {
	if (error !== undefined && !(error instanceof own)) throw error;
}

/** Any UTF-16 code unit, lone surrogates included: what a hostile body can hold after decoding. */
export const codeUnit = fc.integer({min: 0, max: 0xffff}).map((c) => String.fromCharCode(c));

/** The characters the sanitiser and the JSON escaping care about, drawn often. */
export const hostileChar = fc.constantFrom(
	'\u0000', '\u0007', '\u0008', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u009c', '\u009d',
	'\u00ad', '\u061c', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2028', '\u2029',
	'\u202a', '\u202c', '\u202e', '\u2060', '\u2064', '\u2066', '\u2069', '\ufeff', '\ud800', '\udc00',
	'\ufe0f', '😀', '👩', '💻', '🏽', '漢', 'é', '\u0301', 'a', ' ',
);

/** Strings mixing hostile characters, any code unit and plain text. */
export const hostileString = (maxLength = 200) =>
	fc.string({unit: fc.oneof({weight: 3, arbitrary: hostileChar}, {weight: 1, arbitrary: codeUnit}, {weight: 2, arbitrary: fc.constantFrom('a', 'b', '1', '-', ' ')}), maxLength});

/** The characters that no sanitised single-line text may contain (a ZWJ is checked separately). */
export const UNSAFE_ON_SCREEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Runs `f` on each input once, ignoring what it returns or throws: the first calls of a parser compile
 * it, load ICU's segmenter and so on, and that one-off cost is not what the budget is for.
 */
export function warmUp<T>(f: (input: T) => unknown, inputs: T[]): void {
	for (let round = 0; round < 3; round++) {
		for (const input of inputs) {
			try {
				f(input);
			} catch {
				// Only warming.
			}
		}
	}
}
