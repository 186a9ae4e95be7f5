// The model's conditions (slow database, flaky API) under the panes and on pane 1's /health line; the
// header's reason from the same assessment, which ages with the console's clock (a paused console's data
// turns UNKNOWN) and is recomputed at most once a second, keeping the last one while it would draw the
// same; and the marks line offering the actions the connected profile has for marked tasks.
import React from 'react';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import type {Availability} from '../../source/actions/index.js';
import type {Assessment} from '../../source/model/types.js';
import {selectAssessment} from '../../source/model/select.js';
import type {HiveConsoleState} from '../../source/contract/snapshot.js';
import {ActionConsole, markedTaskActions, stripLines} from '../../source/ui/actions/action-console.js';
import {actionBindings} from '../../source/ui/actions/action-keys.js';
import {ActionController, type ActionUiState} from '../../source/ui/actions/controller.js';
import {buildKeymap} from '../../source/ui/keymap.js';
import {displayWidth} from '../../source/util/terminal-text.js';
import {agent, fixtureStore, hiveSnapshot, NOW, postgresSnapshot} from './fixtures.js';
import {consoleElement, stripSgr} from './harness.js';
import {renderAt} from './render-console.js';

const keymap = buildKeymap({}, actionBindings());
const theme = {color: false, ascii: false};
const stripProps = {keymap, theme, config: {escalation: {contacts: [], channels: []}}, readOnly: {on: false, reason: ''}};

/** Agents answering in 15 s (response time at warning) and an 812 ms statement: the slow-database condition. */
function slowDatabaseStore(version = '2.0.0') {
	const agents = Array.from({length: 6}, (_, i) => agent(i + 1, {averageResponseTime: 15}));
	const base = hiveSnapshot({}, agents);
	const postgres = postgresSnapshot({
		statements: {version: '1.10', byMean: [{query: 'SELECT * FROM tasks ORDER BY created_at', calls: 90, meanMs: 812, totalMs: 73_080, rows: 900, hitPercent: 97}], byTotal: []},
	});
	return fixtureStore({hive: {...base, health: {...base.health!, version}}, postgres});
}

function uiState(patch: Partial<ActionUiState> = {}): ActionUiState {
	return {availability: null, gateError: null, modal: null, toast: null, marked: new Map(), playbook: null, playbookVersion: 0, runs: [], timeline: [], ...patch};
}

function idleController(): ActionController {
	// A gate that never arrives: the console stays "connecting", which is all these views need.
	return new ActionController({gate: new Promise(() => undefined), assessment: () => null});
}

function actionConsole(store: ReturnType<typeof fixtureStore>, options: {controller?: ActionController; columns?: number; now?: number; assess?: (state: HiveConsoleState, now: number) => Assessment | null} = {}) {
	const columns = options.columns ?? 120;
	return (
		<ActionConsole
			controller={options.controller ?? idleController()}
			config={{escalation: {contacts: [], channels: []}}}
			readOnly={{on: false, reason: ''}}
			store={store}
			controls={{pause() {}, resume() {}, refreshNow() {}, setIntervalMs() {}}}
			header={{contextName: 'prod', environment: null, hiveUrl: 'http://hive:8000'}}
			theme={theme}
			keymap={keymap}
			onQuit={() => undefined}
			size={{columns, rows: 40}}
			now={options.now ?? NOW}
			{...(options.assess ? {assess: options.assess} : {})}
			initialView={{focused: 'metrics'}}
		/>
	);
}

