// Which of Ink's internal modules the bundle (scripts/build.mjs) and the tests (vitest.config.ts) replace with
// ours, and the one Ink version they were written against. Why: source/ui/ink-patches/*.ts and the README's
// architecture notes (a frame's cost on an idle console; Ink's unbounded text memos, vadimdemedes/ink#986).
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const INK_VERSION = '6.8.0';

/** Import specifier as written inside ink/build/*.js → our replacement. */
export const INK_REPLACEMENTS = {
	'./output.js': path.join(root, 'source/ui/ink-patches/output.ts'),
	'./measure-text.js': path.join(root, 'source/ui/ink-patches/measure-text.ts'),
	'./wrap-text.js': path.join(root, 'source/ui/ink-patches/wrap-text.ts'),
	'widest-line': path.join(root, 'source/ui/ink-patches/widest-line.ts'),
};

/** The replacement for `specifier` imported by `importer`, when the importer is one of Ink's own modules. */
export function inkReplacement(specifier, importer) {
	if (!importer || !/[\\/]node_modules[\\/]ink[\\/]build[\\/]/.test(importer)) return undefined;
	return Object.hasOwn(INK_REPLACEMENTS, specifier) ? INK_REPLACEMENTS[specifier] : undefined;
}

/** The replacements mirror one Ink release's internals; a different Ink must be re-checked first. */
export function assertInkVersion() {
	const installed = JSON.parse(readFileSync(path.join(root, 'node_modules/ink/package.json'), 'utf8')).version;
	if (installed !== INK_VERSION) {
		throw new Error(
			`ink ${installed} is installed but source/ui/ink-patches/ replace internals of ink ${INK_VERSION}: ` +
				'compare them with the new ink/build/{output,measure-text,wrap-text}.js, then update INK_VERSION in scripts/ink-patches.mjs.',
		);
	}
}

/** The esbuild plugin. */
export const inkPatchesPlugin = {
	name: 'ink-patches',
	setup(build) {
		assertInkVersion();
		build.onResolve({filter: /^(\.\/(output|measure-text|wrap-text)\.js|widest-line)$/}, (args) => {
			const replacement = inkReplacement(args.path, args.importer);
			return replacement ? {path: replacement} : undefined;
		});
	},
};
