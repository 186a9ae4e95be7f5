// The timeline's change detection, flapping and recorder against a real store driven through polls: what
// is recorded, in what order, on which clock, folded how, and that nothing secret or hostile is kept.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createTimelineRecorder, readTimeline, timelinePaths, type TimelineEntry} from '../../source/timeline/index.js';
import {registerSecret} from '../../source/util/redact.js';
import {agent, driver, snapshot, type Driver} from './helpers.js';

const dirs: string[] = [];
function tempState(): string {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-timeline-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
});

function agents(d: Driver, stale: string[] = [], error: string[] = []) {
	return ['alpha', 'beta', 'gamma'].map((name) =>
		agent({id: `id-${name}`, name, status: error.includes(name) ? 'error' : 'active', lastHeartbeat: stale.includes(name) ? d.clock.now - 900_000 : d.clock.now - 5_000}),
	);
}

function brief(entries: TimelineEntry[]): string[] {
	return entries.map((e) => `${e.kind}:${e.subject}:${e.from ?? ''}>${e.to ?? ''}${e.count ? `x${e.count}` : ''}`);
}

describe('change detection', () => {
	it('records the baseline once, then each change in order with value and threshold', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: 'prod', stateDir: null, now: () => d.clock.now});
		void rec.start();
		expect(rec.entries()).toEqual([]);
		d.good(snapshot({agents: agents(d)}));
		expect(brief(rec.entries())).toEqual(['overall:overall:>healthy']);
		expect(rec.entries()[0]!.baseline).toBe(true);
		d.good(snapshot({agents: agents(d)}));
		expect(rec.entries()).toHaveLength(1);

		d.good(snapshot({successRate: 85, agents: agents(d)}));
		const changes = rec.entries().slice(1);
		expect(brief(changes)).toEqual(['overall:overall:healthy>warning', 'metric:successRate:ok>warning']);
		const metric = changes[1]!;
		expect(metric.detail).toMatchObject({value: 85, threshold: 'target ≥ 95 %, warning < 90 %, critical < 70 %'});
		expect(metric.text).toContain('success rate 85 % < 90 % warning');
		expect(metric.baseline).toBeUndefined();
		// Timed on the hive's clock: the poll's read time shifted by the skew it observed.
		expect(metric.at).toBe(metric.consoleAt);
	});

	it('times entries on the hive clock when the hive states one', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir: null, now: () => d.clock.now});
		void rec.start();
		const at = d.clock.now;
		d.good({...snapshot({agents: agents(d)}), hiveNow: at + 3_600_000});
		expect(rec.entries()[0]!.at).toBe(at + 3_600_000);
		expect(rec.entries()[0]!.consoleAt).toBe(at);
		expect(rec.entries()[0]!.time).toBe(new Date(at + 3_600_000).toISOString());
	});

	it('agents turning stale, in error and recovered; stuck tasks appearing and clearing; scenarios detected and cleared', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir: null, now: () => d.clock.now});
		void rec.start();
		d.good(snapshot({agents: agents(d)}));
		d.good(snapshot({agents: agents(d, ['beta'])}));
		expect(brief(rec.entries().slice(1))).toEqual(['overall:overall:healthy>warning', 'agent:id-beta:ok>stale', 'scenario:communication-failure:>detected']);
		expect(rec.entries()[2]!.text).toMatch(/^agent beta stale: heartbeat \d+ s old$/);
		const before = rec.entries().length;
		d.good(snapshot({agents: agents(d, [], ['gamma'])}));
		expect(brief(rec.entries().slice(before))).toEqual(['metric:activeAgents:ok>warning', 'agent:id-gamma:ok>error', 'agent:id-beta:stale>ok']);
		const mid = rec.entries().length;
		const hive = snapshot({agents: agents(d)});
		hive.tasks!.stuck = [{id: 't-1', title: 'Deploy', status: 'in_progress', agentId: 'id-alpha', agentName: 'alpha', ageSeconds: 7300}];
		d.good(hive);
		expect(brief(rec.entries().slice(mid))).toEqual([
			'overall:overall:warning>healthy',
			'metric:activeAgents:warning>ok',
			'agent:id-gamma:error>ok',
			'task:t-1:>stuck',
			'scenario:task-distribution:>detected',
			'scenario:communication-failure:detected>cleared',
		]);
		expect(rec.entries().find((e) => e.subject === 't-1')!.text).toBe('task Deploy stuck for 122 min on alpha');
		const end = rec.entries().length;
		d.good(snapshot({agents: agents(d)}));
		expect(brief(rec.entries().slice(end))).toEqual(['task:t-1:stuck>cleared', 'scenario:task-distribution:detected>cleared']);
	});

	it('a source going down and coming back, with its error; the hive down makes metrics unknown but clears no scenario', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir: null, now: () => d.clock.now});
		void rec.start();
		d.good(snapshot({agents: agents(d, ['beta'])}));
		const start = rec.entries().length;
		d.fail('hive: GET /api/v1/status: connection refused');
		expect(brief(rec.entries().slice(start))).toEqual(['source:hive:ok>down']);
		expect(rec.entries().at(-1)!.text).toBe('hive down: hive: GET /api/v1/status: connection refused');
		d.fail('hive: GET /api/v1/status: connection refused');
		const second = rec.entries().slice(start + 1);
		expect(second[0]!.text).toMatch(/^overall warning → unknown \(hive down/);
		expect(second.filter((e) => e.kind === 'metric').every((e) => e.to === 'unknown')).toBe(true);
		expect(second.some((e) => e.kind === 'scenario' || e.kind === 'agent')).toBe(false);
		const back = rec.entries().length;
		d.good(snapshot({agents: agents(d, ['beta'])}));
		const recovered = rec.entries().slice(back);
		expect(recovered.find((e) => e.kind === 'source')).toMatchObject({subject: 'hive', from: 'down', to: 'ok', severity: 'ok'});
		expect(recovered.some((e) => e.kind === 'scenario' || e.kind === 'agent')).toBe(false);
	});

	it('thousands of agents going stale at once are one entry', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir: null, now: () => d.clock.now});
		void rec.start();
		const many = (stale: boolean) => Array.from({length: 2000}, (_, i) => agent({id: `a${i}`, name: `agent-${i}`, lastHeartbeat: d.clock.now - (stale ? 900_000 : 1000)}));
		d.good(snapshot({agents: many(false)}));
		d.good(snapshot({agents: many(true)}));
		const group = rec.entries().filter((e) => e.kind === 'agents');
		expect(group).toHaveLength(1);
		expect(group[0]!.text).toMatch(/^2000 agents turned stale: agent-0, agent-1, agent-2, … \(2000 in all\)$/);
	});
});

