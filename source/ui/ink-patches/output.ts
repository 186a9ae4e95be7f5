// Stands in for ink/build/output.js (Ink 6.8; see patches.mjs). Ink's Output turns every frame
// into a grid of styled cells (120x40 = 4,800 objects), tokenises each text line into per-character
// objects and styles every row back into a string, with its memos thrown away after each frame. On a console
// whose frame changes in a few places per poll that was the largest part of idle CPU.
//
// This version gives the same output (test/ui/ink-output.test.ts compares it with Ink's own on random
// frames) and does less: the writes are first collected per row, and a row whose writes (position and
// transformed text, in order) are the same as in an earlier frame reuses that frame's string; only changed
// rows go through the cell grid. The tokeniser memo and the console's width memo (displayWidth) live across
// frames, within fixed bounds.
import {eastAsianWidth} from 'get-east-asian-width';
import sliceAnsi from 'slice-ansi';
import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode, type StyledChar, type Token} from '@alcalzone/ansi-tokenize';
import {GenerationalCache} from '../../util/generational-cache.js';
import {displayWidth as widthOf, displayWidthCacheSize} from '../../util/terminal-text.js';
import widestLineOf from './widest-line.js';

type Transformer = (line: string, index: number) => string;

interface Clip {
	x1?: number;
	x2?: number;
	y1?: number;
	y2?: number;
}

type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};

const styledChars = new GenerationalCache<string, StyledChar[]>(4096);
const rows = new GenerationalCache<string, string>(2048);

/**
 * ansi-tokenize's styledCharsFromTokens, with the characters between two style changes sharing one styles
 * array instead of a copy each (nothing downstream mutates them; reduceAnsiCodesIncremental returns new).
 */
function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
	let codes: AnsiCode[] = [];
	const chars: StyledChar[] = [];
	for (const token of tokens) {
		if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
		else chars.push({type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes});
	}
	return chars;
}

// The tokens of each SGR escape met, as tokenize gives them (a compound one splits into several): a
// console uses a few dozen, so the cache stays small.
const sgrTokens = new GenerationalCache<string, Token[]>(256);

/**
 * Characters that are always a grapheme of their own when nothing around them is a combining mark, joiner,
 * variation selector or surrogate (those send the line to tokenize): Latin-1 but the soft hyphen, general
 * punctuation, and arrows to dingbats, which hold the console's box drawing, blocks, "●", "▲" and "≥".
 */
function standalone(code: number): boolean {
	return (code >= 0xa1 && code <= 0xff && code !== 0xad) || (code >= 0x2010 && code <= 0x2027) || (code >= 0x2030 && code <= 0x205e) || (code >= 0x2190 && code <= 0x27bf);
}

/**
 * styledCharsFromTokens(tokenize(line)) without tokenize's grapheme segmenter and its token per character,
 * for the lines a console draws: printable ASCII, standalone characters and SGR escapes. Each character
 * becomes its styled cell at once, with the width test tokenize makes. Anything else (another escape, a
 * control character, a character that might join its neighbour) returns undefined and takes tokenize's
 * path; test/ui/ink-output.test.ts checks the two agree on random lines.
 */
export function fastStyledChars(line: string): StyledChar[] | undefined {
	let codes: AnsiCode[] = [];
	const chars: StyledChar[] = [];
	for (let i = 0; i < line.length; i++) {
		const code = line.charCodeAt(i);
		if (code === 0x1b) {
			if (line.charCodeAt(i + 1) !== 0x5b) return undefined;
			let end = i + 2;
			for (let c = line.charCodeAt(end); c === 0x3b || (c >= 0x30 && c <= 0x39); c = line.charCodeAt(++end));
			if (line.charCodeAt(end) !== 0x6d) return undefined;
			const escape = line.slice(i, end + 1);
			let tokens = sgrTokens.get(escape);
			if (tokens === undefined) {
				tokens = tokenize(escape);
				sgrTokens.set(escape, tokens);
			}
			for (const token of tokens) {
				if (token.type !== 'ansi') return undefined;
				codes = reduceAnsiCodesIncremental(codes, [token]);
			}
			i = end;
		} else if (code >= 0x20 && code < 0x7f) {
			chars.push({type: 'char', value: line[i]!, fullWidth: false, styles: codes});
		} else if (standalone(code)) {
			chars.push({type: 'char', value: line[i]!, fullWidth: eastAsianWidth(code) === 2, styles: codes});
		} else {
			return undefined;
		}
	}
	return chars;
}

function charsOf(line: string): StyledChar[] {
	let cached = styledChars.get(line);
	if (cached === undefined) {
		cached = fastStyledChars(line) ?? styledCharsFromTokens(tokenize(line));
		styledChars.set(line, cached);
	}
	return cached;
}

