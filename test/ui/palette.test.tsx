// The command palette on the real console against the simulator and Redis: `:` lists every command, typed
// letters narrow it fuzzily, Tab completes, Enter runs the highlighted command exactly as its key would
// (an action opens its confirmation through the gate; read-only refuses it and sends nothing), "interval
// N" sets the poll interval, Esc closes it with nothing run, and `q` typed in it is a letter, not quit.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {paletteHistory} from '../../source/app/palette-history.js';
import {notModal} from './action-text.js';
import {describe, expect, it} from 'vitest';
import {startSim} from '../actions/helpers.js';
import {consoleTestServices, mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS} from './render-console.js';

const t = consoleTestServices();

async function type(m: MountedActions, text: string) {
	for (const ch of text) await m.r.press(ch);
}

describe('command palette', () => {
	it('narrows as you type, completes with Tab, and runs an action through its confirmation; Esc sends nothing', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const auditLog = path.join(t.services.dir, 'palette-1.jsonl');
		const m = (t.mounted = await mountActions({hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile: 'runbook', auditLog, focused: 'agents'}));
		await m.r.press(':');
		let frame = await m.waitFor('Command palette');
		expect(frame).toMatch(/› focus-1\s+1\s+Focus pane 1/);
		await type(m, 'quit');
		frame = await m.waitFor(': quit');
		expect(frame, 'q typed in the palette is a letter, not quit').toContain('Command palette');
		for (let i = 0; i < 4; i++) await m.r.press(KEYS.backspace);
		await type(m, 'rsa');
		frame = await m.waitFor(': rsa');
		expect(frame).toMatch(/› restart-agent\s+R\s+Restart agent/);
		await m.r.press(KEYS.tab);
		await m.waitFor(': restart-agent▏');
		await m.r.press(KEYS.enter);
		frame = await m.waitFor('Confirm: Restart agent');
		expect(frame).toContain('Sends exactly:');
		await m.r.press(KEYS.escape);
		await m.waitFor('2 Agents');
		expect(await m.audit()).toEqual([]);
		// The command just run comes first the next time.
		await m.r.press(':');
		frame = await m.waitFor('Command palette');
		expect(frame).toMatch(/› restart-agent\s+R/);
		await m.r.press(KEYS.escape);
		expect(m.frame()).not.toContain('Command palette');
	});

	it('lists an action with each row it could act on; choosing one selects that row and the confirmation names it', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const m = (t.mounted = await mountActions({hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile: 'runbook', auditLog: path.join(t.services.dir, 'palette-4.jsonl'), focused: 'metrics'}));
		const agents = m.app.store.getState().snapshots.hive!.agents!;
		const target = agents[agents.length - 1]!;
		await m.r.press(':');
		// Name and the start of the id: "claude-backend-1" alone also matches "claude-backend-10".
		await type(m, `restart-agent ${target.name} ${target.id.slice(0, 8)}`);
		const list = await m.waitFor(new RegExp(`› restart-agent ${target.name} ${target.id.slice(0, 8)}`));
		expect(list).toMatch(/ 1 match\b/);
		// Tab completes to the row's whole name, so the match stays that one row.
		await m.r.press(KEYS.tab);
		expect(await m.waitFor(new RegExp(`: restart-agent ${target.name} ${target.id.slice(0, 8)}`))).toMatch(/ 1 match\b/);
		await m.r.press(KEYS.enter);
		const frame = await m.waitFor('Confirm: Restart agent');
		expect(frame).toContain(`${target.name} (agent ${target.id})`);
		expect(frame).toContain(`/agents/${target.id}/restart`);
		await m.r.press(KEYS.escape);
		expect(await m.audit()).toEqual([]);
	});

	it('in read-only mode an action run from the palette is refused as its key is, and nothing is sent', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const m = (t.mounted = await mountActions({hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile: 'runbook', auditLog: path.join(t.services.dir, 'palette-2.jsonl'), readOnly: true, focused: 'agents'}));
		await m.r.press(':');
		await type(m, 'restart-agent');
		await m.r.press(KEYS.enter);
		const frame = await m.waitFor('Restart agent: not available');
		expect(frame).toContain('read-only mode (--read-only)');
		expect(frame).toContain('Nothing was sent.');
		expect(await m.audit()).toEqual([]);
	});

	it('keeps the recent commands across a restart of the console, in the state directory', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const stateDir = path.join(t.services.dir, 'palette-history-state');
		const options = {hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile: 'runbook' as const, auditLog: path.join(t.services.dir, 'palette-h.jsonl'), paletteHistory: paletteHistory(stateDir)};
		let m = (t.mounted = await mountActions(options));
		await m.r.press(':');
		await m.waitFor('Command palette');
		await type(m, 'sort-reverse');
		await m.waitFor(/› sort-reverse/);
		await m.r.press(KEYS.enter);
		await m.waitFor(notModal);
		await m.close();
		expect(JSON.parse(readFileSync(path.join(stateDir, 'palette-history.json'), 'utf8'))).toEqual(['sort-reverse']);
		m = t.mounted = await mountActions(options);
		await m.r.press(':');
		const frame = await m.waitFor('Command palette');
		expect(frame).toMatch(/› sort-reverse\s+S\s+Reverse the sort order/);
	});

	it('"interval 10" sets the poll interval and says so', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const set: number[] = [];
		const m = (t.mounted = await mountActions({hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile: 'runbook', auditLog: path.join(t.services.dir, 'palette-3.jsonl'), setIntervalMs: (ms) => void set.push(ms)}));
		await m.r.press(':');
		await type(m, 'interval 10');
		await m.waitFor('set the poll interval to 10 s');
		await m.r.press(KEYS.enter);
		await m.waitFor('poll interval set to 10 s');
		expect(set).toEqual([10_000]);
	});
});