describe('flapping', () => {
	it('A→B→A stays two facts; A→B again folds into one entry with a count', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir: null, now: () => d.clock.now});
		void rec.start();
		d.good(snapshot({agents: agents(d)}));
		for (let i = 0; i < 6; i++) d.good(snapshot({successRate: i % 2 === 0 ? 85 : 98, agents: agents(d)}));
		const metric = rec.entries().filter((e) => e.kind === 'metric');
		expect(brief(metric)).toEqual(['metric:successRate:ok>warning', 'metric:successRate:warning>okx5']);
		expect(metric[1]!.text).toBe('success rate flapping warning ⇄ ok: 5 changes, now ok');
		expect(metric[1]!.states).toEqual(['warning', 'ok']);
		expect(metric[1]!.severity).toBe('warning');
	});

	it('changes further apart than the window do not fold', () => {
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir: null, now: () => d.clock.now, flapWindowMs: 1000});
		void rec.start();
		d.good(snapshot({agents: agents(d)}));
		for (let i = 0; i < 4; i++) d.good(snapshot({successRate: i % 2 === 0 ? 85 : 98, agents: agents(d)}));
		expect(rec.entries().filter((e) => e.kind === 'metric').map((e) => e.count ?? 1)).toEqual([1, 1, 1, 1]);
	});
});