function sameStyles(a: AnsiCode[], b: AnsiCode[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
	return true;
}

/**
 * ansi-tokenize's styledCharsToString, without its cost on the common case: it diffs the styles of every
 * pair of neighbouring cells (three Sets and four arrays per cell, half of an idle console's allocations),
 * though neighbours almost always share their styles, and the diff of equal styles is empty.
 */
function styledCharsToString(chars: StyledChar[]): string {
	let out = '';
	for (let i = 0; i < chars.length; i++) {
		const char = chars[i]!;
		if (i === 0) out += opening(char.styles);
		else if (!sameStyles(chars[i - 1]!.styles, char.styles)) out += transition(chars[i - 1]!.styles, char.styles);
		out += char.value;
		if (i === chars.length - 1) out += transition(char.styles, NO_STYLES);
	}
	return out;
}

// The escapes between two styles, by the identity of their arrays: a line's cells share the arrays of the
// line's cached characters, so the same few pairs meet on every frame, and diffAnsiCodes made three Sets and
// four arrays for each. Weak keys: an entry goes when the cached line holding its arrays does.
const NO_STYLES: AnsiCode[] = [];
const openings = new WeakMap<AnsiCode[], string>();
const transitions = new WeakMap<AnsiCode[], Map<AnsiCode[], string>>();

function opening(styles: AnsiCode[]): string {
	let text = openings.get(styles);
	if (text === undefined) {
		text = ansiCodesToString(styles);
		openings.set(styles, text);
	}
	return text;
}

function transition(from: AnsiCode[], to: AnsiCode[]): string {
	let byTarget = transitions.get(from);
	if (byTarget === undefined) {
		byTarget = new Map();
		transitions.set(from, byTarget);
	}
	let text = byTarget.get(to);
	if (text === undefined) {
		text = ansiCodesToString(diffAnsiCodes(from, to));
		// A style array meets a handful of neighbours; bounded anyway, as a line of random styles could grow it.
		if (byTarget.size >= 64) byTarget.clear();
		byTarget.set(to, text);
	}
	return text;
}

const BLANK: StyledChar = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: []}) as StyledChar;

/** One row from its writes (alternating x and text, in write order), exactly as Ink's grid would give it. */
function composeRow(width: number, writes: Array<number | string>): string {
	const cells: StyledChar[] = new Array(width).fill(BLANK);
	for (let i = 0; i < writes.length; i += 2) {
		let offsetX = writes[i] as number;
		const chars = charsOf(writes[i + 1] as string);
		for (let c = 0; c < chars.length; c++) {
			const character = chars[c]!;
			cells[offsetX] = character;
			// Printed width by string-width, as Ink measures it; the cells a wide character covers are cleared.
			const characterWidth = Math.max(1, widthOf(character.value));
			for (let index = 1; index < characterWidth; index++) {
				cells[offsetX + index] = {type: 'char', value: '', fullWidth: false, styles: character.styles} as StyledChar;
			}
			offsetX += characterWidth;
		}
	}
	// A negative x leaves a property rather than an element, and holes are skipped, as in Ink. Holes only
	// come from a write past the right edge; within it the row is still full, and needs no filtered copy.
	return styledCharsToString(cells.length === width ? cells : cells.filter((item) => item !== undefined)).trimEnd();
}

export default class Output {
	readonly width: number;
	readonly height: number;
	private readonly operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		this.width = options.width;
		this.height = options.height;
	}

	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers: options.transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		const writes: Array<Array<number | string>> = Array.from({length: this.height}, () => []);
		const clips: Clip[] = [];
		// Index loops throughout: these run on every frame and mostly below TurboFan (the console raises
		// V8's interrupt budget, bin/hive-console.js), where each for-of step allocates an iterator result.
		for (let o = 0; o < this.operations.length; o++) {
			const operation = this.operations[o]!;
			if (operation.type === 'clip') clips.push(operation.clip);
			if (operation.type === 'unclip') clips.pop();
			if (operation.type !== 'write') continue;
			const {text, transformers} = operation;
			let {x, y} = operation;
			let lines = text.split('\n');
			const clip = clips.at(-1);
			if (clip) {
				const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
				const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
				if (clipHorizontally) {
					const width = widestLineOf(text);
					if (x + width < clip.x1! || x > clip.x2!) continue;
				}
				if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
				if (clipHorizontally) {
					lines = lines.map((line) => {
						const from = x < clip.x1! ? clip.x1! - x : 0;
						const width = widthOf(line);
						const to = x + width > clip.x2! ? clip.x2! - x : width;
						return sliceAnsi(line, from, to);
					});
					if (x < clip.x1!) x = clip.x1!;
				}
				if (clipVertically) {
					const from = y < clip.y1! ? clip.y1! - y : 0;
					const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
					lines = lines.slice(from, to);
					if (y < clip.y1!) y = clip.y1!;
				}
			}
			let offsetY = 0;
			for (let index = 0; index < lines.length; index++) {
				let line = lines[index]!;
				const row = writes[y + offsetY];
				// As in Ink: a line outside the frame is dropped without moving on a row.
				if (!row) continue;
				for (let t = 0; t < transformers.length; t++) line = transformers[t]!(line, index);
				row.push(x, line);
				offsetY++;
			}
		}
		const out: string[] = [];
		for (let r = 0; r < writes.length; r++) {
			const row = writes[r]!;
			if (row.length === 0) {
				out.push('');
				continue;
			}
			let key = `${this.width}`;
			for (let i = 0; i < row.length; i += 2) key += `\u0000${row[i]}\u0000${(row[i + 1] as string).length}\u0000${row[i + 1]}`;
			let text = rows.get(key);
			if (text === undefined) {
				text = composeRow(this.width, row);
				rows.set(key, text);
			}
			out.push(text);
		}
		return {output: out.join('\n'), height: this.height};
	}
}

/** Entries held by the memos (tests check they stay bounded). */
export function outputCacheSizes(): {styledChars: number; widths: number; rows: number} {
	return {styledChars: styledChars.size, widths: displayWidthCacheSize(), rows: rows.size};
}
