// Every view of the console's view stack drawn at 80x24, 120x40 and 200x60, checked the way a reader would
// notice a broken screen: no row wider than the terminal, the overlay's double border intact on every row
// (nothing drew over it), the view's title and its known strings on screen, help rows with their key column
// and description apart, and every binding of every view in the help when it is scrolled through.
import React from 'react';
import {Box} from 'ink';
import {describe, expect, it} from 'vitest';
import {getAction, type ActionRun, type PlaybookState, type PreparedAction} from '../../source/actions/index.js';
import {ConfirmModal} from '../../source/ui/actions/confirm-modal.js';
import {openConfirmState} from '../../source/ui/actions/confirm-state.js';
import {actionBindings} from '../../source/ui/actions/action-keys.js';
import {PlaybookView} from '../../source/ui/actions/playbook-view.js';
import {timelineViewLines} from '../../source/ui/actions/action-console.js';
import {ScrollFrame} from '../../source/ui/views/scroll-frame.js';
import type {TimelineEntry} from '../../source/timeline/types.js';
import {HistoryView, RunView} from '../../source/ui/actions/run-views.js';
import {buildKeymap, helpSections, keyLabel, scrollHint, type Keymap} from '../../source/ui/keymap.js';
import {displayWidth} from '../../source/util/terminal-text.js';
import {agent, fixtureStore, hiveSnapshot, NOW} from './fixtures.js';
import {consoleElement, stripSgr} from './harness.js';
import {KEYS, renderAt} from './render-console.js';
import {helpText, overlayRows, scrollThrough} from './screen-text.js';

const SIZES = [
	[80, 24],
	[120, 40],
	[200, 60],
] as const;
const theme = {color: false, ascii: false};
const keymap: Keymap = buildKeymap({}, actionBindings());
const LONG_REQUEST = `PUT /api/v1/config/heartbeat-interval {"interval":45,"reason":"${'the hive asked for a slower heartbeat while the coordinator recovers '.repeat(2).trim()}"}`;

const LONG_NOTE = 'claude-architect-10 has no task in progress: force=false (the hive refuses if one starts before the request arrives)';
const LONG_RUN_REQUEST = `POST /api/dashboard/agents/4c2378cc-c1f5-4899-8da1-3d07f3244b2d/restart?force=false&reason=${'operator-requested-restart-'.repeat(3)}`;

function prepared(): PreparedAction {
	return {
		action: getAction('set-heartbeat-interval')!,
		targets: [{kind: 'hive', id: 'prod-eu', name: 'prod-eu'}],
		inputs: {interval: 45},
		plan: {requests: [{display: LONG_REQUEST}], summary: 'Sets how often every agent reports a heartbeat; agents pick it up at their next beat, so the change spreads over one interval.', irreversible: null, notes: [LONG_NOTE]},
		confirmation: {kind: 'confirm', prompt: 'Change the heartbeat interval of the whole hive?'},
	} as unknown as PreparedAction;
}

function run(overrides: Partial<ActionRun> = {}): ActionRun {
	return {
		runId: 'r1', actionId: 'restart-agent', title: 'Restart agent', severity: 'high', targets: [{kind: 'agent', id: 'a-1', name: 'agent-01'}], inputs: {},
		requests: ['POST /api/v1/agents/a-1/restart'], status: 'failed',
		message: 'the hive refused: agent-01 holds task t-9 (coordination in progress); restart it with force or wait until the task is done, which the hive expects within 120 s',
		notes: [], startedAt: NOW, sentAt: NOW, finishedAt: NOW, confirmedBy: null, progress: [], replies: [{ok: false, httpStatus: 200, message: 'agent holds a task', body: null}], waitingUntil: null,
		...overrides,
	} as unknown as ActionRun;
}

function playbook(): PlaybookState {
	const step = (i: number, status: string, message = '') => ({id: `s${i}`, kind: 'check', title: `Step ${i}: check the coordinator's queue`, actionId: null, verify: false, status, message, details: [], failures: [], runId: null, until: null, countdown: null});
	return {
		playbookId: 'coordination-critical', profile: 'runbook', title: 'Coordination critical', current: 1,
		steps: [step(1, 'done', 'queue drained'), step(2, 'failed', "the hive's reason: coordinator did not answer within 30 s (connection reset by peer while reading the reply)"), ...Array.from({length: 12}, (_, i) => step(i + 3, 'todo'))],
		finished: false, aborted: false, outcome: null, ending: null, next: [], maintenance: false, escalation: null,
	} as unknown as PlaybookState;
}

/** The checks every framed view must pass: width, border, title, strings. */
const flowingText = (frame: string) => overlayRows(frame).map((r) => r.replace(/\s+/g, ' ').trim()).join(' ');

