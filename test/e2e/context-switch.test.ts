// Live contexts in the real console under tmux: the palette lists the config file's contexts with where
// each points; "ctx staging" switches the running console to that hive (its header, badge, read-only mode and
// data) without restarting the process, a --hive given for the first context does not follow, a context
// that cannot be used says why and leaves the console where it was; Ctrl-F shows the fleet, worst first, and
// Enter on a row switches to it; q still restores the terminal.
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath, startSimulator, type SimulatorService} from '../harness/services.js';
import {buildBundle, openTmux, type Tmux} from './tmux.js';

let prod: SimulatorService;
let staging: SimulatorService;
let t: Tmux | null = null;

beforeAll(async () => {
	buildBundle();
	[prod, staging] = await Promise.all([startSimulator({agents: 3}), startSimulator({agents: 7, scenario: 'coordination-critical'})]);
}, 120_000);
afterAll(async () => {
	t?.kill();
	await Promise.all([prod?.stop(), staging?.stop()]);
});

describe('switching context inside the console', () => {
	it('ctx NAME mounts the other hive in the same process; a broken context says why and changes nothing', {timeout: 90_000}, async () => {
		const home = mkdtempSync(path.join(os.tmpdir(), 'hive-ctx-'));
		mkdirSync(path.join(home, 'config/hive-console'), {recursive: true});
		const config = {
			currentContext: 'prod',
			contexts: {
				prod: {hive: prod.url, environment: {label: 'PROD'}, interval: 1},
				staging: {hive: staging.url, environment: {label: 'STAGING', color: 'yellow'}, readOnly: true, interval: 1},
				broken: {hive: staging.url, tokenFile: path.join(home, 'no-such-token')},
			},
		};
		writeFileSync(path.join(home, 'config/hive-console/config.json'), JSON.stringify(config));
		const tm = (t = openTmux());
		// --hive points the first context at prod explicitly; it must not follow into staging.
		tm.tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', `env -i PATH="$PATH" HOME="${home}" TERM=xterm-256color XDG_STATE_HOME=${home}/state XDG_CONFIG_HOME=${home}/config node ${binPath} --hive ${prod.url}; echo EXITED $?; sleep 60`);
		const waitFor = (what: string, test: (s: string) => boolean) => tm.waitForScreen(what, test);
		const first = await waitFor('prod with its three agents', (s) => s.includes('prod') && /\b3 agents ·/.test(s));
		expect(first).not.toContain('READ-ONLY');

		tm.tmux('send-keys', '-t', 'e2e', ':');
		tm.tmux('send-keys', '-t', 'e2e', '-l', 'ctx');
		await waitFor('the contexts in the palette', (s) => s.includes('ctx staging') && s.includes('ctx broken'));

		// A context that cannot be used: the reason, and the console stays on prod.
		tm.tmux('send-keys', '-t', 'e2e', '-l', ' broken');
		tm.tmux('send-keys', '-t', 'e2e', 'Enter');
		const refused = await waitFor('why broken cannot be used', (s) => s.includes('cannot switch to context "broken"'));
		expect(refused).toContain('contexts.broken.token');
		expect(refused).toMatch(/\b3 agents ·/);

		tm.tmux('send-keys', '-t', 'e2e', ':');
		tm.tmux('send-keys', '-t', 'e2e', '-l', 'ctx staging');
		// Where the context points is on its line; narrowed to it, the line has room for the whole address (in
		// the full list a long task row can take the room and cut it).
		await waitFor('where staging points', (s) => s.includes(new URL(staging.url).host));
		tm.tmux('send-keys', '-t', 'e2e', 'Enter');
		const switched = await waitFor('staging with its seven agents, read-only', (s) => s.includes('staging') && /\b7 agents ·/.test(s) && s.includes('READ-ONLY'));
		expect(switched).not.toContain('EXITED');
		// Its scenario is on screen: the data is staging's, not prod's under a new label.
		expect(switched).toMatch(/success rate/i);

		// The Fleet view: every context polled on its own, worst first; Enter on prod switches back to it.
		tm.tmux('send-keys', '-t', 'e2e', 'C-f');
		const fleet = await waitFor('the fleet with both hives', (s) => s.includes('Fleet · 2 hives') && /\n[│║|]? *› *staging/.test(s) && /prod \[PROD\]/.test(s));
		expect(fleet).toContain('broken: cannot be polled');
		expect(fleet.indexOf('staging [STAGING]')).toBeLessThan(fleet.indexOf('prod [PROD]'));
		tm.tmux('send-keys', '-t', 'e2e', 'Down');
		await waitFor('prod selected', (s) => /› *prod \[PROD\]/.test(s));
		tm.tmux('send-keys', '-t', 'e2e', 'Enter');
		const back = await waitFor('prod again, not read-only', (s) => /\b3 agents ·/.test(s) && !s.includes('Fleet ·'));
		expect(back).not.toContain('READ-ONLY');
		expect(back).toContain('prod [PROD]');

		tm.tmux('send-keys', '-t', 'e2e', 'q');
		const after = await waitFor('the shell after q', (s) => s.includes('EXITED 0'));
		// The alternate screen is gone: no console line is left on the shell.
		expect(after).not.toContain('READ-ONLY');
	});
});
