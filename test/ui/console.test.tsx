// The whole console at real sizes: layout per terminal size, and the keys doing what the help says.
import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {buildKeymap, KeymapError, footerHints, helpSections} from '../../source/ui/keymap.js';
import {helpText, scrollThrough} from './screen-text.js';
import {computeLayout} from '../../source/ui/layout.js';
import {agent, fixtureStore, hiveSnapshot} from './fixtures.js';
import {consoleElement, stripSgr, type Calls} from './harness.js';
import {KEYS, renderAt} from './render-console.js';

const manyAgents = () => fixtureStore({hive: hiveSnapshot({}, Array.from({length: 10_000}, (_, i) => agent(i + 1, {name: `agent-${String(i + 1).padStart(5, '0')}`})))});

describe('layout', () => {
	it('is a grid on a wide terminal, fewer columns as it narrows, one pane with tabs at 80x24, a message below the minimum', () => {
		expect(computeLayout(200, 50, 'metrics', false)).toMatchObject({kind: 'grid', gridColumns: 3});
		expect(computeLayout(120, 40, 'metrics', false)).toMatchObject({kind: 'grid', gridColumns: 2});
		expect(computeLayout(80, 24, 'agents', false)).toMatchObject({kind: 'single', tabs: true, pane: {id: 'agents'}});
		expect(computeLayout(120, 40, 'tasks', true)).toMatchObject({kind: 'single', tabs: false, pane: {id: 'tasks', width: 120}});
		expect(computeLayout(50, 12, 'metrics', false)).toMatchObject({kind: 'too-small', needColumns: 60, needRows: 16});
	});

	it('draws six panes at 120x40 and one with a tab bar at 80x24, every line within the width, one row spare', () => {
		const wide = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40}), 120, 40);
		const frame = stripSgr(wide.lastFrame());
		for (const title of ['1 Metrics vs thresholds', '2 Agents', '3 Tasks', '4 Redis streams', '5 Slow queries', '6 Logs']) expect(frame).toContain(title);
		expect(frame.split('\n')).toHaveLength(39);
		for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(120);
		wide.unmount();
		const small = renderAt(consoleElement(fixtureStore(), {columns: 80, rows: 24}), 80, 24);
		const smallFrame = stripSgr(small.lastFrame());
		expect(smallFrame).toContain('[1 Metrics]  2 Agents   3 Tasks');
		expect(smallFrame).not.toContain('2 Agents ─');
		expect(smallFrame.split('\n')).toHaveLength(23);
		small.unmount();
	});

	it('re-lays out on resize and says which size it needs when too small', async () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40, props: {size: undefined}}), 120, 40);
		expect(r.lastFrame()).toContain('4 Redis streams');
		r.stdout.resize(80, 24);
		await new Promise((res) => setTimeout(res, 50));
		expect(r.lastFrame()).toContain('[1 Metrics]');
		r.stdout.resize(40, 10);
		await new Promise((res) => setTimeout(res, 50));
		expect(r.lastFrame()).toContain('needs at least 60x16;\nthis terminal is 40x10.');
		r.unmount();
	});

	it('--ascii draws no box-drawing, block or braille characters', () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40, ascii: true}), 120, 40);
		expect(r.lastFrame()).not.toMatch(/[\u2500-\u259f\u2800-\u28ff]/);
		r.unmount();
	});

	it('without colour, state still reads as glyph + word and the selection as a marker', () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40, color: false}), 120, 40);
		const frame = r.lastFrame();
		expect(frame).not.toMatch(/\u001b\[3[0-9]m/);
		expect(frame).toMatch(/› ● ok\s+success rate/);
		r.unmount();
	});
});

