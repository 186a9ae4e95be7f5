import {defineConfig} from 'vitest/config';
// @ts-expect-error: a plain .mjs shared with scripts/build.mjs
import {assertInkVersion, inkReplacement} from './scripts/ink-patches.mjs';

assertInkVersion();

// Tests start real redis-server, PostgreSQL, Alertmanager and simulator processes; on a 2-core machine
// they must not all start at once, and each needs more than the default 5 s on a cold start.
export default defineConfig({
	// The UI tests render through the same patched Ink as the bundle: Ink is inlined (run through Vite, not
	// loaded by Node) so that its imports of output/measure-text/wrap-text/widest-line reach ours.
	plugins: [
		{
			name: 'ink-patches',
			enforce: 'pre',
			resolveId(source: string, importer: string | undefined) {
				return inkReplacement(source, importer) ?? null;
			},
			// Ink ships source maps naming sources it does not ship; inlined, each of its files made Vite warn.
			configResolved(config: {logger: {warnOnce: (message: string, options?: unknown) => void}}) {
				const {logger} = config;
				const warnOnce = logger.warnOnce.bind(logger);
				logger.warnOnce = (message, options) => {
					if (!/^Sourcemap for ".*[\\/]node_modules[\\/]ink[\\/].*" points to missing source files/.test(message)) warnOnce(message, options);
				};
			},
		},
	],
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
