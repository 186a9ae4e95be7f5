// What an on-call engineer meets first at 80×24, on the real console against the simulator and Redis, on
// both API profiles: the help scrolls through every action key with its description (an action the
// profile lacks is listed with why it is off), and Enter with Cancel focused sends nothing: the audit log
// stays empty and the hive is untouched.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {actions} from '../../source/actions/index.js';
import {keyLabel} from '../../source/ui/keymap.js';
import {startSim} from '../actions/helpers.js';
import {notModal} from './action-text.js';
import {consoleTestServices, mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS} from './render-console.js';
import {flowing, scrollThrough} from './screen-text.js';

const t = consoleTestServices();

describe.each(['runbook', 'beehive'] as const)('80×24 on the %s profile', (profile) => {
	it('the help scrolls through every action key, each beside its description', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const m = (t.mounted = await mountActions({hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile, auditLog: path.join(t.services.dir, `help-${profile}.jsonl`), columns: 80, rows: 24}));
		await m.r.press('?');
		await m.waitFor('Keys');
		const pages = await scrollThrough(m.r, 60);
		for (const row of pages) expect(row.length, row).toBeLessThanOrEqual(78);
		const text = flowing(pages);
		for (const action of actions) {
			const key = keyLabel(action.key);
			// The key at the start of a help row, then the description (wrapped rows read as one).
			expect(pages.some((row) => row.startsWith(`${key} `)), `a help row for ${key} (${action.id})`).toBe(true);
			expect(text, action.id).toContain(action.title);
		}
		await m.r.press('q');
		await m.waitFor(notModal);
	});

	it('Enter on the focused Cancel closes the confirmation and sends nothing', {timeout: 30_000}, async () => {
		t.sim = await startSim(t.services, 'healthy');
		const auditLog = path.join(t.services.dir, `cancel-${profile}.jsonl`);
		const m = (t.mounted = await mountActions({hiveUrl: t.sim.url, redisUrl: t.services.redis.url, profile, auditLog, focused: 'agents', columns: 80, rows: 24}));
		const agentsPath = profile === 'runbook' ? '/api/v1/agents/status' : '/api/dashboard/agents/status?include_inactive=true';
		const statuses = async () => JSON.stringify(await (await fetch(`${t.sim!.url}${agentsPath}`)).json()).match(/"status":"\w+"/g);
		const before = await statuses();
		expect(before?.length).toBeGreaterThan(0);
		await m.r.press('R');
		const frame = await m.waitFor('› Cancel ‹');
		expect(frame).toContain('Sends exactly:');
		await m.r.press(KEYS.enter);
		await m.waitFor(/2 Agents vs heartbeats|Agents ·|╭|┏/);
		for (let i = 0; i < 50 && m.frame().includes('Confirm:'); i++) await new Promise((r) => setTimeout(r, 20));
		expect(m.frame()).not.toContain('Confirm:');
		await new Promise((r) => setTimeout(r, 300));
		expect(existsSync(auditLog) ? readFileSync(auditLog, 'utf8') : '').toBe('');
		expect(await statuses()).toEqual(before);
	});
});
