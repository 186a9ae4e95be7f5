// Loads ink-table for static tables. ink-table is CommonJS and require()s ink, which is ESM with top-level
// await, so a plain import fails on Node 20 (ERR_REQUIRE_ASYNC_MODULE, maticzav/ink-table#258). We put the
// ink (and React) instances this program already uses into require.cache under the paths ink-table would
// resolve, then require it through createRequire: esbuild leaves that call alone, so it works the same
// from the bundle, from tsx and under vitest, and ink-table renders with our ink, not a second copy.
import {createRequire} from 'node:module';
import path from 'node:path';
import * as ink from 'ink';
import React from 'react';
import type {ComponentType} from 'react';

type Scalar = string | number | boolean | null | undefined;
export type InkTableComponent = ComponentType<{
	data: Array<Record<string, Scalar>>;
	columns?: string[];
	padding?: number;
	skeleton?: ComponentType<{children?: React.ReactNode}>;
}>;

let loaded: InkTableComponent | null = null;
let failure: string | null = null;

function seed(nodeRequire: NodeJS.Require, id: string, from: string, exports: unknown): void {
	let resolved: string;
	try {
		resolved = nodeRequire.resolve(id, {paths: [from]});
	} catch {
		// ink is ESM-only: its package "exports" may have no require condition; use its main file then.
		const pkgPath = nodeRequire.resolve(`${id}/package.json`, {paths: [from]});
		const pkg = nodeRequire(pkgPath) as {main?: string; exports?: unknown};
		resolved = path.join(path.dirname(pkgPath), pkg.main ?? 'index.js');
	}
	if (nodeRequire.cache[resolved]) return;
	const module = {id: resolved, filename: resolved, loaded: true, exports, children: [], paths: [], path: path.dirname(resolved)};
	nodeRequire.cache[resolved] = module as unknown as NodeJS.Module;
}

/** ink-table's component, or null with `inkTableError()` saying why (the caller falls back to text). */
export function loadInkTable(): InkTableComponent | null {
	if (loaded || failure) return loaded;
	try {
		const nodeRequire = createRequire(import.meta.url);
		const tableEntry = nodeRequire.resolve('ink-table');
		const tableDir = path.dirname(tableEntry);
		seed(nodeRequire, 'ink', tableDir, ink);
		seed(nodeRequire, 'react', tableDir, React);
		const mod = nodeRequire(tableEntry) as {default?: unknown};
		// tsx/vitest hand back the CJS exports object, some loaders the default export itself.
		const candidate = (mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod) as {default?: unknown} | InkTableComponent;
		loaded = (typeof candidate === 'function' ? candidate : (candidate as {default: InkTableComponent}).default) as InkTableComponent;
		if (typeof loaded !== 'function') throw new Error('ink-table has no default export');
	} catch (error) {
		failure = error instanceof Error ? error.message : String(error);
		loaded = null;
	}
	return loaded;
}

export function inkTableError(): string | null {
	return failure;
}
