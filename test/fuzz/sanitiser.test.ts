// The one sanitiser and the JSON escaping, on any string: nothing a terminal would act on or mis-measure
// gets through, widths are what was asked, and every input is handled within the per-input budget.
import fc from 'fast-check';
import stringWidth from 'string-width';
import {beforeAll, describe, expect, it} from 'vitest';
import {cutToWidth, displayWidth, fitCell, sanitise} from '../../source/util/terminal-text.js';
import {toSafeJson} from '../../source/util/safe-json.js';
import {wrapText} from '../../source/ui/views/scroll-frame.js';
import {ADVERSARIAL_BUDGET_MS, hostileString, timed, UNSAFE_ON_SCREEN, warmUp, runs} from './budget.js';

const STRAY_ZWJ = /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/u;

describe('fuzz: sanitiser', () => {
	beforeAll(() => warmUp((t: string) => [fitCell(t, 10), cutToWidth(sanitise(t, {multiline: true}), 5), toSafeJson(t)], ['a\u200d💻\u2028', '👩\u200d💻漢\ud800', 'plain']));

	it('leaves no control, bidi, invisible character, separator or lone surrogate', () => {
		fc.assert(
			fc.property(hostileString(), fc.boolean(), (text, multiline) => {
				const {result} = timed('sanitise', () => sanitise(text, {multiline}));
				const out = result!;
				const unsafe = multiline ? out.replace(/\n/g, '') : out;
				expect(unsafe).not.toMatch(UNSAFE_ON_SCREEN);
				expect(out).not.toMatch(STRAY_ZWJ);
				if (!multiline) expect(out).not.toContain('\n');
				// Idempotent: sanitised text needs nothing more.
				expect(sanitise(out, {multiline})).toBe(out);
			}),
			{numRuns: runs(1000)},
		);
	});

	it('cuts to at most the width asked, and pads cells to exactly it', () => {
		fc.assert(
			fc.property(hostileString(300), fc.integer({min: 1, max: 80}), (text, width) => {
				const clean = sanitise(text);
				const {result: cut} = timed('cutToWidth', () => cutToWidth(clean, width));
				expect(stringWidth(cut!)).toBeLessThanOrEqual(width);
				if (stringWidth(clean) <= width) expect(cut).toBe(clean);
				else expect(cut!.endsWith('…')).toBe(true);
				const {result: cell} = timed('fitCell', () => fitCell(text, width));
				expect(stringWidth(cell!)).toBe(width);
			}),
			{numRuns: runs(500)},
		);
	});

	it('handles adversarial sizes within the budget', () => {
		const cases = [
			'\u200b'.repeat(262_144),
			'\ud800'.repeat(262_144),
			'a\u0301'.repeat(100_000),
			'\u0301'.repeat(262_144),
			'👩\u200d'.repeat(50_000),
			'\u001b[31m'.repeat(40_000),
			'漢'.repeat(262_144),
		];
		for (const text of cases) {
			const {result} = timed(`sanitise+cut ${JSON.stringify(text.slice(0, 4))}`, () => cutToWidth(sanitise(text), 60), ADVERSARIAL_BUDGET_MS);
			expect(stringWidth(result!)).toBeLessThanOrEqual(60);
		}
	});
});

describe('fuzz: JSON for terminals', () => {
	it('escapes every unsafe character and parses back to the same value', () => {
		const value = fc.dictionary(hostileString(20), fc.oneof(hostileString(), fc.integer(), fc.array(hostileString(30), {maxLength: 4})), {maxKeys: 5});
		fc.assert(
			fc.property(value, (v) => {
				const {result: json} = timed('toSafeJson', () => toSafeJson(v, 0));
				expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/);
				expect(json).not.toMatch(UNSAFE_ON_SCREEN);
				expect(JSON.parse(json!)).toEqual(JSON.parse(JSON.stringify(v)));
			}),
			{numRuns: runs(500)},
		);
	});
});

