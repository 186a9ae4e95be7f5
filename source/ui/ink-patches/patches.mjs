// The Ink patches as one unit: which of Ink's internal modules are replaced by ours (the one map below), the
// Ink release and the exact files they were written against, and the two wirings built from that map: the
// esbuild plugin the bundle uses (scripts/build.mjs) and the Vite plugin the tests use (vitest.config.ts).
// Why each patch exists is written at the top of its module here; how to move to a new Ink is UPGRADE.md.
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

export const INK_VERSION = '6.8.0';

/**
 * Import specifier as written inside ink/build/*.js → our replacement, and the file it replaces with that
 * file's SHA-256 in the release above. The hash is the patch's contract: if Ink's file changes at all, the
 * replacement may no longer mirror it, and the guard stops the build and the tests until it is re-checked.
 */
export const INK_PATCHES = {
	'./output.js': {
		replacement: path.join(here, 'output.ts'),
		original: 'node_modules/ink/build/output.js',
		sha256: 'de9078c7fc647c40cf9e32d6658fcbbee91dae9e3f6334e5f4ebfc5905fc401d',
	},
	'./measure-text.js': {
		replacement: path.join(here, 'measure-text.ts'),
		original: 'node_modules/ink/build/measure-text.js',
		sha256: '4562d24171af3063b91a0d965c652ebdf1e2bdf4fe7f75c6bc8664fefc77df6a',
	},
	'./wrap-text.js': {
		replacement: path.join(here, 'wrap-text.ts'),
		original: 'node_modules/ink/build/wrap-text.js',
		sha256: 'd2b8b4d05ed0eadd6c52149092f062ba048cda9928ce88e5176107c6fe38c19e',
	},
	'./sanitize-ansi.js': {
		replacement: path.join(here, 'sanitize-ansi.ts'),
		original: 'node_modules/ink/build/sanitize-ansi.js',
		sha256: '6324e0b5396fda7b0e9dddad4acad023adee913dfb77e541636efa0a04d5f043',
	},
	'widest-line': {
		replacement: path.join(here, 'widest-line.ts'),
		original: 'node_modules/widest-line/index.js',
		sha256: 'c56c70d00610e14d157c1ed4fc3a2b83d96f7e595b1842ba12f3a84217796eb1',
	},
};

/**
 * Source edits to a dependency's module, applied as the bundle is built: load-time work deferred to first use.
 * string-width builds `/^\p{RGI_Emoji}$/v` (V8 expands the property of strings: ~37 ms) and an
 * `Intl.Segmenter` (ICU's break data: ~19 ms) when it loads, though it never uses either on printable ASCII.
 * Every command loads it (sanitising and measuring text), so `status` paid ~55 ms of its ~270 ms for them.
 * (And yoga-layout, below: a fetch() that loads Node's HTTP client at the console's start.)
 * Each edit is exact text; the file's hash is the contract, as for the Ink patches.
 */
export const LOAD_PATCHES = {
	// Yoga's WebAssembly is inlined as a data: URL; Emscripten's loader fetches it with fetch() whenever fetch
	// exists, and Node's first fetch() loads its bundled undici (its own WebAssembly HTTP parser included):
	// ~35 ms of the console's first frame, to decode a string it can decode at once, as it does without fetch.
	'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js': {
		sha256: '2cfeda49ae87f57bcd4a5fe433940edefc531a69bd0f83e32759fb5837df205c',
		edits: [
			['function ya(){return w||"function"!=typeof fetch?', 'function ya(){return w||"function"!=typeof undefined?'],
			['ua(H)||"function"!=typeof fetch?c(b)', 'ua(H)||"function"!=typeof undefined?c(b)'],
		],
	},
	'node_modules/string-width/index.js': {
		sha256: 'abc20775da6b552188b098688ebec671e29f5416d6339d3534bb7b016174003e',
		edits: [
			['const segmenter = new Intl.Segmenter();', 'let segmenterMade; const segmenter = {segment: (text) => (segmenterMade ??= new Intl.Segmenter()).segment(text)};'],
			['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', "let rgiEmojiMade; const rgiEmojiRegex = {test: (text) => (rgiEmojiMade ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text)};"],
		],
	},
};

