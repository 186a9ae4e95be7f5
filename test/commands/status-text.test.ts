// The text renderer of `status` and `watch` frames with hostile strings in every field that comes from
// outside: nothing a terminal would act on gets through, and a huge name cannot blow up a frame.
import {describe, expect, it} from 'vitest';
import {createPaint} from '../../source/headless/color.js';
import type {StatusReport} from '../../source/headless/report.js';
import {renderStatusText} from '../../source/headless/text.js';
import {displayWidth, sanitise} from '../../source/util/terminal-text.js';
import {BIDI_CONTROL, HOSTILE_NAMES, TERMINAL_CONTROL} from './helpers.js';

const h = (i: number) => HOSTILE_NAMES[i % HOSTILE_NAMES.length]!;

function hostileReport(): StatusReport {
	const reason = (i: number) => `value; slowest: ${h(i)}`;
	return {
		schema: 1,
		generatedAt: '2025-08-07T10:30:00.000Z',
		context: h(0),
		environment: h(1),
		hive: `http://127.0.0.1:8000/${h(2)}`,
		profile: 'beehive',
		overall: 'warning',
		overallReason: h(2),
		metrics: {
			successRate: {value: 87.5, state: 'warning', reason: reason(0)},
			responseTime: {value: 3, state: 'ok', reason: reason(1)},
			queueLength: {value: 2, state: 'ok', reason: reason(2)},
			activeAgents: {value: 6, state: 'ok', reason: reason(3)},
		},
		scenarios: [{scenario: 'communication-failure', reason: reason(4)}],
		conditions: [{condition: 'flaky-api', title: h(1), reason: reason(5), offers: h(6)}],
		recommendations: [{id: 'x', text: h(5), actionId: null, inputs: {}}],
		agents: HOSTILE_NAMES.map((name, i) => ({id: `id-${i}`, name, status: i % 2 ? 'active' : h(i), heartbeatAgeSeconds: i % 3 ? 400 + i : null, staleHeartbeat: i % 2 === 1})),
		staleHeartbeats: 3,
		staleHeartbeatSeconds: 300,
		untrusted: [],
		tasks: {
			queueLength: 2,
			longRunning: 1,
			stuck: HOSTILE_NAMES.map((title, i) => ({id: `t-${i}`, title, status: 'in_progress', agentId: null, agentName: h(i + 1), ageSeconds: 4000})),
		},
		health: h(3),
		components: Object.fromEntries(HOSTILE_NAMES.map((name, i) => [name, {status: h(i + 2), details: h(i), error: h(i), responseTime: h(i)}])),
		streams: HOSTILE_NAMES.map((key, i) => ({key, length: 5, groups: [{name: h(i + 1), consumers: 1, pending: 10 + i, lag: null}]})),
		streamsTruncated: h(4),
		slowQueries: HOSTILE_NAMES.map((query) => ({query, calls: 1, meanMs: 2, rows: 3, hitPercent: null})),
		slowQueriesNote: null,
		sources: {hive: {state: 'ok', error: null}, redis: {state: 'down', error: h(0)}, postgres: {state: 'unauthorised', error: h(1)}},
		partialErrors: HOSTILE_NAMES.slice(),
	};
}

describe('status text with hostile strings from the hive', () => {
	it.each([
		['piped, no colour', createPaint(false), null],
		['a 100-column terminal with colour', createPaint(true), 100],
	] as const)('%s: no control sequence or bidi override from outside, every line bounded', (_label, paint, width) => {
		// status's own title, and a watch frame's (watch.ts sanitises the context name the same way).
		for (const title of [undefined, `── 2025-08-07T10:30:00Z · ${sanitise(h(0))} ──`]) {
			const text = renderStatusText(hostileReport(), {paint, width, title});
			// Our own colour codes are SGR only; anything else would have come from the hive.
			// eslint-disable-next-line no-control-regex
			const withoutOurColour = text.replace(/\u001B\[[0-9;]*m/g, '');
			expect(withoutOurColour).not.toMatch(TERMINAL_CONTROL);
			expect(text).not.toMatch(BIDI_CONTROL);
			expect(text).not.toContain('\u009B');
			expect(text).toContain('\uFFFD[2Jscreen');
			const lines = withoutOurColour.split('\n');
			for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width ?? 1000);
			// The huge name is cut, not dropped: its beginning is still there to be recognised.
			expect(text).toMatch(/n{50,}…/);
		}
	});
});
