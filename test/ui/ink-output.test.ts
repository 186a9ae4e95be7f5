// Ink's frame composition and text memos are replaced by ours (source/ui/ink-patches/patches.mjs). These tests hold
// the replacements to Ink's own modules: the same frame for the same writes, over consecutive frames that
// change in a few places (as a polled console's do), and memos that stay bounded however long it runs.
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it, vi} from 'vitest';
import React from 'react';
import {Box, Text} from 'ink';
import {render} from 'ink-testing-library';
import fc from 'fast-check';
import {styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import PatchedOutput, {fastStyledChars, outputCacheSizes} from '../../source/ui/ink-patches/output.js';
import patchedMeasureText, {measureTextCacheSize} from '../../source/ui/ink-patches/measure-text.js';
import patchedWrapText, {wrapTextCacheSize} from '../../source/ui/ink-patches/wrap-text.js';
import {widestLineCacheSize} from '../../source/ui/ink-patches/widest-line.js';
import patchedSanitizeAnsi, {sanitizeAnsiCacheSize} from '../../source/ui/ink-patches/sanitize-ansi.js';

const inkBuild = path.resolve('node_modules/ink/build');
const original = async (file: string) => (await import(pathToFileURL(path.join(inkBuild, file)).href)).default;

type Transformer = (line: string, index: number) => string;
interface Writer {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: {x1?: number; x2?: number; y1?: number; y2?: number}): void;
	unclip(): void;
	get(): {output: string; height: number};
}

function prng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FRAGMENTS = ['agent-07', ' ', 'ok', '│', '─┬─', '● active', '↑ 3', '漢字', '👨‍👩‍👧', 'é', 'ｶﾞ', '99.9%', '…', '⣿⣀⣤', '12 s ago', '', 'STALE'];
const STYLES = [
	(s: string) => s,
	(s: string) => `\u001b[31m${s}\u001b[39m`,
	(s: string) => `\u001b[1m${s}\u001b[22m`,
	(s: string) => `\u001b[2m\u001b[33m${s}\u001b[39m\u001b[22m`,
	(s: string) => `\u001b[7m${s}\u001b[27m`,
];
const TRANSFORMERS: Transformer[] = [
	(line) => `\u001b[32m${line}\u001b[39m`,
	(line, index) => (index % 2 === 1 ? line.toUpperCase() : line),
];

type Op = {kind: 'write'; x: number; y: number; text: string; t: Transformer[]} | {kind: 'clip'; clip: {x1?: number; x2?: number; y1?: number; y2?: number}} | {kind: 'unclip'};

function randomText(rand: () => number): string {
	const lines = 1 + Math.floor(rand() * 3);
	const out: string[] = [];
	for (let l = 0; l < lines; l++) {
		let line = '';
		const parts = Math.floor(rand() * 6);
		for (let p = 0; p < parts; p++) line += STYLES[Math.floor(rand() * STYLES.length)]!(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!);
		out.push(line);
	}
	return out.join('\n');
}

function randomScene(rand: () => number, width: number, height: number): Op[] {
	const ops: Op[] = [];
	let open = 0;
	for (let i = 0; i < 60; i++) {
		const r = rand();
		if (r < 0.08) {
			const x1 = Math.floor(rand() * width);
			const y1 = Math.floor(rand() * height);
			const horizontal = rand() < 0.5;
			ops.push({kind: 'clip', clip: {x1: horizontal ? x1 : undefined, x2: horizontal ? x1 + Math.floor(rand() * 30) : undefined, y1, y2: y1 + Math.floor(rand() * 10)}});
			open++;
		} else if (r < 0.13 && open > 0) {
			ops.push({kind: 'unclip'});
			open--;
		} else {
			const t = rand() < 0.3 ? [TRANSFORMERS[Math.floor(rand() * TRANSFORMERS.length)]!] : [];
			ops.push({kind: 'write', x: Math.floor(rand() * (width + 4)) - 2, y: Math.floor(rand() * (height + 4)) - 2, text: randomText(rand), t});
		}
	}
	return ops;
}

function draw(Output: new (o: {width: number; height: number}) => Writer, width: number, height: number, ops: Op[]): string {
	const output = new Output({width, height});
	for (const op of ops) {
		if (op.kind === 'write') output.write(op.x, op.y, op.text, {transformers: op.t});
		else if (op.kind === 'clip') output.clip(op.clip);
		else output.unclip();
	}
	return output.get().output;
}