describe('keys', () => {
	it('1-6 and Tab/Shift-Tab focus panes; z zooms; ? shows help generated from the keymap', async () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40}), 120, 40);
		await r.press('4');
		expect(r.lastFrame()).toContain('► 4 Redis streams');
		await r.press(KEYS.tab);
		expect(r.lastFrame()).toContain('► 5 Slow queries');
		await r.press(KEYS.shiftTab, KEYS.shiftTab);
		expect(r.lastFrame()).toContain('► 3 Tasks');
		await r.press('z');
		expect(r.lastFrame()).not.toContain('2 Agents');
		await r.press('z', '?');
		// The help lists every key of every view; it scrolls (PgDn) where it does not fit.
		const help = await scrollThrough(r);
		for (const section of helpSections(buildKeymap(), false)) {
			expect(help.join('\n')).toContain(section.title);
			for (const row of section.rows) expect(helpText(help, 120)).toContain(row.description);
		}
		await r.press(KEYS.escape);
		expect(r.lastFrame()).toContain('1 Metrics vs thresholds');
		r.unmount();
	});

	it('/ filters the focused pane, Esc clears; s/S sort; Enter opens details', async () => {
		const store = fixtureStore({hive: hiveSnapshot({}, [agent(1, {name: 'alpha'}), agent(2, {name: 'bravo'}), agent(3, {name: 'charlie', tasksFailed: 9})])});
		const r = renderAt(consoleElement(store, {columns: 120, rows: 40, focused: 'agents', zoomed: true}), 120, 40);
		await r.press('/', 'b', 'r');
		let frame = r.lastFrame();
		expect(frame).toContain('/br');
		expect(frame).toContain('bravo');
		expect(frame).not.toContain('alpha');
		await r.press(KEYS.enter);
		expect(r.lastFrame()).toContain('/br (1/3)');
		await r.press(KEYS.escape);
		expect(r.lastFrame()).toContain('alpha');
		await r.press('S');
		frame = r.lastFrame();
		expect(frame).toContain('Name▼');
		expect(frame.indexOf('charlie')).toBeLessThan(frame.indexOf('alpha'));
		await r.press('s');
		expect(r.lastFrame()).toContain('Role▲');
		await r.press('z', 's');
		// Role is not shown in the narrower grid pane, so `s` moves on to a column that is.
		expect(r.lastFrame()).toContain('Name▲');
		await r.press('s');
		expect(r.lastFrame()).toContain('Status▲');
		await r.press('z');
		await r.press('g', KEYS.enter);
		frame = r.lastFrame();
		expect(frame).toContain('Agent ');
		expect(frame).toContain('tasks done / failed');
		await r.press(KEYS.escape);
		expect(r.lastFrame()).not.toContain('tasks done / failed');
		r.unmount();
	});

	it('p pauses (header says PAUSED), r refreshes, +/- change the interval, q quits', async () => {
		const calls: Calls = {controls: [], quit: 0};
		const store = fixtureStore();
		const r = renderAt(consoleElement(store, {columns: 120, rows: 40, calls}), 120, 40);
		await r.press('p');
		expect(r.lastFrame()).toContain('PAUSED');
		await r.press('p', 'r', '-', '+');
		expect(calls.controls).toEqual(['pause', 'resume', 'refresh', 'interval 10000', 'interval 5000']);
		await r.press('q');
		expect(calls.quit).toBe(1);
		await r.press('\u0003');
		expect(calls.quit).toBe(2);
		r.unmount();
	});

	it('Esc then q in one read (as Alt-q) closes the help and quits, as the two keys the user pressed', async () => {
		const calls: Calls = {controls: [], quit: 0};
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40, calls}), 120, 40);
		await r.press('?');
		expect(r.lastFrame()).toContain('Keys');
		await r.press('\u001bq');
		expect(calls.quit).toBe(1);
		r.unmount();
	});

	it('moves through 10,000 agents rendering only the rows that fit', async () => {
		const r = renderAt(consoleElement(manyAgents(), {columns: 120, rows: 40, focused: 'agents', zoomed: true}), 120, 40);
		expect(r.lastFrame()).toContain('10k agents');
		await r.press('G');
		let frame = r.lastFrame();
		expect(frame).toContain('› agent-10000');
		expect(frame).not.toContain('agent-00001 ');
		expect(frame.split('\n')).toHaveLength(39);
		await r.press('g', KEYS.pageDown);
		frame = r.lastFrame();
		expect(frame).toMatch(/› agent-000(2[0-9]|3[0-9])/);
		await r.press('j', 'k', KEYS.down);
		r.unmount();
	});

	it('the demo key exists only in demo mode and is shown in the footer there', async () => {
		const normal = footerHints(buildKeymap(), false).map((h) => h.label);
		expect(normal).not.toContain('scenario');
		let switched = 0;
		const r = renderAt(
			consoleElement(fixtureStore(), {columns: 120, rows: 40, props: {demo: {scenarios: ['healthy', 'coordination-critical'], current: 'healthy', next: async () => (switched++, 'coordination-critical')}}}),
			120,
			40,
		);
		expect(r.lastFrame()).toContain('c scenario: healthy');
		await r.press('c');
		await new Promise((res) => setTimeout(res, 30));
		expect(switched).toBe(1);
		expect(r.lastFrame()).toContain('DEMO: coordination-critical');
		r.unmount();
	});

	it('at 80 columns a long demo label is cut, never the overall state', () => {
		const demo = {scenarios: ['communication-failure'], current: 'communication-failure', speed: 60, next: async () => 'communication-failure'};
		const r = renderAt(consoleElement(fixtureStore(), {columns: 80, rows: 24, props: {demo}}), 80, 24);
		const header = r.lastFrame()!.split('\n')[0]!;
		expect(header).toMatch(/│ [●▲✗?] (HEALTHY|WARNING|CRITICAL|UNKNOWN)/);
		expect(header.indexOf('HEALTHY') >= 0 ? header.indexOf('HEALTHY') : header.search(/WARNING|CRITICAL|UNKNOWN/)).toBeLessThan(header.indexOf('DEMO') === -1 ? Infinity : header.indexOf('DEMO'));
		r.unmount();
	});
});