/** The module's text with its load patch applied; throws if an edit no longer finds its text. */
export function applyLoadPatch(file, text) {
	let out = text;
	for (const [from, to] of LOAD_PATCHES[file].edits) {
		if (!out.includes(from)) throw new Error(`${file}: the text a load patch edits is gone: ${from}`);
		out = out.replace(from, () => to); // a function, so "$'" in the new text is not a replacement pattern
	}
	return out;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Matches exactly the map's specifiers: the esbuild filter, so it can never list one the map lacks. */
export const INK_SPECIFIER_FILTER = new RegExp(`^(${Object.keys(INK_PATCHES).map(escape).join('|')})$`);

const isInkModule = (importer) => Boolean(importer) && /[\\/]node_modules[\\/]ink[\\/]build[\\/]/.test(importer);

/** The replacement for `specifier` imported by `importer`, when the importer is one of Ink's own modules. */
export function inkReplacement(specifier, importer) {
	if (!isInkModule(importer)) return undefined;
	return Object.hasOwn(INK_PATCHES, specifier) ? INK_PATCHES[specifier].replacement : undefined;
}

/**
 * What stands between the patches and a different Ink, as one message per problem: another version, a
 * replaced file whose content changed, or a specifier Ink's build no longer imports (a patch that would
 * silently stop applying).
 */
export function inkPatchProblems(base = root) {
	const problems = [];
	const installed = JSON.parse(readFileSync(path.join(base, 'node_modules/ink/package.json'), 'utf8')).version;
	if (installed !== INK_VERSION) problems.push(`ink ${installed} is installed, the patches mirror ink ${INK_VERSION}`);
	const inkBuild = path.join(base, 'node_modules/ink/build');
	const importers = ['dom.js', 'measure-text.js', 'render-node-to-output.js', 'renderer.js', 'squash-text-nodes.js'].map((f) => {
		try {
			return readFileSync(path.join(inkBuild, f), 'utf8');
		} catch {
			return '';
		}
	});
	for (const [file, patch] of Object.entries(LOAD_PATCHES)) {
		let text;
		try {
			text = readFileSync(path.join(base, file));
		} catch {
			problems.push(`${file} is gone`);
			continue;
		}
		const sha = createHash('sha256').update(text).digest('hex');
		if (sha !== patch.sha256) problems.push(`${file} changed (sha256 ${sha.slice(0, 12)}…, its load patch was written against ${patch.sha256.slice(0, 12)}…)`);
	}
	for (const [specifier, patch] of Object.entries(INK_PATCHES)) {
		let text;
		try {
			text = readFileSync(path.join(base, patch.original));
		} catch {
			problems.push(`${patch.original} is gone`);
			continue;
		}
		const sha = createHash('sha256').update(text).digest('hex');
		if (sha !== patch.sha256) problems.push(`${patch.original} changed (sha256 ${sha.slice(0, 12)}…, patched against ${patch.sha256.slice(0, 12)}…)`);
		if (!importers.some((source) => source.includes(`from '${specifier}'`))) problems.push(`no module in ink/build imports '${specifier}' any more`);
	}
	return problems;
}

/** Throws unless the installed Ink is the one the patches were checked against. */
export function assertInkUnchanged(base = root) {
	const problems = inkPatchProblems(base);
	if (problems.length > 0) {
		throw new Error(
			`source/ui/ink-patches/ replace internals of ink ${INK_VERSION}, and the installed Ink differs:\n  ${problems.join('\n  ')}\n` +
				'Re-check each patch as source/ui/ink-patches/UPGRADE.md says, then update INK_VERSION and the hashes in patches.mjs.',
		);
	}
}

/** The bundle's wiring (scripts/build.mjs). */
export const inkPatchesEsbuildPlugin = {
	name: 'ink-patches',
	setup(build) {
		assertInkUnchanged();
		build.onResolve({filter: INK_SPECIFIER_FILTER}, (args) => {
			const replacement = inkReplacement(args.path, args.importer);
			return replacement ? {path: replacement} : undefined;
		});
		for (const file of Object.keys(LOAD_PATCHES)) {
			const absolute = path.join(root, file);
			build.onLoad({filter: new RegExp(`${escape(absolute)}$`)}, () => ({contents: applyLoadPatch(file, readFileSync(absolute, 'utf8')), loader: 'js', resolveDir: path.dirname(absolute)}));
		}
	},
};

/**
 * The tests' wiring (vitest.config.ts). Ink must be inlined (`server.deps.inline: ['ink']`) so that Vite,
 * not Node, resolves Ink's own imports and this plugin sees them.
 */
export function inkPatchesVitePlugin() {
	assertInkUnchanged();
	return {
		name: 'ink-patches',
		enforce: 'pre',
		resolveId(source, importer) {
			return inkReplacement(source, importer) ?? null;
		},
		// Ink ships source maps naming sources it does not ship; inlined, each of its files made Vite warn.
		configResolved(config) {
			const {logger} = config;
			const warnOnce = logger.warnOnce.bind(logger);
			logger.warnOnce = (message, options) => {
				if (!/^Sourcemap for ".*[\\/]node_modules[\\/]ink[\\/].*" points to missing source files/.test(message)) warnOnce(message, options);
			};
		},
	};
}
