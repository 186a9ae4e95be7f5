// The load patches (source/ui/ink-patches/patches.mjs) edit two dependencies as the bundle is built, to defer
// work they do at load. Each edit must still find its text in the installed file, and the patched module must
// behave as the original: string-width patched gives the same widths, yoga patched still instantiates (the tmux tests draw with it).
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
// @ts-expect-error: plain .mjs, shared with scripts/build.mjs
import {applyLoadPatch, inkPatchProblems, LOAD_PATCHES} from '../../source/ui/ink-patches/patches.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const written: string[] = [];
afterAll(() => {
	for (const file of written) rmSync(file, {force: true});
});

/** The patched module written beside the original (so its own imports resolve), then imported. */
async function importPatched(file: string): Promise<Record<string, unknown>> {
	const original = path.join(root, file);
	const target = path.join(path.dirname(original), `.load-patch-test-${process.pid}.mjs`);
	writeFileSync(target, applyLoadPatch(file, readFileSync(original, 'utf8')));
	written.push(target);
	return (await import(target)) as Record<string, unknown>;
}

describe('load patches', () => {
	it('every patched file is the one the patches were written against, and every edit finds its text', () => {
		expect(inkPatchProblems()).toEqual([]);
		for (const file of Object.keys(LOAD_PATCHES)) {
			const text = readFileSync(path.join(root, file), 'utf8');
			const patched = applyLoadPatch(file, text) as string;
			expect(patched).not.toBe(text);
			for (const [from, to] of LOAD_PATCHES[file].edits as Array<[string, string]>) {
				expect(patched).not.toContain(from);
				expect(patched).toContain(to);
			}
		}
	});

	it('string-width patched measures as the original: ASCII, CJK, marks, emoji, ZWJ and flags', async () => {
		const patched = (await importPatched('node_modules/string-width/index.js')).default as typeof stringWidth;
		for (const text of ['plain', '漢字', 'e\u0301', '👩\u200d💻', '🇩🇪', '⚠ warning', '#\u20e3', '\u2614\ufe0f', 'ｶﾞ', '']) {
			expect(patched(text)).toBe(stringWidth(text));
		}
	});

	it('yoga patched still instantiates its WebAssembly, without calling fetch', async () => {
		const yoga = (await importPatched('node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js')).default as () => Promise<Record<string, unknown>>;
		const saved = globalThis.fetch;
		// The original calls fetch (then falls back when it fails); the patched one never does.
		let calls = 0;
		globalThis.fetch = (() => (calls++, Promise.reject(new Error('fetch called')))) as typeof fetch;
		try {
			const instance = await yoga();
			// Emscripten's module, its exports instantiated (yoga-layout wraps these as Node, Config…).
			expect(Object.keys(instance).length).toBeGreaterThan(10);
			expect(calls).toBe(0);
		} finally {
			globalThis.fetch = saved;
		}
	});
});