describe('fuzz: width of short text', () => {
	it('measures any sanitised text as string-width does, through the shortcut for text of single-code-point graphemes or not', () => {
		// Every BMP code point is a candidate, weighted to the blocks a console draws (symbols, arrows, boxes,
		// CJK, Hangul, marks, emoji-capable dingbats, fullwidth forms), plus astral emoji and combining runs.
		const bmp = fc.integer({min: 0x20, max: 0xfffd}).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c));
		const drawn = fc.integer({min: 0x2000, max: 0x2bff}).map((c) => String.fromCharCode(c));
		const special = fc.constantFrom('\u0d4e', 'a\u0e33', '\u0e01\u0eb3', 'ㄱ', '\u1100\u1161', 'ﾀﾞ', 'Ａ', '\u231a', '\u2614\ufe0f', '#\u20e3', '👍🏽', 'e\u0301', 'क्ष', '\u0600a', '·', '≥', '▶', '⚠');
		fc.assert(
			fc.property(fc.array(fc.oneof(bmp, drawn, special, hostileString(8)), {maxLength: 40}), (parts) => {
				const text = sanitise(parts.join(''));
				expect(displayWidth(text)).toBe(stringWidth(text));
			}),
			{numRuns: runs(3000)},
		);
		// Every BMP code point, alone and between two letters: the shortcut agrees with string-width on each
		// (the fuzz found Thai sara am, which joins the letter before it, only after 2,331 inputs).
		for (let c = 0x20; c < 0xfffe; c++) {
			if (c >= 0xd800 && c <= 0xdfff) continue;
			const text = `a${String.fromCharCode(c)}b`;
			if (displayWidth(text) !== stringWidth(text)) expect(`U+${c.toString(16)}: ${displayWidth(text)}`).toBe(`U+${c.toString(16)}: ${stringWidth(text)}`);
		}
	});
});

describe('fuzz: width of styled text', () => {
	it('measures text with colour and style escapes as string-width does, short and past the memo bound', () => {
		const style = fc.constantFrom('\u001b[33m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[90m\u001b[2m', '\u001b[38;2;10;20;30m', '\u001b]8;;http://x\u0007', '\u001b]8;;\u0007', '\u009b31m', '\u001b[0m');
		const visible = fc.oneof(fc.constantFrom('●', '│', '…', '▲', '漢', '👍🏽', 'e\u0301', 'ok ', '▁▂▃', 'x'.repeat(300)), fc.string({maxLength: 12}).map((t) => sanitise(t)));
		fc.assert(
			fc.property(fc.array(fc.oneof(style, visible), {maxLength: 60}), (parts) => {
				const text = parts.join('');
				const {result} = timed('displayWidth', () => displayWidth(text));
				expect(result).toBe(stringWidth(text));
			}),
			{numRuns: runs(1500)},
		);
	});
});

describe('fuzz: width of long text', () => {
	it('measures text past the memo bound as string-width does, chunk cuts included, in linear time', () => {
		const piece = fc.oneof(hostileString(40), fc.constantFrom('👩\u200d💻', '👍🏽', '🇩🇪', 'e\u0301', '漢字', 'a\ufe0f', 'x'.repeat(1023)));
		fc.assert(
			fc.property(fc.array(piece, {minLength: 20, maxLength: 120}), (parts) => {
				const text = sanitise(parts.join(''));
				const {result} = timed('displayWidth', () => displayWidth(text));
				expect(result).toBe(stringWidth(text));
			}),
			{numRuns: runs(200)},
		);
		for (const text of ['漢'.repeat(131_072), '👩\u200d💻'.repeat(50_000), 'e\u0301'.repeat(100_000)]) {
			const {result} = timed(`displayWidth ${JSON.stringify(text.slice(0, 4))}`, () => displayWidth(text), ADVERSARIAL_BUDGET_MS);
			expect(result).toBeGreaterThan(0);
		}
	});
});

describe('fuzz: wrapping for overlays', () => {
	it('wraps to the width, keeps every visible character in order, and is linear on huge words', () => {
		fc.assert(
			fc.property(hostileString(300), fc.integer({min: 1, max: 80}), (text, width) => {
				const {result} = timed('wrapText', () => wrapText(text, width));
				for (const line of result!) expect(stringWidth(line)).toBeLessThanOrEqual(Math.max(width, 2));
				expect(result!.join('').replace(/\s/g, '')).toBe(sanitise(text, {multiline: true}).replace(/\s/g, ''));
			}),
			{numRuns: runs(500)},
		);
		// A hive's reason of one 256 KB word (a URL, a digit run) used to cost its length squared.
		for (const text of ['x'.repeat(262_144), 'agent '.repeat(43_690), '漢'.repeat(131_072), '9'.repeat(100_000) + ' ok']) {
			const {result} = timed(`wrapText ${JSON.stringify(text.slice(0, 6))}`, () => wrapText(text, 78), ADVERSARIAL_BUDGET_MS);
			expect(result!.every((line) => stringWidth(line) <= 78)).toBe(true);
		}
	});
});
