// The shipped server's analyses in the console, against the simulator binary (beehive profile, the
// server's reply shapes) with a real Redis: each view shows its figures and tables (no raw JSON) and
// scrolls; auto-heal's confirmation shows the hive's dry-run plan; read-only refuses auto-heal and still
// runs the analyses; against the runbook profile the new keys are off with the reason.
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {repoRoot, startRedis, startSimulator, type RedisService, type SimulatorService} from '../harness/services.js';
import {mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS} from './render-console.js';
import {notModal} from './action-text.js';
import {helpText, scrollThrough} from './screen-text.js';

let redis: RedisService;
let sim: SimulatorService;
let runbookSim: SimulatorService;
const auditPath = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'hive-ui-')), 'audit.jsonl');

beforeAll(async () => {
	const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {encoding: 'utf8'});
	if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
	redis = await startRedis();
	[sim, runbookSim] = await Promise.all([
		startSimulator({profile: 'beehive', speed: 0, agents: 8, redis: redis.url, scenario: 'task-distribution'}),
		startSimulator({profile: 'runbook', speed: 0, agents: 8}),
	]);
}, 180_000);
afterAll(async () => {
	await sim?.stop();
	await runbookSim?.stop();
	await redis?.cleanup();
});

async function json(url: string, init?: RequestInit): Promise<any> {
	return (await fetch(url, init)).json();
}

async function openAnalysis(m: MountedActions, key: string, title: string): Promise<string> {
	await m.r.press(key);
	const frame = await m.waitFor(title);
	await m.waitFor('CONFIRMED');
	return m.frame();
}

describe('beehive profile: the analyses as views', () => {
	let m: MountedActions;
	beforeAll(async () => {
		m = await mountActions({hiveUrl: sim.url, redisUrl: redis.url, profile: 'beehive', auditLog: auditPath(), columns: 140, rows: 44});
	});
	afterEach(async () => {
		// A failed test must not leave its view open over the next one.
		if (!notModal.test(m.frame())) await m.r.press(KEYS.escape);
	});
	afterAll(async () => {
		await m?.close();
	});

	it('W shows the current success-rate figures and the hourly breakdown newest first', async () => {
		const reply = await json(`${sim.url}/api/dashboard/coordination/success-rate?time_range_hours=168`);
		const frame = await openAnalysis(m, 'W', 'Weekly coordination analysis');
		const cm = reply.current_metrics;
		expect(frame).toContain(`success rate ${Math.round(cm.success_rate * 10) / 10} %`);
		expect(frame).toContain(`tasks ${cm.total_tasks}: ${cm.successful_tasks} succeeded, ${cm.failed_tasks} failed, ${cm.pending_tasks} pending`);
		expect(frame).toContain(`trend ${cm.trend_direction}`);
		expect(frame).toContain('Hourly breakdown, newest first');
		const hours = reply.hourly_breakdown.map((h: {hour: string}) => h.hour);
		const first = frame.indexOf(`  ${hours[0]} `);
		const second = frame.indexOf(`  ${hours[1]} `);
		expect(first).toBeGreaterThan(0);
		expect(second).toBeGreaterThan(first);
		expect(frame).not.toContain('{"');
		// Longer than the view: it scrolls, and says where it is.
		expect(frame).toMatch(/lines 1–\d+ of \d+/);
		await m.r.press('j', 'j');
		// Two lines down, the run's status line is above the window.
		expect(await m.waitFor(/lines 3–/)).not.toMatch(/║CONFIRMED/);
		await m.r.press('g');
		await m.waitFor(/lines 1–/);
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
	});

	it('A lists the agents by load with their task counts', async () => {
		const reply = await json(`${sim.url}/api/dashboard/tasks/distribution?time_range_hours=24`);
		const frame = await openAnalysis(m, 'A', 'Task distribution analysis');
		expect(frame).toContain('Agents by load');
		const byLoad = [...reply.agent_distribution].sort((a, b) => b.task_count - a.task_count);
		expect(byLoad.length).toBeGreaterThan(1);
		const busiest = frame.indexOf(byLoad[0].agent_name);
		const quietest = frame.indexOf(byLoad.at(-1).agent_name);
		expect(busiest).toBeGreaterThan(0);
		if (byLoad[0].task_count > byLoad.at(-1).task_count) expect(quietest).toBeGreaterThan(busiest);
		const total = reply.agent_distribution.reduce((s: number, a: {task_count: number}) => s + a.task_count, 0);
		expect(frame).toContain(`${total} tasks over ${reply.distribution_metrics.total_agents_with_tasks} agents`);
		expect(frame).not.toContain('{"');
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
	});

	it('d shows the health score, status, issues and the checks', async () => {
		const reply = await json(`${sim.url}/api/dashboard/coordination/diagnostics`);
		const frame = await openAnalysis(m, 'd', 'Coordination diagnostics');
		const health = reply.diagnostics.overall_health;
		expect(frame).toContain(`health score ${Math.round(health.score)}/100 · ${health.status}`);
		for (const issue of health.issues.slice(0, 2)) expect(frame).toContain(issue.slice(0, 40));
		expect(frame).toMatch(/coordination\s+running > 1 h\s+\d+/);
		expect(frame).toMatch(/database\s+orphaned tasks\s+\d+/);
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
	});

	it('l shows the failures, their patterns and the recommended actions', async () => {
		const reply = await json(`${sim.url}/api/dashboard/coordination/failures`);
		const frame = await openAnalysis(m, 'l', 'Coordination failures');
		expect(frame).toContain(`failures ${reply.total_failures}`);
		expect(frame).toContain('Recommended actions');
		expect(frame).toContain(reply.recovery_recommendations[0].action);
		expect(frame).toContain(`Recent failures (${reply.detailed_failures.length})`);
		if (reply.detailed_failures[0]) expect(frame).toContain(reply.detailed_failures[0].title.slice(0, 20));
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
	});

	it("v shows the hive's system health: score and parts, alerts, components, and the last day newest first", async () => {
		const reply = await json(`${sim.url}/api/dashboard/system/health?include_historical=true`);
		const frame = await openAnalysis(m, 'v', 'System health');
		expect(frame).toContain(`health ${Math.round(reply.overall_health.score)}/100 · ${reply.overall_health.status}`);
		expect(frame).toContain(`Alerts (${reply.alerts.length})`);
		if (reply.alerts[0]) expect(frame).toContain(reply.alerts[0].message.slice(0, 30));
		expect(frame).toMatch(/tasks\s+\w+\s+\d+ pending, \d+ in progress/);
		expect(frame).toContain('Last 24 hours, newest first');
		const hours: string[] = reply.historical.last_24_hours.map((h: {hour: string}) => h.hour);
		const newest = [...hours].sort().at(-1)!;
		const oldest = [...hours].sort()[0]!;
		// Newest first; the view scrolls, so the oldest may be further down, never above the newest.
		expect(frame).toContain(newest);
		if (frame.includes(oldest)) expect(frame.indexOf(newest)).toBeLessThan(frame.indexOf(oldest));
		expect(frame).not.toContain('{"overall_health"');
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
	});

	it("Y opens auto-heal's confirmation with the hive's dry-run plan; Esc sends nothing", async () => {
		const plan = await json(`${sim.url}/api/dashboard/recovery/auto-heal?recovery_type=smart&dry_run=true`, {method: 'POST'});
		await m.r.press('Y');
		const frame = await m.waitFor('Confirm: Auto-heal');
		expect(frame).toContain('POST /api/dashboard/recovery/auto-heal?recovery_type=smart&dry_run=false');
		expect(frame).toContain(`would: ${plan.actions[0].description}`);
		expect(frame).toContain("the hive's own dry run");
		expect(frame).toContain('recovery type (0 smart, 1 conservative)');
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
		expect((await json(`${sim.url}/api/dashboard/recovery/auto-heal?recovery_type=smart&dry_run=true`, {method: 'POST'})).analysis).toEqual(plan.analysis);
	});

	it('the help lists the new keys', async () => {
		await m.r.press('?');
		await m.waitFor('Keys');
		// The help scrolls through every view's keys; read it all.
		const help = helpText(await scrollThrough(m.r), 120);
		expect(help).toContain('Coordination diagnostics (read-only)');
		expect(help).toContain('Coordination failures (read-only)');
		expect(help).toContain('System health (read-only)');
		expect(help).toContain('Auto-heal (smart or conservative)');
		await m.r.press(KEYS.escape);
	});
});