describe('keymap', () => {
	it('remaps from config and refuses unknown commands and double bindings, naming the key', () => {
		const keymap = buildKeymap({refresh: 'R', quit: ['x']});
		expect(keymap.lookup.get('R')?.command).toBe('refresh');
		expect(keymap.lookup.get('x')?.command).toBe('quit');
		expect(keymap.lookup.get('ctrl-c')?.command).toBe('quit');
		expect(() => buildKeymap({nonsense: 'x'})).toThrow(/keys"\.nonsense: no such command/);
		expect(() => buildKeymap({refresh: 'q'})).toThrow(/key "q" is already bound to "(quit|refresh)"; rebind one of them/);
	});

	it("reaches the views' own keys: a remapped close closes every overlay, a clash inside one view is refused", async () => {
		const keymap = buildKeymap({close: ['escape', 'x'], 'playbook-abort': 'A'});
		for (const view of ['help', 'detail', 'run', 'history', 'playbook', 'message'] as const) expect(keymap.views.get(view)?.get('x')?.command).toBe('close');
		expect(keymap.views.get('playbook')?.get('A')?.command).toBe('playbook-abort');
		expect(keymap.views.get('help')?.get('q')).toBeUndefined();
		expect(() => buildKeymap({'playbook-abort': 's'})).toThrow(/key "s" is already bound to "playbook-(skip|abort)" in the playbook view/);
		expect(() => buildKeymap({activate: 'tab'})).toThrow(/key "tab" is already bound to "(field-next|activate)" in the confirm view/);
		// In the console: x closes the help; q, no longer a close key there, falls to nothing and quits nothing.
		const calls: Calls = {controls: [], quit: 0};
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40, calls, props: {keymap}}), 120, 40);
		await r.press('?');
		expect(r.lastFrame()).toContain('? or Esc/x closes');
		await r.press('q');
		expect(calls.quit).toBe(0);
		expect(r.lastFrame()).toContain('Esc/x close');
		await r.press('x');
		expect(r.lastFrame()).not.toContain('? or Esc/x closes');
		r.unmount();
	});

	it('q closes help and details; only on the panes does it quit', async () => {
		const calls: Calls = {controls: [], quit: 0};
		const r = renderAt(consoleElement(fixtureStore(), {columns: 120, rows: 40, calls}), 120, 40);
		await r.press('?', 'q');
		expect(calls.quit).toBe(0);
		await r.press('2', KEYS.enter);
		expect(r.lastFrame()).toContain('tasks done / failed');
		await r.press('q');
		expect(calls.quit).toBe(0);
		expect(r.lastFrame()).not.toContain('tasks done / failed');
		await r.press('q');
		expect(calls.quit).toBe(1);
		r.unmount();
	});

	it('never puts a destructive action on a Ctrl- key or a navigation key', () => {
		const stop = {command: 'emergency-stop', keys: ['E'], category: 'action' as const, severity: 'critical' as const, description: 'Emergency stop'};
		expect(buildKeymap({}, [stop]).lookup.get('E')?.command).toBe('emergency-stop');
		expect(() => buildKeymap({'emergency-stop': 'ctrl-e'}, [stop])).toThrow(KeymapError);
		expect(() => buildKeymap({'emergency-stop': 'enter'}, [stop])).toThrow(/navigation key/);
		expect(() => buildKeymap({'emergency-stop': 'j'}, [stop])).toThrow(/navigation key/);
		expect(() => buildKeymap({'emergency-stop': 'x', down: ['down', 'x']}, [stop])).toThrow(/navigation key|already bound/);
	});
});
