// Each pane with fixture state (ink-testing-library renders 100 columns wide, so each pane is zoomed to
// 100x30): normal, empty, stale, source down, huge values, and hostile strings from the hive.
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import type {PaneId} from '../../source/ui/layout.js';
import {agent, fixtureStore, hiveSnapshot, INTERVAL, logsSnapshot, NOW, postgresSnapshot, redisSnapshot, stream, task, type FixtureOptions} from './fixtures.js';
import {consoleElement, stripSgr} from './harness.js';

function frameOf(pane: PaneId, options: FixtureOptions = {}, color = false): string {
	const r = render(consoleElement(fixtureStore(options), {focused: pane, zoomed: true, color}));
	const frame = r.lastFrame() ?? '';
	r.unmount();
	return frame;
}

const HOSTILE = [
	'\u001b]0;owned\u0007', // OSC: set the window title
	'\u001b]8;;http://evil.example\u001b\\link', // OSC 8 hyperlink
	'\u001b[2J\u001b[H', // CSI: clear screen
	'\u001b[31mred', // SGR from outside
	'\u009b6n', // C1 CSI: device status report
	'\u202Egnp.exe', // bidi override
	'\u2066isolate\u2069',
	'\r\b\u0007',
	'\u001b]52;c;Y29weQ==', // unterminated OSC 52 clipboard write
].join('');
const LONG = 'x'.repeat(10_000);
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

