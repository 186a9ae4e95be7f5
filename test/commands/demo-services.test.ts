// `hive-console demo` on a machine without redis-server or PostgreSQL: it starts neither, and the Redis and
// slow-query panes say "not configured" and which package to install, instead of failing.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {hintsFromNotes, startDemoServices} from '../../source/commands/demo-services.js';
import {applyDisabledHints} from '../../source/ui/run-console.js';
import {fixtureStore} from '../ui/fixtures.js';
import {consoleElement} from '../ui/harness.js';

describe('the demo without the servers installed', () => {
	it('starts neither, and the panes say what to install', async () => {
		const nowhere = mkdtempSync(path.join(os.tmpdir(), 'no-binaries-'));
		const services = await startDemoServices({path: nowhere, postgresLib: nowhere});
		expect(services.redis).toBeNull();
		expect(services.postgres).toBeNull();
		await services.close();

		const store = fixtureStore({disabled: {redis: 'redis: not configured; pass --redis URL', postgres: 'postgres: not configured; pass --database URL'}});
		applyDisabledHints(store, hintsFromNotes(services.notes));
		for (const [pane, title, install] of [
			['streams', 'Redis streams', 'apt-get install redis-server'],
			['queries', 'Slow queries', 'apt-get install postgresql'],
		] as const) {
			const r = render(consoleElement(store, {focused: pane, zoomed: true}));
			const frame = (r.lastFrame() ?? '').replace(/\s*\n[│┃]\s*/g, ' ');
			r.unmount();
			expect(frame).toContain(title);
			expect(frame).toContain('not configured');
			expect(frame).toContain(install);
		}
	});
});