describe('explicit events', () => {
	it('records action intent and outcome and playbook steps, redacted and sanitised', () => {
		registerSecret('S3cr3t-Token-xyz');
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: 'prod', stateDir: null, now: () => d.clock.now});
		rec.record({kind: 'action-intent', runId: 'r1', action: 'restart-agent', targets: [{kind: 'agent', id: 'a1', name: 'evil\u001B[2J\u202Ename'}], requests: ['POST /api/v1/agents/a1/restart Authorization: Bearer S3cr3t-Token-xyz'], confirmation: 'confirm'});
		rec.record({kind: 'action-outcome', runId: 'r1', action: 'restart-agent', result: 'confirmed', message: 'heartbeat fresh again', durationMs: 1200});
		rec.record({kind: 'playbook-step', playbookId: 'communication-failure', stepId: 'restart', title: 'Restart problem agents', status: 'done'});
		const [intent, outcome, step] = rec.entries();
		expect(intent!.text).toBe('action restart-agent on evil\uFFFD[2Jname: POST /api/v1/agents/a1/restart Authorization: Bearer ***');
		expect(JSON.stringify(rec.entries())).not.toContain('S3cr3t-Token-xyz');
		expect(outcome).toMatchObject({kind: 'action-outcome', to: 'confirmed', severity: 'ok', text: 'action restart-agent confirmed: heartbeat fresh again'});
		expect(step).toMatchObject({kind: 'playbook-step', subject: 'communication-failure/restart', to: 'done', text: 'playbook step Restart problem agents: done'});
	});
});

describe('the file', () => {
	it('survives a restart: the tail is loaded, flapping continues into the same entry, hostile text never reaches the file raw', async () => {
		const stateDir = tempState();
		const d = driver();
		const rec = createTimelineRecorder({store: d.store, context: 'prod/eu', stateDir, now: () => d.clock.now});
		await rec.start();
		d.good(snapshot({agents: agents(d)}));
		for (let i = 0; i < 3; i++) d.good(snapshot({successRate: i % 2 === 0 ? 85 : 98, agents: agents(d)}));
		rec.record({kind: 'note', text: 'operator note \u001B]52;c;aGk=\u0007 password=hunter22'});
		await rec.stop();
		const file = timelinePaths(stateDir, 'prod/eu').current;
		expect(file).toMatch(/timeline[/\\]prod_eu-[0-9a-f]{8}[/\\]timeline\.jsonl$/);
		const raw = readFileSync(file, 'utf8');
		expect(raw).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		expect(raw).not.toContain('hunter22');

		const d2 = driver();
		d2.clock.now = d.clock.now;
		const rec2 = createTimelineRecorder({store: d2.store, context: 'prod/eu', stateDir, now: () => d2.clock.now});
		await rec2.start();
		expect(rec2.entries().map((e) => e.id)).toEqual(rec.entries().map((e) => e.id));
		d2.good(snapshot({successRate: 98, agents: agents(d2)}));
		d2.good(snapshot({successRate: 85, agents: agents(d2)}));
		await rec2.stop();
		const {entries} = await readTimeline(stateDir, 'prod/eu');
		const metric = entries.filter((e) => e.kind === 'metric');
		// The restart found it ok (not news); its next change folds into the flapping entry read from the file.
		expect(metric.map((e) => e.count ?? 1)).toEqual([1, 3]);
		expect(metric[1]!.text).toBe('success rate flapping warning ⇄ ok: 3 changes, now warning');
	});

	it('rotates into timeline.1.jsonl and stays within the cap', async () => {
		const stateDir = tempState();
		const d = driver();
		const cap = 64 * 1024;
		const rec = createTimelineRecorder({store: d.store, context: null, stateDir, now: () => d.clock.now, capBytes: cap});
		await rec.start();
		for (let i = 0; i < 600; i++) {
			rec.record({kind: 'note', text: `note ${i} ${'x'.repeat(200)}`});
			if (i % 50 === 0) await rec.flush();
		}
		await rec.stop();
		const {current, rotated} = timelinePaths(stateDir, null);
		const size = (f: string) => readFileSync(f).length;
		expect(size(current) + size(rotated)).toBeLessThanOrEqual(cap);
		const {entries, skipped} = await readTimeline(stateDir, null);
		expect(skipped).toBe(0);
		expect(entries.at(-1)!.text).toMatch(/^note 599 /);
		expect(entries.length).toBeGreaterThan(100);
		expect(entries.length).toBeLessThan(600);
	});
});
