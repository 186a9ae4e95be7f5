// The incident keys in the console, against a real simulator and Redis: `i` opens the Timeline view
// (newest first, the actions the operator ran in it, scrolled and closed with the overlay keys, q closing
// it rather than quitting), `o` writes the incident snapshot and its toast names the file.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {startServices, startSim, type Services} from '../actions/helpers.js';
import {notModal} from './action-text.js';
import {mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS} from './render-console.js';
import {createClipboard} from '../../source/ui/clipboard.js';

let services: Services;
let sim: RunningSimulator;
let mounted: MountedActions | null = null;

beforeAll(async () => {
	services = await startServices();
}, 60_000);
afterAll(async () => {
	await services?.cleanup();
});
afterEach(async () => {
	await mounted?.close();
	mounted = null;
	await sim?.close();
});

describe('incident keys', () => {
	it('i shows the timeline newest first with the action just run; q closes it rather than quitting, i toggles it', {timeout: 30_000}, async () => {
		sim = await startSim(services, 'coordination-critical');
		const m = (mounted = await mountActions({hiveUrl: sim.url, redisUrl: services.redis.url, profile: 'runbook', auditLog: path.join(services.dir, 'incident-1.jsonl')}));
		await m.r.press('i');
		let frame = await m.waitFor('Timeline ·');
		expect(frame).toMatch(/TIME \(hive, UTC\)\s+SEVERITY\s+KIND\s+WHAT/);
		expect(frame).toMatch(/scenario coordination-critical detected/);
		expect(frame).toMatch(/overall critical \[at start\]/);
		await m.r.press('q');
		await m.waitFor(notModal);
		// A read-only analysis through the gate: its intent and outcome join the timeline.
		await m.r.press('W');
		await m.waitFor(/CONFIRMED|FAILED/);
		await m.r.press(KEYS.escape);
		await m.waitFor(notModal);
		await m.r.press('i');
		frame = await m.waitFor('action weekly-analysis');
		const rows = frame.split('\n');
		const outcome = rows.findIndex((l) => /action-outcome\s+action weekly-analysis/.test(l));
		const detected = rows.findIndex((l) => /scenario coordination-critical detected/.test(l));
		expect(outcome, frame).toBeGreaterThan(0);
		expect(outcome, 'newest first').toBeLessThan(detected);
		await m.r.press('i');
		await m.waitFor(notModal);
		expect(m.frame()).toContain('hive-console');
	});

	it('o writes the snapshot and names the file in a toast; the file holds the sick hive', {timeout: 30_000}, async () => {
		sim = await startSim(services, 'coordination-critical');
		const m = (mounted = await mountActions({hiveUrl: sim.url, redisUrl: services.redis.url, profile: 'runbook', auditLog: path.join(services.dir, 'incident-2.jsonl'), columns: 200}));
		await m.r.press('o');
		const frame = await m.waitFor(/snapshot written: \S+\.md/);
		const file = /snapshot written: (\S+\.md)/.exec(frame)![1]!;
		expect(existsSync(file)).toBe(true);
		expect(existsSync(file.replace(/\.md$/, '.json'))).toBe(true);
		const md = readFileSync(file, 'utf8');
		expect(md).toMatch(/\*\*Overall\*\* \| \*\*✗ CRITICAL\*\*/);
		expect(md).toContain('## Timeline');
		// The snapshot is itself a line of the timeline.
		await m.r.press('i');
		await m.waitFor('incident snapshot written');
	});
});

describe('copying from a confirmation', () => {
	it('Ctrl-Y in a confirmation copies the exact request it would send, sends nothing, and leaves the modal open', {timeout: 30_000}, async () => {
		sim = await startSim(services, 'communication-failure');
		const writes: string[] = [];
		const stateDir = path.join(services.dir, 'copy-confirm-state');
		const m = (mounted = await mountActions({
			hiveUrl: sim.url,
			redisUrl: services.redis.url,
			profile: 'runbook',
			auditLog: path.join(services.dir, 'incident-copy.jsonl'),
			focused: 'agents',
			clipboard: createClipboard({write: (sequence) => void writes.push(sequence), stateDir, env: {}}),
		}));
		await m.r.press('R');
		const modal = await m.waitFor('Confirm: Restart agent');
		const request = /POST \/api\/v1\/agents\/[^\s]+\/restart/.exec(modal)?.[0];
		expect(request, modal).toBeDefined();
		await m.r.press('\u0019');
		await m.waitFor(/copied the exact request/i);
		// The OSC 52 sequence carries exactly the request, as the modal shows it.
		const osc = writes.join('');
		const payload = /\u001b\]52;c;([A-Za-z0-9+/=]+)\u0007/.exec(osc)?.[1];
		expect(Buffer.from(payload!, 'base64').toString('utf8')).toBe(request);
		expect(m.frame()).toContain('Confirm: Restart agent');
		expect(await m.audit()).toEqual([]);
	});
});