describe("the console's replacement for Ink's Output", () => {
	it('draws the same frames as Ink 6.8 over 400 consecutive frames that change in a few places', async () => {
		const InkOutput = await original('output.js');
		const rand = prng(20261125);
		let checked = 0;
		for (let scene = 0; scene < 20; scene++) {
			const width = 20 + Math.floor(rand() * 100);
			const height = 5 + Math.floor(rand() * 35);
			const ops = randomScene(rand, width, height);
			for (let frame = 0; frame < 20; frame++) {
				// A poll changes a few texts; the rest of the frame is as before.
				for (let c = 0; c < 3; c++) {
					const op = ops[Math.floor(rand() * ops.length)]!;
					if (op.kind === 'write') op.text = randomText(rand);
				}
				const ours = draw(PatchedOutput as never, width, height, ops);
				expect(ours).toBe(draw(InkOutput, width, height, ops));
				checked++;
			}
		}
		expect(checked).toBe(400);
	});

	it('keeps its memos bounded after 5,000 frames of text that never repeats', () => {
		for (let frame = 0; frame < 5000; frame++) {
			const output = new PatchedOutput({width: 60, height: 3});
			output.write(0, 0, `clock 20:${frame} · ${'●'.repeat(frame % 7)}`, {transformers: []});
			output.write(0, 1, `\u001b[31m${frame} agents\u001b[39m`, {transformers: []});
			output.get();
		}
		const sizes = outputCacheSizes();
		expect(sizes.rows).toBeLessThanOrEqual(2 * 2048);
		expect(sizes.styledChars).toBeLessThanOrEqual(2 * 4096);
		expect(sizes.widths).toBeLessThanOrEqual(2 * 4096);
	});

	it('hold about two minutes of a clock\'s frames, not the count ceiling, over 10,000 frames a second apart', () => {
		vi.useFakeTimers({toFake: ['Date']});
		try {
			const start = Math.floor(Date.now() / 1000) * 1000;
			let largest = {rows: 0, styledChars: 0, widths: 0, measured: 0, wrapped: 0};
			for (let frame = 0; frame < 10_000; frame++) {
				vi.setSystemTime(start + frame * 1000);
				const output = new PatchedOutput({width: 60, height: 3});
				output.write(0, 0, `clock 20:${frame} · ${'●'.repeat(frame % 7)}`, {transformers: []});
				output.write(0, 1, `\u001b[31m${frame} agents\u001b[39m`, {transformers: []});
				output.write(0, 2, 'a line that never changes', {transformers: []});
				output.get();
				patchedMeasureText(`updated ${frame} s ago`);
				patchedWrapText(`updated ${frame} s ago`, 20, 'truncate');
				const sizes = outputCacheSizes();
				// The first two minutes still hold what earlier tests left (up to the count ceiling, depending on
				// how their generations happened to turn): steady state is what this is about.
				if (frame < 122) continue;
				largest = {
					rows: Math.max(largest.rows, sizes.rows),
					styledChars: Math.max(largest.styledChars, sizes.styledChars),
					widths: Math.max(largest.widths, sizes.widths),
					measured: Math.max(largest.measured, measureTextCacheSize()),
					wrapped: Math.max(largest.wrapped, wrapTextCacheSize()),
				};
			}
			// Each generation is open for at most 60 s: 60 frames of two new rows and writes (the third
			// repeats), two generations, plus what earlier tests left until their generation aged out. The
			// ceilings by count alone are 4,096 to 8,192.
			const bound = 2 * 61 * 2 + 10;
			const after = {...outputCacheSizes(), measured: measureTextCacheSize(), wrapped: wrapTextCacheSize()};
			expect(after.rows).toBeLessThanOrEqual(bound);
			expect(after.styledChars).toBeLessThanOrEqual(bound);
			expect(after.widths).toBeLessThanOrEqual(bound);
			expect(after.measured).toBeLessThanOrEqual(bound);
			expect(after.wrapped).toBeLessThanOrEqual(bound);
			// Never near the count ceiling on the way either, once the earlier tests' entries have aged out.
			expect(largest.styledChars).toBeLessThanOrEqual(bound);
		} finally {
			vi.useRealTimers();
		}
	});
});