describe('read-only and the runbook profile', () => {
	it('read-only refuses auto-heal and still runs the diagnostics', async () => {
		const ro = await mountActions({hiveUrl: sim.url, redisUrl: redis.url, profile: 'beehive', auditLog: auditPath(), readOnly: true, columns: 140, rows: 44});
		try {
			await ro.r.press('Y');
			await ro.waitFor(/read-only mode/);
			await ro.r.press(KEYS.escape);
			await ro.waitFor(notModal);
			const frame = await openAnalysis(ro, 'd', 'Coordination diagnostics');
			expect(frame).toMatch(/health score \d+\/100/);
		} finally {
			await ro.close();
		}
	});

	it('the runbook profile marks them off with the reason, and its own weekly analysis still shows', async () => {
		const rb = await mountActions({hiveUrl: runbookSim.url, profile: 'runbook', auditLog: auditPath(), columns: 160, rows: 50});
		try {
			await rb.r.press('?');
			await rb.waitFor('Keys');
			const help = helpText(await scrollThrough(rb.r), 160);
			expect(help).toMatch(/Coordination diagnostics \(read-only\) \[off: the runbook profile/);
			expect(help).toMatch(/Coordination failures \(read-only\) \[off: the runbook profile/);
			expect(help).toMatch(/Auto-heal \(smart or conservative\) \[off: the runbook profile/);
			await rb.r.press(KEYS.escape);
			await rb.r.press('d');
			expect(await rb.waitFor('Coordination diagnostics: not available')).toContain('the runbook profile has no coordination diagnostics');
			await rb.r.press(KEYS.escape);
			await rb.waitFor(notModal);
			const frame = await openAnalysis(rb, 'W', 'Weekly coordination analysis');
			expect(frame).toContain('Result');
			expect(frame).toMatch(/success_rate|date/);
		} finally {
			await rb.close();
		}
	});
});
