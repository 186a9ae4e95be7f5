// The console stays answerable while the hive sends the largest hostile bodies: the real binary in tmux at a
// 1 s interval against a proxy whose every read is 1 MB of what once froze the parsers (a megabyte of digits
// for a success rate, names of `agent agent …`, digit runs where numbers go). Keys are pressed throughout
// and each must change the screen. Time is only bounded generously here (the console must never freeze for
// 2 s on a shared machine); the key-to-frame figures come from scripts/bench-keys-under-load.mjs.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath, startSimulator, type SimulatorService} from '../harness/services.js';
import {buildBundle, openTmux, type Tmux} from '../e2e/tmux.js';
import {expectTerminalSafe, startHostileProxy, type HostileProxy} from './hostile-hive.js';

const FREEZE_BOUND_MS = 2000;
const COLUMNS = 120;

let sim: SimulatorService | undefined;
let proxy: HostileProxy | undefined;
let t: Tmux | undefined;

beforeAll(buildBundle, 120_000);
afterAll(async () => {
	t?.kill();
	await proxy?.close();
	await sim?.stop();
});

/** Sends one key and waits for the screen to pass `test`; returns how long that took. */
async function press(tmux: Tmux, key: string, what: string, test: (s: string) => boolean): Promise<number> {
	const start = performance.now();
	tmux.keys(key);
	for (;;) {
		const s = tmux.screen();
		const elapsed = performance.now() - start;
		if (test(s)) return elapsed;
		if (elapsed > 10_000) throw new Error(`key ${key} (${what}) not answered in 10 s; the screen was:\n${s}`);
		await new Promise((r) => setTimeout(r, 2));
	}
}

describe('keys under a 1 MB hostile body', () => {
	it('every key is answered, the console never freezes, no piece of the body reaches the screen', {timeout: 90_000}, async () => {
		sim = await startSimulator({agents: 6});
		proxy = await startHostileProxy(sim.url);
		t = openTmux();
		const state = mkdtempSync(path.join(os.tmpdir(), 'hive-keys-load-'));
		// A shell in the pane, so a console that exits leaves its last words on the screen for the error.
		t.tmux('new-session', '-d', '-s', 'e2e', '-x', String(COLUMNS), '-y', '40', 'env -i PATH="$PATH" TERM=xterm-256color bash --norc --noprofile');
		t.tmux('set-option', '-t', 'e2e', 'status', 'off');
		t.keys(`HOME=${state} XDG_STATE_HOME=${state} ${process.execPath} ${binPath} --hive ${proxy.url} --interval 1`, 'Enter');
		const first = await t.waitForScreen('the first frame with data', (s) => /success rate\s+[\d.]+%/.test(s) && s.includes('updated'), 30_000);
		const goodRate = /success rate\s+([\d.]+)%/.exec(first)![1]!;

		proxy.mode = 'huge';
		const requestsBefore = proxy.seen.length;
		// The huge bodies are read and refused: the agents and tasks of this poll are unavailable and the
		// metrics they feed turn unknown (README, The overall state never lies), never a piece of the body.
		await t.waitForScreen('the huge bodies read and refused', (s) => /unavailable this poll/.test(s) && /UNKNOWN/.test(s), 20_000);

		const latencies: number[] = [];
		const screens: string[] = [];
		for (let round = 0; round < 8; round++) {
			latencies.push(await press(t, '?', 'help', (s) => s.includes('Pause or resume polling')));
			latencies.push(await press(t, 'Escape', 'help closed', (s) => !s.includes('Pause or resume polling')));
			const focused = /► (\d) /.exec(t.screen())?.[1];
			latencies.push(await press(t, 'Tab', 'next pane', (s) => /► (\d) /.exec(s)?.[1] !== focused));
			screens.push(t.screen());
			// Keys land at random points of the poll cycle, including mid-parse.
			await new Promise((r) => setTimeout(r, 100 + ((round * 137) % 400)));
		}
		const sorted = [...latencies].sort((a, b) => a - b);
		console.log(`keys under a 1 MB hostile body: ${latencies.length} keys, p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (tmux capture included; bench: scripts/bench-keys-under-load.mjs)`);
		for (const ms of latencies) expect(ms, 'a key answered within the freeze bound').toBeLessThan(FREEZE_BOUND_MS);

		// The poller kept reading the huge bodies meanwhile (a frozen event loop would have stopped it).
		expect(proxy.seen.length - requestsBefore).toBeGreaterThan(8);
		const last = t.screen();
		// The success rate is the last good one or unknown, never a piece of the megabyte of digits.
		expect(last).toMatch(new RegExp(`success rate\\s+(${goodRate.replace('.', '\\.')}%|\\?)`));
		// (The version is a string, so its digits are shown, cut; the numbers are refused.)
		expect(last).not.toMatch(/9{20}|7{20}/);
		for (const s of [...screens, last]) expectTerminalSafe('the screen under huge bodies', s.replace(/\n+$/, ''), {maxWidth: COLUMNS});

		// And back: the real data returns.
		proxy.mode = 'pass';
		await t.waitForScreen('fresh data after the huge bodies', (s) => /success rate\s+[\d.]+%/.test(s) && /updated/.test(s) && !/last good data/.test(s.split('\n').slice(0, 12).join('\n')), 20_000);
	});
});