function assertSafe(frame: string, columns = 100) {
	const visible = stripSgr(frame);
	expect(visible).not.toContain('\u001b');
	expect(visible).not.toMatch(/[\u0080-\u009f\u0007\u0008\r]/);
	expect(visible).not.toMatch(BIDI);
	for (const line of visible.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
}

const hostileOptions: FixtureOptions = {
	hive: hiveSnapshot(
		{
			health: {status: 'degraded', version: HOSTILE, components: [{name: `db${HOSTILE}`, status: 'unhealthy', details: HOSTILE + LONG, error: HOSTILE, responseTime: HOSTILE}]},
			tasks: {byStatus: {[HOSTILE]: 3}, queueLength: 1, longRunning: 1, stuck: [{id: HOSTILE, title: HOSTILE + LONG, status: 'in_progress', agentId: null, agentName: HOSTILE, ageSeconds: 7200}], items: [task(1, {title: HOSTILE + LONG, assignedAgentName: HOSTILE})]},
		},
		[agent(1, {name: HOSTILE + LONG, role: HOSTILE, status: HOSTILE}), agent(2, {name: '漢字エージェント' + LONG})],
	),
	redis: redisSnapshot({streams: [stream(`agent_messages:${HOSTILE}${LONG}`)], truncated: true, truncatedReason: HOSTILE}),
	postgres: postgresSnapshot({statements: {version: HOSTILE, byMean: [{query: HOSTILE + LONG, calls: 1, meanMs: 1, totalMs: 1, rows: 1, hitPercent: null}], byTotal: []}}),
	logs: logsSnapshot([['agent-error', HOSTILE + LONG]]),
	status: {hive: {state: 'down', lastError: `hive GET /health: ${HOSTILE}`, nextPollAt: NOW + 4000}},
};

describe.each(['metrics', 'agents', 'tasks', 'streams', 'queries', 'logs'] as PaneId[])('pane %s', (pane) => {
	it('never lets a control sequence, a bidi control or an over-wide line through', () => {
		assertSafe(frameOf(pane, hostileOptions));
		assertSafe(frameOf(pane, hostileOptions, true));
	});

	it('marks data stale after two missed intervals, keeping it on screen', () => {
		const frame = frameOf(pane, {status: {hive: {lastSuccessAt: NOW - 3 * INTERVAL}, redis: {lastSuccessAt: NOW - 3 * INTERVAL}, postgres: {lastSuccessAt: NOW - 3 * INTERVAL}, logs: {lastSuccessAt: NOW - 3 * INTERVAL}}});
		expect(frame).toContain('STALE · updated 15 s ago');
	});

	it('shows the source error in one line with a retry countdown when its source is down', () => {
		const source = {metrics: 'hive', agents: 'hive', tasks: 'hive', streams: 'redis', queries: 'postgres', logs: 'logs'}[pane] as 'hive';
		const frame = frameOf(pane, {status: {[source]: {state: 'down', lastError: `${source}: connection refused at 127.0.0.1; is it running?`, nextPollAt: NOW + 7000, lastSuccessAt: NOW - 20_000}}});
		expect(frame).toContain('down · retry in 7 s · last good data 20 s ago');
		expect(frame).toContain('connection refused at 127.0.0.1; is it running?');
	});
});

describe('pane contents', () => {
	it('metrics: value, thresholds and state as glyph + word, with /health components', () => {
		const frame = frameOf('metrics', {hive: hiveSnapshot({coordination: {...hiveSnapshot().coordination!, successRate: 87.5}})});
		expect(frame).toMatch(/▲ warning\s+success rate\s+87\.5%\s+>95 <90 <70/);
		expect(frame).toContain('success rate 87.5 %');
		expect(frame).toMatch(/● ok\s+database/);
		expect(frame).toMatch(/[▁▂▃▄▅▆▇█]/);
	});

	it('metrics: no data yet says unknown, not ok', () => {
		const frame = frameOf('metrics', {hive: null, status: {hive: {state: 'pending', lastSuccessAt: null}}});
		expect(frame).toContain('waiting for the first poll');
		expect(frame).toMatch(/\? unknown\s+success rate\s+\?/);
	});

	it('agents: counts by status, and error and stale rows stand out in words', () => {
		const frame = frameOf('agents', {hive: hiveSnapshot({}, [agent(1), agent(2, {status: 'error'}), agent(3, {lastHeartbeat: NOW - 400_000})])});
		expect(frame).toContain('3 agents · active 2 · error 1 · stale heartbeat 1');
		expect(frame).toMatch(/agent-03\s+.*active\s+! 6 m/);
	});

	it('agents: empty list', () => {
		expect(frameOf('agents', {hive: hiveSnapshot({}, [])})).toContain('no agents registered');
	});

	it('agents: huge values are compacted, not spilled', () => {
		const frame = frameOf('agents', {hive: hiveSnapshot({}, [agent(1, {tasksCompleted: 1e21, tasksFailed: 12_345_678, averageResponseTime: 9e15, healthScore: Number.NaN, lastHeartbeat: NOW - 1e14})])});
		expect(frame).toContain('1.0e21/12M');
		expect(frame).toContain('! 1.2M d');
		expect(frame).toMatch(/agent-01 .*\?┃/);
		assertSafe(frame);
	});

	it('tasks: stuck tasks first with age and agent, counts by status', () => {
		const frame = frameOf('tasks', {hive: hiveSnapshot({tasks: {byStatus: {in_progress: 2, pending: 1}, queueLength: 120, longRunning: 1, stuck: [{id: 't9', title: 'Stuck migration', status: 'in_progress', agentId: 'a1', agentName: 'agent-01', ageSeconds: 7300}], items: [task(1)]}})});
		expect(frame).toContain('queue 120 · long-running 1 · stuck 1');
		expect(frame).toMatch(/STUCK in_progress\s+Stuck migration\s+agent-01\s+2 h/);
		expect(frame).toContain('pending 1 · in_progress 2');
	});

	it('tasks: counts keep the lifecycle order whatever order the hive sends them in', () => {
		const a = frameOf('tasks', {hive: hiveSnapshot({tasks: {byStatus: {failed: 24, completed: 2000, in_progress: 4}, queueLength: 0, longRunning: 0, stuck: [], items: []}})});
		const b = frameOf('tasks', {hive: hiveSnapshot({tasks: {byStatus: {in_progress: 4, failed: 24, completed: 2000}, queueLength: 0, longRunning: 0, stuck: [], items: []}})});
		expect(a).toContain('in_progress 4 · completed 2.0k · failed 24');
		expect(b).toBe(a);
	});

	it('tasks: nothing open', () => {
		expect(frameOf('tasks', {hive: hiveSnapshot({tasks: {byStatus: {}, queueLength: 0, longRunning: 0, stuck: [], items: []}})})).toContain('no open or stuck tasks');
	});

	it('streams: unknown lag is shown as unknown, never 0; INFO clients in the summary', () => {
		const frame = frameOf('streams');
		expect(frame).toMatch(/agent_events\s+120\s+1\s+2\s+0\s+unknown/);
		expect(frame).toContain('clients 12 connected, 0 blocked, max 10k');
	});

	it('streams: not configured says how to enable it', () => {
		const frame = frameOf('streams', {redis: null, disabled: {redis: 'redis: not configured; pass --redis URL, set REDIS_URL'}});
		expect(frame).toContain('redis not configured');
		expect(frame).toContain('pass --redis URL, set REDIS_URL');
	});

	it('streams: none found', () => {
		expect(frameOf('streams', {redis: redisSnapshot({streams: []})})).toContain('no streams found');
	});

	it('queries: top by mean with calls, rows and hit %, plus statements running now', () => {
		const frame = frameOf('queries');
		expect(frame).toMatch(/top\s+85 ms\s+1\.2k\s+36k\s+99%\s+SELECT \* FROM tasks/);
		expect(frame).toContain('[pid 4242 active] VACUUM FULL tasks');
	});

	it('queries: the enable-hint when pg_stat_statements is missing', () => {
		const hint = 'pg_stat_statements is not installed in leanvibe_agent_hive: run CREATE EXTENSION pg_stat_statements;';
		const frame = frameOf('queries', {postgres: postgresSnapshot({statements: null, extensionHint: hint, longRunning: []})});
		expect(frame.replace(/\s*\n[│┃]\s*/g, ' ')).toContain('pg_stat_statements is not installed');
	});

	it('logs: newest first; not configured says how', () => {
		const frame = frameOf('logs');
		expect(frame.indexOf('Task task-7 assigned')).toBeLessThan(frame.indexOf('ERROR agent agent-03'));
		expect(frameOf('logs', {logs: null, disabled: {logs: 'logs: not configured; pass --logs FILE'}})).toContain('pass --logs FILE');
	});
});
