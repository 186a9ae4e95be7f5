// The console's incident tools against the real simulator with real Redis and PostgreSQL: a scenario
// injected and recovered leaves its ordered timeline entries, which survive a restart of the console; the
// snapshot key and `hive-console snapshot` write a report of the sick hive with every pane, the scenario
// and the timeline, and hostile names from the hive reach neither file as terminal controls.
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createConsoleIncident, createHiveApp} from '../../source/app/index.js';
import {resolveConfig} from '../../source/config/index.js';
import type {TimelineEntry} from '../../source/timeline/types.js';
import {BIDI_CONTROL, HOSTILE_NAMES, runCli, simControl, TERMINAL_CONTROL} from '../commands/helpers.js';
import {buildBundle} from '../e2e/tmux.js';
import {startPostgres, startRedis, startSimulator, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';

let redis: RedisService;
let pg: PostgresService;
let sim: SimulatorService;
let database: string;
let home: string;

beforeAll(async () => {
	buildBundle();
	[redis, pg] = await Promise.all([startRedis(), startPostgres()]);
	database = await pg.createDatabase();
	sim = await startSimulator({agents: 6, redis: redis.url, database});
	home = mkdtempSync(path.join(os.tmpdir(), 'hive-incident-'));
	// Three contexts on the same hive: the timeline is kept per context.
	const context = {hive: sim.url, redis: redis.url, database};
	mkdirSync(path.join(home, 'config', 'hive-console'), {recursive: true});
	writeFileSync(path.join(home, 'config', 'hive-console', 'config.json'), JSON.stringify({currentContext: 'prod', contexts: {prod: context, staging: context, snap: context}}));
}, 120_000);

afterAll(async () => {
	await sim?.stop();
	await Promise.allSettled([redis?.cleanup(), pg?.cleanup()]);
});

const env = () => ({XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config')});

async function consoleOn(context: string) {
	const config = await resolveConfig({context}, env());
	const app = createHiveApp(config, {include: ['hive', 'redis', 'postgres']});
	const incident = createConsoleIncident(app, {context: config.contextName});
	await incident.recorder.start();
	return {config, app, incident, poll: () => app.poller.refreshNow(), close: async () => (await incident.close(), await app.close())};
}

const line = (e: TimelineEntry) => `${e.kind} ${e.subject} ${e.from ?? ''}→${e.to ?? ''}`;

describe('the timeline of an incident', () => {
	it('a scenario injected and recovered leaves its entries in order, and they survive a restart', {timeout: 60_000}, async () => {
		const ctl = simControl(sim.url);
		await ctl.scenario('healthy');
		const first = await consoleOn('prod');
		await first.poll();
		await ctl.scenario('coordination-critical');
		await first.poll();
		await ctl.scenario('healthy');
		await first.poll();
		const entries = first.incident.recorder.entries();
		const idx = (p: (e: TimelineEntry) => boolean, what: string) => {
			const i = entries.findIndex(p);
			expect(i, `${what} in:\n${entries.map(line).join('\n')}`).toBeGreaterThanOrEqual(0);
			return i;
		};
		const critical = idx((e) => e.kind === 'overall' && e.to === 'critical' && !e.baseline, 'overall → critical');
		const detected = idx((e) => e.kind === 'scenario' && e.subject === 'coordination-critical' && e.to !== null && e.to !== 'cleared' && !e.text.includes('cleared'), 'scenario detected');
		const metric = idx((e) => e.kind === 'metric' && e.subject === 'successRate' && e.to === 'critical', 'success rate critical');
		const cleared = idx((e) => e.kind === 'scenario' && e.subject === 'coordination-critical' && e.text.includes('cleared'), 'scenario cleared');
		const healthy = idx((e) => e.kind === 'overall' && e.from === 'critical' && e.to === 'healthy', 'overall critical → healthy');
		expect(Math.max(critical, detected, metric)).toBeLessThan(Math.min(cleared, healthy));
		// The critical entry names the value and the threshold it crossed.
		expect(entries[metric]!.text).toMatch(/success rate [\d.]+ % \\?< 70 %/);
		// Time runs forward on the hive's clock.
		expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => a - b));
		await first.close();

		// A new console on the same context finds them; another context does not.
		const second = await consoleOn('prod');
		const again = second.incident.recorder.entries().map((e) => e.id);
		expect(again).toEqual(expect.arrayContaining([entries[critical]!.id, entries[cleared]!.id, entries[healthy]!.id]));
		await second.close();
		const other = await consoleOn('staging');
		expect(other.incident.recorder.entries().some((e) => e.id === entries[critical]!.id)).toBe(false);
		await other.close();
		// And the command lists them, newest first.
		const listed = await runCli(['timeline', '--context', 'prod', '--json'], {PATH: process.env.PATH, ...env()});
		expect(listed.code, listed.stderr).toBe(0);
		const ids = listed.stdout.trim().split('\n').map((l) => (JSON.parse(l) as TimelineEntry).id);
		expect(ids.indexOf(entries[healthy]!.id)).toBeLessThan(ids.indexOf(entries[critical]!.id));
		const text = await runCli(['timeline', '--context', 'prod', '--since', '1h'], {PATH: process.env.PATH, ...env()});
		expect(text.stdout).toMatch(/^TIME \(hive, UTC\)/);
		expect(text.stdout).toMatch(/scenario\s+scenario coordination-critical cleared/);
	});
});

describe('the incident snapshot', () => {
	it('of a sick hive with hostile names: every pane, the scenario, the timeline; no terminal control in either file', {timeout: 60_000}, async () => {
		const ctl = simControl(sim.url);
		await ctl.scenario('healthy');
		const post = async (p: string, body: unknown) => {
			const r = await fetch(`${sim.url}${p}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
			if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
			return (await r.json()) as {agent?: {id: string}};
		};
		for (const name of HOSTILE_NAMES.slice(0, 4)) {
			const {agent} = await post('/_sim/agents', {name, status: 'error'});
			await post('/_sim/tasks', {title: name, agent_id: agent!.id, status: 'in_progress'});
		}
		const c = await consoleOn('snap');
		await c.poll();
		await ctl.scenario('coordination-critical');
		await c.poll();
		const written = await c.incident.tools.snapshot(null);
		await c.close();
		const md = readFileSync(written.markdownPath, 'utf8');
		const json = readFileSync(written.jsonPath, 'utf8');
		for (const heading of ['Metrics vs thresholds', 'Sources', 'Agents', 'Tasks', 'Redis streams', 'Slow queries', 'Timeline', 'Configuration in use']) expect(md).toContain(`## ${heading}`);
		expect(md).toMatch(/CRITICAL/);
		expect(md).toContain('coordination-critical');
		// The timeline section holds the change the console saw.
		expect(md).toMatch(/success rate [\d.]+ % \\?< 70 %/);
		for (const text of [md, json]) {
			expect(text).not.toMatch(TERMINAL_CONTROL);
			expect(text).not.toMatch(BIDI_CONTROL);
		}
		const doc = JSON.parse(json);
		expect(doc.schema).toBe('hive-console.snapshot/1');
		expect(doc.header.overall).toBe('critical');
		expect(doc.timeline.length).toBeGreaterThan(0);
		expect(doc.sources.map((s: {name: string; state: string}) => `${s.name}:${s.state}`)).toEqual(expect.arrayContaining(['hive:ok', 'redis:ok', 'postgres:ok']));

		// The command writes the same kind of report, with the context's timeline read from its file.
		const out = path.join(home, 'out');
		const r = await runCli(['snapshot', '--context', 'snap', '--out', out], {PATH: process.env.PATH, ...env()});
		await ctl.scenario('healthy');
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/overall CRITICAL/);
		const files = readdirSync(out).sort();
		expect(files).toEqual([expect.stringMatching(/^hive-snapshot-snap-\d{8}-\d{6}\.json$/), expect.stringMatching(/^hive-snapshot-snap-\d{8}-\d{6}\.md$/)]);
		const fromCommand = readFileSync(path.join(out, files[1]!), 'utf8');
		expect(fromCommand).toMatch(/success rate [\d.]+ % \\?< 70 %/);
		expect(fromCommand).not.toMatch(TERMINAL_CONTROL);
	});
});
