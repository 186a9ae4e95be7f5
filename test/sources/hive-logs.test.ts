// `--logs hive`: the shipped server's coordination log (GET /api/dashboard/logs/coordination) as the log
// source, against the simulator with real Redis and PostgreSQL: a sick hive's failed tasks become log lines
// (level, task, agent, the hive's message) that the console's log categories recognise, oldest first as a
// followed file gives them; a hive without the route says what to use instead; the console wires it.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createHiveLogSource, hiveLogLine} from '../../source/sources/hive-logs.js';
import {createConsoleApp} from '../../source/app/console.js';
import {resolveConfig} from '../../source/config/resolve.js';
import {startSimulator, type RunningSimulator} from '../../source/simulator/index.js';
import {SourceError} from '../../source/sources/source.js';
import {startServices, startSim, type Services} from '../actions/helpers.js';

let services: Services;
let sim: RunningSimulator;
beforeAll(async () => {
	services = await startServices();
	sim = await startSim(services, 'coordination-critical');
}, 60_000);
afterAll(async () => {
	await sim?.close();
	await services?.cleanup();
});

describe('the hive coordination log as a log source', () => {
	it("turns a sick hive's failed tasks into categorised log lines, oldest first", async () => {
		const source = createHiveLogSource({baseUrl: sim.url, token: null, timeoutMs: 5000});
		const snapshot = await source.poll(AbortSignal.timeout(5000));
		await source.close();
		expect(snapshot.origin).toBe(`hive: ${sim.url}/api/dashboard/logs/coordination`);
		expect(snapshot.lines.length).toBeGreaterThan(0);
		for (const line of snapshot.lines) expect(line.text).toMatch(/^(ERROR|CRITICAL|WARNING) task ".+"( on agent \S+)? failed: .+/);
		expect(snapshot.lines.map((l) => l.at)).toEqual([...snapshot.lines.map((l) => l.at)].sort((a, b) => a - b));
		// Each is a line of the pane's kinds: what the runbook's greps would have matched, or a task failure.
		expect(new Set(snapshot.lines.map((l) => l.category)).size).toBeGreaterThan(0);
		expect(snapshot.lines.every((l) => ['coordination-error', 'agent-error', 'agent-timeout', 'task-fail', 'task-assign'].includes(l.category))).toBe(true);
	});

	it('a line carries the hive text without terminal controls and never more than the cap', () => {
		const line = hiveLogLine({timestamp: '2026-12-01T10:00:00', level: 'error', task_id: 't1', task_title: 'Sync', agent_id: 'a1', error_message: `redis \u001b[31mtimeout\u001b[0m ${'x'.repeat(20_000)}`}, 0)!;
		expect(line.text).not.toContain('\u001b');
		expect(line.text.length).toBeLessThanOrEqual(8192);
		expect(line.at).toBe(Date.parse('2026-12-01T10:00:00Z'));
		expect(hiveLogLine({timestamp: null, level: null, task_id: null, task_title: null, agent_id: null, error_message: null}, 0)).toBeNull();
	});

	it('a hive without the route (runbook profile) is a configuration problem that says what to use', async () => {
		const runbook = await startSimulator({port: 0, agents: 3, speed: 0, profile: 'runbook', onWarning: () => undefined});
		const source = createHiveLogSource({baseUrl: runbook.url, token: null, timeoutMs: 5000});
		const error = await source.poll(AbortSignal.timeout(5000)).catch((e: unknown) => e);
		await source.close();
		await runbook.close();
		expect(error).toBeInstanceOf(SourceError);
		expect((error as SourceError).kind).toBe('misconfigured');
		expect((error as SourceError).message).toMatch(/no coordination log route .*--logs FILE/);
	});

	it('the console reads it with --logs hive, every third interval', async () => {
		const config = await resolveConfig({hive: sim.url, logs: 'hive', interval: 2, apiProfile: 'beehive'}, {HOME: '/nonexistent'});
		const app = createConsoleApp({...config, webSocket: false});
		try {
			await app.poller.refreshNow('logs');
			const state = app.store.getState();
			expect(state.sources.logs.state).toBe('ok');
			expect(state.sources.logs.intervalMs).toBe(6000);
			expect(state.snapshots.logs?.lines.length).toBeGreaterThan(0);
		} finally {
			await app.close();
		}
	});
});