describe('conditions', () => {
	it('are lines under the panes in the banner style, warning tone, from conditionLine', () => {
		const assessment = selectAssessment(slowDatabaseStore().getState());
		expect(assessment.conditions.map((c) => c.condition)).toEqual(['slow-database']);
		const lines = stripLines(uiState(), assessment, stripProps);
		const line = lines.find((l) => l.some((s) => s.text === 'Slow database'))!;
		expect(line).toBeDefined();
		expect(line[0]).toEqual({text: '▲ ', tone: 'warning', bold: true});
		expect(line[1]).toEqual({text: 'Slow database', tone: 'warning', bold: true});
		expect(line.map((s) => s.text).join('')).toBe(`▲ Slow database: ${assessment.conditions[0]!.reason} · ${assessment.conditions[0]!.offers}`);
	});

	it('show in the console under the panes, cut to the width, and on pane 1 only when they fit whole', () => {
		const store = slowDatabaseStore();
		const r = renderAt(actionConsole(store, {columns: 120}), 120, 40);
		const frame = stripSgr(r.lastFrame() ?? '');
		r.unmount();
		expect(frame).toMatch(/^▲ Slow database: agents answer in 15 s \(target < 5 s\); slowest statement 812 ms mean/m);
		for (const line of frame.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(120);
		// At 120 columns pane 1 is 60 wide: "/health ● healthy  version 2.0.0  ▲ Slow database" fits.
		expect(frame).toMatch(/[│┃]\/health ● healthy {2}version 2\.0\.0 {2}▲ Slow database/);

		// One pane at 70 columns and a long version: the /health line has no room for it, and no piece of it is drawn.
		const narrow = renderAt(actionConsole(slowDatabaseStore('2.0.0+build.20251107.abcdef'), {columns: 70}), 70, 40);
		const small = stripSgr(narrow.lastFrame() ?? '');
		narrow.unmount();
		const healthLine = small.split('\n').find((l) => l.includes('/health'))!;
		expect(healthLine).toBeDefined();
		expect(healthLine).not.toContain('Slow');
		expect(healthLine).not.toContain('▲');
		expect(small).toContain('▲ Slow database: agents answer');
	});

	it('are sanitised before the terminal', () => {
		const store = slowDatabaseStore();
		const hostile = (state: HiveConsoleState, now: number): Assessment => {
			const a = selectAssessment(state, now);
			return {...a, conditions: [{condition: 'flaky-api', title: 'Flaky\u001b]0;pwned\u0007 API', reason: 'polls \u202eevil\u202c failed\u001b[2J', offers: 'x'.repeat(5000)}]};
		};
		const r = renderAt(actionConsole(store, {columns: 100, assess: hostile}), 100, 40);
		const frame = stripSgr(r.lastFrame() ?? '');
		r.unmount();
		expect(frame).toContain('Flaky');
		expect(frame).not.toMatch(/[\u001b\u0007\u202e\u202c]/);
		for (const line of frame.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(100);
	});
});

describe('the header and the clock', () => {
	it('a paused console turns UNKNOWN as its data ages, with the reason, and the banner goes with it', () => {
		const store = slowDatabaseStore();
		store.getState().setPaused(true);
		const r = render(actionConsole(store, {now: NOW}));
		expect(stripSgr(r.lastFrame() ?? '')).toContain('▲ WARNING');
		expect(stripSgr(r.lastFrame() ?? '')).toContain('▲ Slow database:');
		// The last good poll was at NOW - 3 s; two 5 s intervals later the data is not current any more.
		r.rerender(actionConsole(store, {now: NOW + 20_000}));
		const frame = stripSgr(r.lastFrame() ?? '');
		r.unmount();
		expect(frame).toContain('? UNKNOWN · hive data 23 s old');
		expect(frame).not.toContain('WARNING');
		expect(frame).not.toContain('▲ Slow database:');
	});

	it('is assessed at most once per second, and an assessment that draws the same keeps the last one', () => {
		const store = fixtureStore();
		const calls: number[] = [];
		const seen = new Set<Assessment | null>();
		// A fresh (equal) object on every call, as the model makes when an input's identity changed.
		const assess = (state: HiveConsoleState, now: number) => {
			calls.push(now);
			return {...selectAssessment(state, now)};
		};
		const element = (now: number) => consoleElement(store, {now, props: {assess, layer: {top: () => null, command: () => false, viewCommand() {}, text() {}, draw: (ctx) => (seen.add(ctx.assessment), {})}}});
		const r = render(element(NOW));
		expect(calls).toHaveLength(1);
		r.rerender(element(NOW + 300));
		r.rerender(element(NOW + 900));
		expect(calls).toHaveLength(1);
		r.rerender(element(NOW + 1000));
		r.rerender(element(NOW + 1500));
		expect(calls).toHaveLength(2);
		expect(seen.size).toBe(1);
		// Once the data is too old, the assessment draws differently and is taken.
		r.rerender(element(NOW + 20_000));
		expect(calls).toHaveLength(3);
		expect(seen.size).toBe(2);
		expect(stripSgr(r.lastFrame() ?? '')).toContain('? UNKNOWN · hive data 23 s old');
		r.unmount();
	});
});

describe('marked tasks', () => {
	const marked = new Map([['task-1', {kind: 'task' as const, id: 'task-1', name: 'Fix auth #12'}]]);
	const offered = (ids: string[]): Map<string, Availability> =>
		new Map(['cancel-task', 'reassign-task', 'retry-task'].map((id) => [id, ids.includes(id) ? {available: true} : {available: false, reason: 'not on this profile'}]));
	const marksLine = (availability: Map<string, Availability> | null) =>
		stripLines(uiState({marked, availability}), null, stripProps)
			.find((l) => l[0]!.text.startsWith('1 marked'))!
			.map((s) => s.text)
			.join('');

	it('offer what the connected profile has for them, with the keymap keys', () => {
		expect(marksLine(offered(['cancel-task']))).toBe('1 marked: Fix auth #12  x cancel them · m/Space unmarks');
		expect(marksLine(offered(['reassign-task', 'retry-task']))).toBe('1 marked: Fix auth #12  n reassign · e retry them · m/Space unmarks');
		expect(marksLine(offered([]))).toBe('1 marked: Fix auth #12  m/Space unmarks');
	});

	it('follow remapped keys', () => {
		const remapped = buildKeymap({'reassign-task': 'K'}, actionBindings());
		expect(markedTaskActions({availability: offered(['reassign-task', 'retry-task'])}, remapped)).toEqual(['K reassign', 'e retry']);
	});
});
