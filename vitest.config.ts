import {defineConfig} from 'vitest/config';

// Tests start real redis-server, PostgreSQL, Alertmanager and simulator processes; on a 2-core machine
// they must not all start at once, and each needs more than the default 5 s on a cold start.
export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2,
		fileParallelism: true,
		reporters: ['default'],
	},
});