describe("the output's fast path for a line's styled characters", () => {
	// Pieces a line can be made of: what the console draws (ASCII, box drawing, "●", "≥", SGR colours) and
	// what must leave the fast path (joiners, combining marks, variation selectors, wide and astral
	// characters, other escapes, control characters).
	const PIECES = [
		'a', 'Z', '7', ' ', '%', '~', '│', '━', '┃', '╭', '●', '▲', '▁', '█', '≥', '…', '•', '‹', '→', '✔', 'é', '£', '\u00a0', '¿',
		'⌚', '☔', '✅', '⭐', '\u00ad', '\u0301', '\u200d', '\ufe0f', '\u2028', '漢', 'ｶ', '👨‍👩‍👧', '\ud83d', '\t', '\u007f', '\u009b',
		'\u001b[31m', '\u001b[39m', '\u001b[1;2;33m', '\u001b[38;5;208m', '\u001b[48;2;1;2;3m', '\u001b[0m', '\u001b[m', '\u001b[7m\u001b[27m',
		'\u001b[?25l', '\u001b[3:4m', '\u001b', '\u001b[31', '\u001b]8;;https://x\u0007', '\u001bc',
	];

	it('gives exactly what ansi-tokenize gives, or leaves the line to it, on 5,000 random lines', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...PIECES), {maxLength: 40}), (pieces) => {
				const line = pieces.join('');
				const fast = fastStyledChars(line);
				if (fast !== undefined) expect(fast).toEqual(styledCharsFromTokens(tokenize(line)));
			}),
			{numRuns: 5000},
		);
	});

	it('takes the lines a console pane draws, so the fast path is not dead code', () => {
		for (const line of ['\u001b[1m\u001b[36m┏━► 2 Agents ━━━┓\u001b[39m\u001b[22m', '┃› ● ok       success rate        97.2% >95 <90 <70  ██████┃', '\u001b[2m  claude-backend-01      busy       12 s  0.9 s\u001b[22m', '≥ 3 · ▲ STALE · 1.2k']) {
			expect(fastStyledChars(line)).toEqual(styledCharsFromTokens(tokenize(line)));
		}
		expect(fastStyledChars('漢字 agent')).toBeUndefined();
		expect(fastStyledChars('e\u0301')).toBeUndefined();
	});
});

describe("the console's replacements for Ink's text memos", () => {
	it('measure and wrap as Ink 6.8 does, and stay bounded where Ink keeps every string (ink#986)', async () => {
		const inkMeasure = await original('measure-text.js');
		const inkWrap = await original('wrap-text.js');
		const rand = prng(7);
		for (let i = 0; i < 10_000; i++) {
			const text = `${randomText(rand)} ${i}`;
			expect(patchedMeasureText(text)).toEqual(inkMeasure(text));
			if (i % 5 !== 0 && i < 9_000) continue;
			const width = 1 + Math.floor(rand() * 20);
			for (const type of ['wrap', 'truncate', 'truncate-middle', 'truncate-start'] as const) {
				expect(patchedWrapText(text, width, type)).toBe(inkWrap(text, width, type));
			}
		}
		expect(measureTextCacheSize()).toBeLessThanOrEqual(2 * 4096);
		expect(wrapTextCacheSize()).toBeLessThanOrEqual(2 * 4096);
	});

	it('sanitise as Ink 6.8 does, the same text twice included, with the memo bounded', async () => {
		const inkSanitize = await original('sanitize-ansi.js');
		const rand = prng(11);
		// Escapes Ink keeps (SGR, OSC links) and strips (cursor moves, screen clears, C1 controls, malformed).
		const HOSTILE = ['\u001b[2J', '\u001b[10;5H', '\u001b[?25l', '\u001b]8;;https://x\u0007link\u001b]8;;\u0007', '\u009b31m', '\u0085', '\u001b[31', '\u001bP1$r\u001b\\', '\u001b[38:5:1m'];
		for (let i = 0; i < 10_000; i++) {
			let text = `${randomText(rand)} ${i % 3000}`;
			if (rand() < 0.3) text += HOSTILE[Math.floor(rand() * HOSTILE.length)]! + randomText(rand);
			expect(patchedSanitizeAnsi(text)).toBe(inkSanitize(text));
		}
		expect(sanitizeAnsiCacheSize()).toBeLessThanOrEqual(2 * 4096);
	});

	it('are the ones Ink uses when the tests render (the same wiring as the bundle)', () => {
		const before = measureTextCacheSize() + widestLineCacheSize();
		const sanitisedBefore = sanitizeAnsiCacheSize();
		const r = render(React.createElement(Box, null, React.createElement(Text, null, `a text never measured before ${Math.random()}`)));
		r.unmount();
		expect(measureTextCacheSize() + widestLineCacheSize()).toBeGreaterThan(before);
		expect(sanitizeAnsiCacheSize()).toBeGreaterThan(sanitisedBefore);
	});
});

