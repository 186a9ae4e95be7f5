// Cutting text from outside to a column budget: wide characters count as two, and a cut never splits what
// the terminal draws as one character (an emoji sequence, a letter with its accent).
import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {cutToWidth, fitCell} from '../../source/util/terminal-text.js';

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
