// `hive-console timeline` through its module's run(): a real state directory written by the recorder, read
// back newest first as text and as JSON lines, filtered by --since and --context, hostile text sanitised.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {run} from '../../source/commands/timeline.js';
import {createTimelineRecorder, timelinePaths} from '../../source/timeline/index.js';
import {EXIT} from '../../source/app/exit-codes.js';
import {agent, driver, snapshot} from './helpers.js';

let home: string;
let stateDir: string;

beforeAll(async () => {
	home = mkdtempSync(path.join(os.tmpdir(), 'hive-timeline-cmd-'));
	process.env.XDG_STATE_HOME = path.join(home, 'state');
	process.env.XDG_CONFIG_HOME = path.join(home, 'config');
	for (const v of ['HIVE_URL', 'REDIS_URL', 'DATABASE_URL', 'HIVE_TOKEN']) delete process.env[v];
	stateDir = path.join(home, 'state', 'hive-console');
	mkdirSync(path.join(home, 'config', 'hive-console'), {recursive: true});
	writeFileSync(path.join(home, 'config', 'hive-console', 'config.json'), JSON.stringify({currentContext: 'staging', contexts: {staging: {hive: 'http://127.0.0.1:9'}, prod: {hive: 'http://127.0.0.1:9'}}}));
	// Written the way the console writes it: by the recorder, on a clock an hour and a half in the past.
	const d = driver();
	d.clock.now = Date.now() - 90 * 60_000;
	const rec = createTimelineRecorder({store: d.store, context: 'prod', stateDir, now: () => d.clock.now});
	await rec.start();
	const fresh = () => ['a1', 'a2', 'a3'].map((id) => agent({id, name: id, lastHeartbeat: d.clock.now - 1000}));
	d.good(snapshot({successRate: 98, agents: fresh()}));
	d.clock.now = Date.now() - 10 * 60_000;
	d.good(snapshot({successRate: 60, agents: fresh()}));
	rec.record({kind: 'action-intent', runId: 'r1', action: 'restart-agent', targets: [{kind: 'agent', id: 'a1', name: 'x\u001B[2Jy'}], requests: ['POST /api/v1/agents/a1/restart']});
	await rec.stop();
	// A torn last line, as a crash leaves it, and a hand-edited line carrying a raw escape.
	const file = timelinePaths(stateDir, 'prod').current;
	appendFileSync(file, '{"v":1,"id":"hand","at":' + (Date.now() - 60_000) + ',"consoleAt":' + (Date.now() - 60_000) + ',"kind":"note","severity":"info","subject":"note","from":null,"to":null,"text":"hand \\u001b]0;pwned\\u0007 edit"}\n{"v":1,"id":"torn"');
});

afterAll(() => rmSync(home, {recursive: true, force: true}));

async function capture(flags: Record<string, unknown>): Promise<{code: number; out: string; err: string}> {
	let out = '';
	let err = '';
	const o = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, cb?: () => void) => {
		out += chunk;
		if (typeof cb === 'function') cb();
		return true;
	}) as never);
	const e = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => {
		err += chunk;
		return true;
	}) as never);
	try {
		const code = await run({command: 'timeline', input: [], flags});
		return {code, out, err};
	} finally {
		o.mockRestore();
		e.mockRestore();
	}
}

describe('hive-console timeline', () => {
	it('lists the context newest first, sanitised, and says what it skipped', async () => {
		const r = await capture({context: 'prod'});
		expect(r.code).toBe(EXIT.ok);
		const lines = r.out.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^TIME \(hive, UTC\)\s+SEVERITY\s+KIND\s+WHAT$/);
		expect(lines[1]).toMatch(/· info\s+note\s+hand \uFFFD\]0;pwned\uFFFD edit$/);
		expect(lines[2]).toMatch(/action-intent\s+action restart-agent on x\uFFFD\[2Jy: POST \/api\/v1\/agents\/a1\/restart$/);
		expect(lines.some((l) => /✗ critical\s+metric\s+success rate 60 % < 70 % critical/.test(l))).toBe(true);
		expect(lines.at(-1)).toMatch(/● ok\s+overall\s+overall healthy \[at start\]$/);
		expect(r.out).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		expect(r.err).toMatch(/skipped 1 unreadable line/);
	});

	it('--since keeps the recent part; --json prints JSON lines newest first', async () => {
		const r = await capture({context: 'prod', since: '1h', json: true});
		expect(r.code).toBe(EXIT.ok);
		const entries = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
		expect(entries.map((e) => e.kind)).toEqual(['note', 'action-intent', 'scenario', 'metric', 'overall']);
		expect(entries.every((e) => e.v === 1 && typeof e.at === 'number')).toBe(true);
		expect(r.out).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
	});

	it('another context has its own (empty) timeline; a bad --since exits 64', async () => {
		const r = await capture({});
		expect(r.code).toBe(EXIT.ok);
		expect(r.out).toMatch(/^No timeline entries for context staging \(.*timeline[/\\]staging[/\\]timeline\.jsonl\)\.$/m);
		const bad = await capture({since: 'yesterday'});
		expect(bad.code).toBe(EXIT.usage);
		expect(bad.err).toMatch(/--since yesterday: expected a duration/);
	});
});