describe('the patches unit', () => {
	it('wires exactly the map: the esbuild filter matches its specifiers and nothing else', async () => {
		// @ts-expect-error: plain .mjs shared with the build script
		const {INK_PATCHES, INK_SPECIFIER_FILTER, inkReplacement} = await import('../../source/ui/ink-patches/patches.mjs');
		const inkImporter = path.resolve('node_modules/ink/build/renderer.js');
		for (const [specifier, patch] of Object.entries(INK_PATCHES) as [string, {replacement: string}][]) {
			expect(INK_SPECIFIER_FILTER.test(specifier)).toBe(true);
			expect(inkReplacement(specifier, inkImporter)).toBe(patch.replacement);
			// Our own imports of the same names are left alone.
			expect(inkReplacement(specifier, path.resolve('source/ui/app.tsx'))).toBeUndefined();
		}
		for (const other of ['./outputs.js', 'x./output.js', './render.js', 'widest-line/index.js']) expect(INK_SPECIFIER_FILTER.test(other)).toBe(false);
	});

	it('the guard accepts the installed Ink and names a replaced file whose content changed', async () => {
		// @ts-expect-error: plain .mjs shared with the build script
		const {INK_PATCHES, inkPatchProblems} = await import('../../source/ui/ink-patches/patches.mjs');
		expect(inkPatchProblems()).toEqual([]);
		const {mkdtempSync, mkdirSync, copyFileSync, appendFileSync, rmSync, writeFileSync, readFileSync} = await import('node:fs');
		const os = await import('node:os');
		const fake = mkdtempSync(path.join(os.tmpdir(), 'ink-guard-'));
		try {
			for (const dir of ['node_modules/ink/build', 'node_modules/widest-line']) mkdirSync(path.join(fake, dir), {recursive: true});
			copyFileSync('node_modules/ink/package.json', path.join(fake, 'node_modules/ink/package.json'));
			for (const file of ['dom.js', 'measure-text.js', 'render-node-to-output.js', 'renderer.js', 'output.js', 'wrap-text.js', 'squash-text-nodes.js', 'sanitize-ansi.js']) {
				copyFileSync(path.join('node_modules/ink/build', file), path.join(fake, 'node_modules/ink/build', file));
			}
			copyFileSync('node_modules/widest-line/index.js', path.join(fake, 'node_modules/widest-line/index.js'));
			// The load patches' files are checked by the same guard.
			// @ts-expect-error: plain .mjs shared with the build script
			const {LOAD_PATCHES} = await import('../../source/ui/ink-patches/patches.mjs');
			for (const file of Object.keys(LOAD_PATCHES as Record<string, unknown>)) {
				mkdirSync(path.dirname(path.join(fake, file)), {recursive: true});
				copyFileSync(file, path.join(fake, file));
			}
			expect(inkPatchProblems(fake)).toEqual([]);
			appendFileSync(path.join(fake, INK_PATCHES['./wrap-text.js'].original), '\n// changed\n');
			const pkg = JSON.parse(readFileSync(path.join(fake, 'node_modules/ink/package.json'), 'utf8'));
			writeFileSync(path.join(fake, 'node_modules/ink/package.json'), JSON.stringify({...pkg, version: '9.9.9'}));
			const problems = inkPatchProblems(fake);
			expect(problems.some((p: string) => p.includes('ink 9.9.9 is installed'))).toBe(true);
			expect(problems.some((p: string) => p.includes('ink/build/wrap-text.js changed'))).toBe(true);
			expect(problems).toHaveLength(2);
		} finally {
			rmSync(fake, {recursive: true, force: true});
		}
	});
});