function checkFrame(frame: string, columns: number, title: string, strings: string[]) {
	const lines = stripSgr(frame).split('\n');
	for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
	const top = lines.findIndex((l) => l.startsWith('╔'));
	const bottom = lines.findIndex((l, i) => i > top && l.startsWith('╚'));
	expect(top, 'the top border').toBeGreaterThanOrEqual(0);
	expect(bottom, 'the bottom border').toBeGreaterThan(top);
	expect(lines[top]!.endsWith('╗')).toBe(true);
	expect(lines[bottom]!.endsWith('╝')).toBe(true);
	for (const line of lines.slice(top + 1, bottom)) {
		expect(line.startsWith('║') && line.endsWith('║'), `a row drew over the border: ${line}`).toBe(true);
		expect(displayWidth(line)).toBe(displayWidth(lines[top]!));
	}
	expect(lines[top + 1]).toContain(title);
	const text = overlayRows(frame).map((r) => r.replace(/\s+/g, ' ').trim()).join(' ');
	for (const s of strings) expect(text).toContain(s);
}

const framed = (node: React.ReactNode, columns: number) => <Box width={columns}>{node}</Box>;

describe.each(SIZES)('every view at %ix%i', (columns, rows) => {
	const height = rows - 3;

	it('the panes: grid or tabs, header and footer within the width', () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns, rows}), columns, rows);
		const lines = stripSgr(r.lastFrame()).split('\n');
		for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
		expect(lines[0]).toContain('hive-console');
		expect(lines.at(-1)).toContain('quit');
		expect(r.lastFrame()).toContain(columns >= 120 ? '1 Metrics vs thresholds' : 'Metrics');
		r.unmount();
	});

	it('the filter prompt shows what is typed and its keys from the keymap', async () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns, rows, focused: 'agents'}), columns, rows);
		await r.press('/', 'a', 'g');
		const last = stripSgr(r.lastFrame()).split('\n').at(-1)!;
		expect(last).toContain('/ag');
		expect(last).toContain('Enter keep');
		expect(last).toContain('Esc clear');
		r.unmount();
	});

	it('help: rows keep key and description apart, nothing overdraws, every binding of every view is there, q closes it', async () => {
		const r = renderAt(consoleElement(fixtureStore(), {columns, rows}), columns, rows);
		await r.press('?');
		checkFrame(r.lastFrame(), columns, 'Keys', ['Move', 'Focus pane 1 to 6']);
		const pages = await scrollThrough(r);
		// A key row: the key, at least two spaces, the description. A row starting with text right after the
		// key column's width would be two things run together.
		const sections = helpSections(buildKeymap(), false);
		for (const section of sections) {
			for (const row of section.rows) {
				const keys = row.keys;
				// The key where a column starts (the row's start, or after the gap between two columns), then a gap.
				const atColumn = new RegExp(`(?:^|\\s{2})${keys.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2,}\\S`);
				const hit = pages.find((p) => atColumn.test(p));
				expect(hit, `help row for ${keys} (${row.description})`).toBeDefined();
			}
		}
		const text = helpText(pages, columns);
		for (const section of sections) for (const row of section.rows) expect(text).toContain(row.description);
		// Every key of every view, the six pane keys as one "1-6" row.
		for (const b of buildKeymap().bindings) if (!/^focus-\d$/.test(b.command)) for (const k of b.keys) expect(pages.join('\n')).toContain(keyLabel(k));
		await r.press('q');
		expect(stripSgr(r.lastFrame())).not.toContain('╔');
		r.unmount();
	});

	it('details: title, fields, no overdraw; q closes them instead of quitting', async () => {
		const store = fixtureStore({hive: hiveSnapshot({}, [agent(1, {name: 'alpha'}), agent(2, {name: 'bravo'})])});
		const calls = {controls: [] as string[], quit: 0};
		const r = renderAt(consoleElement(store, {columns, rows, focused: 'agents', calls}), columns, rows);
		await r.press(KEYS.enter);
		checkFrame(r.lastFrame(), columns, 'Agent', ['tasks done / failed']);
		await r.press(']');
		expect(stripSgr(r.lastFrame())).toContain('bravo');
		await r.press('q');
		expect(calls.quit).toBe(0);
		expect(stripSgr(r.lastFrame())).not.toContain('tasks done / failed');
		r.unmount();
	});

	it.each(['metrics', 'agents', 'tasks', 'streams', 'queries', 'logs'] as const)('details of the %s pane: inside the border, no field run into its value', async (pane) => {
		const r = renderAt(consoleElement(fixtureStore(), {columns, rows, focused: pane}), columns, rows);
		await r.press(KEYS.enter);
		const frame = r.lastFrame();
		const lines = stripSgr(frame).split('\n');
		const top = lines.findIndex((l) => l.startsWith('╔'));
		expect(top, `details of ${pane} opened`).toBeGreaterThanOrEqual(0);
		checkFrame(frame, columns, '', []);
		// A field row is "label  value": the label column is padded, so a value never starts right after a
		// label's last letter (the log details once showed "read at  05:05:02oses").
		for (const row of overlayRows(frame)) expect(row, `${pane} details row`).not.toMatch(/\d{2}:\d{2}:\d{2}[a-z]/);
		if (pane === 'logs') expect(flowingText(frame)).toMatch(/read at \d\d:\d\d:\d\d\s+kind task-assign\s+Line Task task-7 assigned to agent-02/);
		r.unmount();
	});

	it('the confirmation shows the whole exact request, wrapped, and its buttons', () => {
		const r = renderAt(framed(<ConfirmModal confirm={openConfirmState(prepared(), {interval: '45'}, false)} width={columns} height={height} theme={theme} keymap={keymap} />, columns), columns, rows);
		checkFrame(r.lastFrame(), columns, 'Confirm: Set heartbeat interval', ['Sends exactly:', LONG_REQUEST, LONG_NOTE, '› Cancel ‹', 'Confirm', 'Esc cancels']);
		r.unmount();
	});

	it("a run's result wraps the hive's reason, its exact request and its notes whole", () => {
		const long = run({requests: [LONG_RUN_REQUEST], notes: [LONG_NOTE]});
		const r = renderAt(framed(<RunView run={long} width={columns} height={height} theme={theme} keymap={keymap} canStop={false} />, columns), columns, rows);
		checkFrame(r.lastFrame(), columns, 'Restart agent', ['FAILED', run().message, LONG_NOTE, 'Esc/q closes']);
		// One long word (a URL) is split across lines, not cut: every character is on the screen.
		expect(overlayRows(r.lastFrame()).join('').replace(/\s/g, '')).toContain(LONG_RUN_REQUEST.replace(/\s/g, ''));
		r.unmount();
	});

	it('an analysis result scrolls and says where it is', () => {
		const body = {current_metrics: {success_rate: 98.8, total_tasks: 500, successful_tasks: 494, failed_tasks: 6, pending_tasks: 0, trend_direction: 'stable'}, hourly_breakdown: Array.from({length: 60}, (_, i) => ({hour: `2026-12-01T${String(i % 24).padStart(2, '0')}:00`, success_rate: 99, total_tasks: 10}))};
		const analysis = run({actionId: 'weekly-analysis', title: 'Weekly coordination analysis', status: 'confirmed', message: 'read', requests: ['GET /api/dashboard/coordination/success-rate'], replies: [{ok: true, httpStatus: 200, message: 'ok', body}] as never, targets: []});
		const r = renderAt(framed(<RunView run={analysis} width={columns} height={height} theme={theme} keymap={keymap} canStop={false} scroll={{top: 0, hint: scrollHint(keymap, 'run', theme.ascii)}} />, columns), columns, rows);
		checkFrame(r.lastFrame(), columns, 'Weekly coordination analysis', ['CONFIRMED', 'success rate 98.8 %', 'PgUp/PgDn g/G scroll']);
		r.unmount();
		// Keys remapped in the config are the ones the scroll line names.
		const remapped = buildKeymap({'scroll-down': 'n', 'scroll-top': 'home'}, actionBindings());
		const again = renderAt(framed(<RunView run={analysis} width={columns} height={height} theme={theme} keymap={remapped} canStop={false} scroll={{top: 0, hint: scrollHint(remapped, 'run', theme.ascii)}} />, columns), columns, rows);
		checkFrame(again.lastFrame(), columns, 'Weekly coordination analysis', [`${keyLabel('up')}/n PgUp/PgDn ${keyLabel('home')}/G scroll`]);
		expect(again.lastFrame()).toMatch(new RegExp(`lines 1–\\d+ of \\d+ · ${keyLabel('up')}/n`));
		again.unmount();
	});

	it('the history lists runs newest first with its keys', () => {
		const runs = Array.from({length: 50}, (_, i) => run({runId: `r${i}`, title: `Run ${i}`}));
		const r = renderAt(framed(<HistoryView runs={runs} selected={0} width={columns} height={height} theme={theme} keymap={keymap} />, columns), columns, rows);
		checkFrame(r.lastFrame(), columns, 'Action history (50)', ['› ', 'Run 49', 'Enter details']);
		r.unmount();
	});

	it('the timeline: header, entries newest first, cut to the width inside the border', () => {
		const entries = Array.from({length: 80}, (_, i) => ({v: 1, id: `e${i}`, at: NOW + i * 1000, time: '', consoleAt: NOW + i * 1000, context: 'prod', kind: 'agent', severity: i % 2 ? 'warning' : 'ok', subject: `a${i}`, from: null, to: null, text: `agent claude-backend-${i} stale: heartbeat ${300 + i} s old; ${'the coordinator stopped answering '.repeat(4)}`})) as unknown as TimelineEntry[];
		const r = renderAt(framed(<ScrollFrame title="Timeline · 80 entries" closeHint="i or Esc/q closes" lines={timelineViewLines(entries, false)} width={columns} height={height} scroll={{top: 0}} theme={theme} />, columns), columns, rows);
		checkFrame(r.lastFrame(), columns, 'Timeline · 80 entries', ['TIME (hive, UTC)', 'agent claude-backend-79 stale']);
		r.unmount();
	});

	it("the playbook view: steps, the current step's reason wrapped, its keys", () => {
		const state = playbook();
		const r = renderAt(framed(<PlaybookView state={state} escalation={null} now={NOW} width={columns} height={height} theme={theme} keymap={keymap} />, columns), columns, rows);
		checkFrame(r.lastFrame(), columns, 'Coordination critical', ['step 2 of 14', state.steps[1]!.message, 'Enter retries this step']);
		r.unmount();
	});
});
