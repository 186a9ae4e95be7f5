import {defineConfig} from 'vitest/config';
// @ts-expect-error: plain .mjs, shared with scripts/build.mjs so both read the same replacement map
import {inkPatchesVitePlugin} from './source/ui/ink-patches/patches.mjs';

// Tests start real redis-server, PostgreSQL, Alertmanager and simulator processes; on a 2-core machine
// they must not all start at once, and each needs more than the default 5 s on a cold start.
export default defineConfig({
	// The UI tests render through the same patched Ink as the bundle: Ink is inlined (run through Vite, not
	// loaded by Node) so that its imports of output/measure-text/wrap-text/widest-line reach ours.
	plugins: [inkPatchesVitePlugin()],
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2,
		fileParallelism: true,
		reporters: ['default'],
		server: {deps: {inline: ['ink']}},
	},
});
