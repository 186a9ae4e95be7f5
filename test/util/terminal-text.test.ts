// Cutting text from outside to a column budget: wide characters count as two, and a cut never splits what
// the terminal draws as one character (an emoji sequence, a letter with its accent).
import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {CONTROL_MARKER, cutToWidth, fitCell, sanitise} from '../../source/util/terminal-text.js';
import {timed} from '../fuzz/budget.js';

describe('cutting text by display width', () => {
	it('never splits a grapheme, and fits the budget with the ellipsis', () => {
		const family = '👨‍👩‍👧';
		const cut = cutToWidth(`ab${family}${family}`, 5);
		expect(cut).toBe(`ab${family}…`);
		expect(stringWidth(cut)).toBeLessThanOrEqual(5);
		expect(cutToWidth('cafe\u0301s-and-more', 6)).toBe('cafe\u0301s…');
	});

	it('counts CJK as two columns when cutting and padding cells', () => {
		expect(fitCell('漢字漢字', 5)).toBe('漢字…');
		expect(fitCell('漢字漢字', 6)).toBe('漢字… ');
		expect(stringWidth(fitCell('漢字漢字', 5))).toBe(5);
		expect(fitCell('42', 5, 'right')).toBe('   42');
	});

	it('gives the same cell the second time (remembered) as the first (measured)', () => {
		const first = fitCell('agent-\u202Eevil\u001b[31m', 10);
		expect(fitCell('agent-\u202Eevil\u001b[31m', 10)).toBe(first);
		expect(first).not.toMatch(/[\u001b\u202E]/);
		expect(stringWidth(first)).toBe(10);
	});
});

describe('the sanitiser on invisible and half characters', () => {
	// Each of these reached the screen and moved detail views and ink-table borders by columns.
	const dropped: Array<[string, string]> = [
		['zero-width space', '\u200B'],
		['zero-width non-joiner', '\u200C'],
		['zero-width joiner between letters', '\u200D'],
		['word joiner', '\u2060'],
		['invisible plus', '\u2064'],
		['BOM / zero-width no-break space', '\uFEFF'],
		['soft hyphen', '\u00AD'],
		['Mongolian vowel separator', '\u180E'],
	];
	for (const [what, c] of dropped) {
		it(`drops a ${what}`, () => {
			expect(sanitise(`ag${c}ent${c}`)).toBe('agent');
			expect(sanitise(`ag${c}ent`, {multiline: true})).toBe('agent');
		});
	}

	it('marks lone surrogates and keeps pairs', () => {
		expect(sanitise('a\uD800b')).toBe(`a${CONTROL_MARKER}b`);
		expect(sanitise('a\uDC00b')).toBe(`a${CONTROL_MARKER}b`);
		expect(sanitise('\uDC00\uD800')).toBe(CONTROL_MARKER + CONTROL_MARKER);
		expect(sanitise('x\uD83D')).toBe(`x${CONTROL_MARKER}`);
		expect(sanitise('😀')).toBe('😀');
	});

	it('treats U+2028 and U+2029 as line breaks: a marker on one line, a newline where newlines are kept', () => {
		expect(sanitise('a\u2028b\u2029c')).toBe(`a${CONTROL_MARKER}b${CONTROL_MARKER}c`);
		expect(sanitise('a\u2028b\u2029c', {multiline: true})).toBe('a\nb\nc');
	});

	it('keeps a zero-width joiner inside an emoji sequence, which measures as one two-column picture', () => {
		for (const emoji of ['👩‍💻', '🏳️‍🌈', '👨🏽‍💻', '🧑‍🤝‍🧑', '❤️‍🔥', '👨‍👩‍👧']) {
			expect(sanitise(emoji)).toBe(emoji);
			expect(stringWidth(emoji), emoji).toBe(2);
			expect(cutToWidth(`${emoji}${emoji}`, 3)).toBe(`${emoji}…`);
		}
		// Not between pictographs: dropped, whichever side is missing.
		expect(sanitise('👩\u200Dx')).toBe('👩x');
		expect(sanitise('x\u200D💻')).toBe('x💻');
		expect(sanitise('👩\u200D\u200D💻')).toBe('👩💻');
	});

	it('returns text that needs nothing as it came', () => {
		const text = 'claude-backend-01 (漢字, café, 😀)';
		expect(sanitise(text)).toBe(text);
	});

	it('keeps table cells exactly as wide as asked with every hostile character in them', () => {
		const hostile = 'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u2028g\u2029h\uD800i\u202Ej\u009Bk\u00ADl';
		for (const width of [1, 5, 10, 20, 40]) expect(stringWidth(fitCell(hostile, width)), String(width)).toBe(width);
		const M = CONTROL_MARKER;
		expect(sanitise(hostile)).toBe(`abcdef${M}g${M}h${M}ij${M}kl`);
	});
});

describe('cutting long text', () => {
	it('cuts a megabyte name in about the time a short one takes', () => {
		const long = 'n'.repeat(1_000_000);
		cutToWidth(long, 60);
		expect(timed('cut 1 MB', () => cutToWidth(long, 60), 50).result).toBe(`${'n'.repeat(59)}…`);
		const wide = '漢'.repeat(500_000);
		expect(timed('cut 500,000 wide', () => cutToWidth(wide, 9), 50).result).toBe('漢漢漢漢…');
	});

	it('cuts long text exactly as it cuts short text, including what needs all of it', () => {
		const marks = `e${'\u0301'.repeat(5000)}`;
		expect(cutToWidth(marks.repeat(3), 2)).toBe(`${marks}…`);
		expect(cutToWidth(marks, 1)).toBe(marks);
		const family = '👨‍👩‍👧';
		const text = `${'x'.repeat(700)}${family}`;
		expect(cutToWidth(text, 702)).toBe(text);
		expect(cutToWidth(text, 701)).toBe(`${'x'.repeat(700)}…`);
	});
});
