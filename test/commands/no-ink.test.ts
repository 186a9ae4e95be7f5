// `status`, `check`, `watch`, `playbook`, `snapshot` and `timeline` must not load Ink or React (start-up time; see README,
// Architecture): walk the built bundle's static import graph from cli.js through each command's chunk and
// look for either library.
import {describe, expect, it} from 'vitest';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {binPath, repoRoot} from '../harness/services.js';

const dist = path.join(repoRoot, 'dist');

/** The chunk that `import('./commands/NAME.js')` loads, read from cli.js. */
function commandChunk(name: string): string {
	const cli = readFileSync(path.join(dist, 'cli.js'), 'utf8');
	const match = new RegExp(`import\\("\\./(chunks/${name}-[A-Z0-9]+\\.js)"\\)`).exec(cli);
	if (!match) throw new Error(`no chunk for command ${name} in dist/cli.js; run node scripts/build.mjs`);
	return path.join(dist, match[1]!);
}

/** Every file loaded statically (import … from "./x.js") starting at `file`. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
	if (seen.has(file)) return seen;
	seen.add(file);
	const text = readFileSync(file, 'utf8');
	for (const m of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^"';]*?\sfrom\s*)?"(\.{1,2}\/[^"]+\.js)"/g)) {
		staticClosure(path.resolve(path.dirname(file), m[1]!), seen);
	}
	return seen;
}

// Strings only React's and Ink's own code contains.
const REACT_MARKER = 'react.transitional.element';
const INK_MARKER = 'ink-root';

describe('headless commands load neither Ink nor React', () => {
	it('the markers exist somewhere in the bundle (so this test can fail)', () => {
		const chunks = readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
		const text = chunks.map((f) => readFileSync(path.join(dist, 'chunks', f), 'utf8')).join('\n');
		expect(text).toContain(REACT_MARKER);
		expect(text).toContain(INK_MARKER);
	});

	it.each(['status', 'check', 'watch', 'playbook', 'snapshot', 'timeline', 'fleet'])('%s', (name) => {
		const files = [...staticClosure(path.join(dist, 'cli.js')), ...staticClosure(commandChunk(name))];
		for (const file of files) {
			const text = readFileSync(file, 'utf8');
			expect(text.includes(REACT_MARKER), `${path.relative(dist, file)} contains React`).toBe(false);
			expect(text.includes(INK_MARKER), `${path.relative(dist, file)} contains Ink`).toBe(false);
		}
	});
});

// The database and Redis clients load on first connection (sources/pg-pool.ts, sources/redis-connection.ts):
// a `status` of a hive with neither configured must not pay for them at start-up.
const PG_MARKER = '// node_modules/pg/lib/client.js';
const IOREDIS_MARKER = '// node_modules/ioredis/built/Redis.js';

describe('headless commands load pg and ioredis only when a source needs them', () => {
	it('the markers exist somewhere in the bundle (so this test can fail)', () => {
		const chunks = readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
		const text = chunks.map((f) => readFileSync(path.join(dist, 'chunks', f), 'utf8')).join('\n');
		expect(text).toContain(PG_MARKER);
		expect(text).toContain(IOREDIS_MARKER);
	});

	it.each(['status', 'check', 'watch', 'playbook', 'snapshot'])('%s', (name) => {
		const files = [...staticClosure(path.join(dist, 'cli.js')), ...staticClosure(commandChunk(name))];
		for (const file of files) {
			const text = readFileSync(file, 'utf8');
			expect(text.includes(PG_MARKER), `${path.relative(dist, file)} contains pg`).toBe(false);
			expect(text.includes(IOREDIS_MARKER), `${path.relative(dist, file)} contains ioredis`).toBe(false);
		}
	});
});

// The one-shot commands run from dist/headless.cjs, compiled with V8's code cache (bin/hive-console.js).
describe('the headless script', () => {
	const script = () => readFileSync(path.join(dist, 'headless.cjs'), 'utf8');

	it('holds neither Ink, React, pg nor ioredis: the clients are required from node_modules on first use', () => {
		const text = script();
		for (const marker of [REACT_MARKER, INK_MARKER, 'node_modules/pg/lib/client.js', 'node_modules/ioredis/built/Redis.js']) {
			expect(text.includes(marker), marker).toBe(false);
		}
		// vm.Script has no loader for a dynamic import(): every module is bundled or required.
		expect(text).not.toMatch(/\bimport\(/);
		expect(text).toContain('require("pg")');
		expect(text).toContain('require("ioredis")');
	});

	it.each([
		['status', ['status', '--hive', 'http://127.0.0.1:9', '--timeout', '1']],
		['watch', ['watch', '--hive', 'http://127.0.0.1:9', '--count', '1', '--interval', '1']],
		['action list', ['action', 'list']],
	])('%s starts with the code cache V8 accepted', async (_name, args) => {
		const {spawnSync} = await import('node:child_process');
		const result = spawnSync(process.execPath, [binPath, ...args], {
			env: {...process.env, HIVE_CONSOLE_CODE_CACHE_REPORT: '1', XDG_CONFIG_HOME: path.join(dist, 'no-config')},
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.stderr).toContain('code cache: accepted');
	});
});
