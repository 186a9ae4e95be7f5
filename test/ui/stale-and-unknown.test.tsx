// One meaning, one place: the agents pane's stale count and marks come from the model's rule on the hive's
// clock, so they equal the banner's count; and the header says why the overall state is unknown.
import React from 'react';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {Header} from '../../source/ui/chrome.js';
import {selectAssessment} from '../../source/model/select.js';
import {agent, fixtureStore, hiveSnapshot, NOW} from './fixtures.js';
import {consoleElement} from './harness.js';

function agentsFrame(store: ReturnType<typeof fixtureStore>): string {
	const r = render(consoleElement(store, {focused: 'agents', zoomed: true}));
	const frame = r.lastFrame() ?? '';
	r.unmount();
	return frame;
}

describe('stale heartbeats: the pane counts what the banner counts', () => {
	it('working, error and never-seen agents count; sleeping and restarting ones do not; ages on the hive clock', () => {
		const at = NOW - 3000;
		// The hive's clock runs 100 s behind the console's: 350 s on the console clock is 250 s on the hive's.
		const hive = hiveSnapshot({at, hiveNow: at - 100_000}, [
			agent(1),
			agent(2, {status: 'busy', lastHeartbeat: at - 100_000 - 400_000}),
			agent(3, {status: 'error', lastHeartbeat: at - 100_000 - 900_000}),
			agent(4, {lastHeartbeat: null}),
			agent(5, {status: 'sleeping', lastHeartbeat: at - 3_600_000}),
			agent(6, {status: 'maintenance', lastHeartbeat: null}),
			agent(7, {lastHeartbeat: at - 350_000}),
		]);
		const store = fixtureStore({hive});
		const assessment = selectAssessment(store.getState());
		expect(assessment.staleHeartbeats).toBe(3);
		expect(assessment.scenarios[0]).toEqual({scenario: 'communication-failure', reason: '3 stale heartbeats (agent-02, agent-03, agent-04); 1 agent in error'});
		const frame = agentsFrame(store);
		expect(frame).toContain(`stale heartbeat ${assessment.staleHeartbeats}`);
		expect(frame).toMatch(/agent-02\s+.*busy\s+! 6 m/);
		expect(frame).toMatch(/agent-07\s+.*active\s+4 m/);
		expect(frame).not.toMatch(/agent-07\s+.*active\s+!/);
	});

	it('follows the configured threshold', () => {
		const at = NOW - 3000;
		const hive = hiveSnapshot({at}, [agent(1, {lastHeartbeat: at - 120_000}), agent(2, {lastHeartbeat: at - 30_000})]);
		const store = fixtureStore({hive});
		store.setState({thresholds: {...store.getState().thresholds!, staleHeartbeatSeconds: 60}});
		expect(selectAssessment(store.getState()).staleHeartbeats).toBe(1);
		expect(agentsFrame(store)).toContain('stale heartbeat 1');
	});
});

describe('header', () => {
	const base = {info: {contextName: 'prod', environment: null, hiveUrl: 'http://hive:8000'}, profile: 'beehive' as const, paused: false, intervalMs: 5000, now: NOW, width: 120, theme: {color: false, ascii: false}, demo: null};

	it('says why the overall state is unknown, with the time ticking', () => {
		const r = render(<Header {...base} overall="unknown" untrusted={[{source: 'hive', what: 'down', since: NOW - 40_000, lastGoodAt: NOW - 45_000}]} />);
		expect(r.lastFrame()).toContain('? UNKNOWN · hive down 40 s');
		r.rerender(<Header {...base} now={NOW + 20_000} overall="unknown" untrusted={[{source: 'hive', what: 'down', since: NOW - 40_000, lastGoodAt: NOW - 45_000}]} />);
		expect(r.lastFrame()).toContain('? UNKNOWN · hive down 60 s');
		r.unmount();
	});

	it('is never HEALTHY from a hive that missed two polls', () => {
		const store = fixtureStore({status: {hive: {state: 'down', consecutiveFailures: 2, failingSince: NOW - 12_000, lastAttemptAt: NOW - 2000, lastDurationMs: 5, lastSuccessAt: NOW - 20_000, lastError: 'hive GET /health: connection refused'}}});
		const a = selectAssessment(store.getState());
		expect(a.overall).toBe('unknown');
		const r = render(<Header {...base} overall={a.overall} untrusted={a.untrusted} />);
		expect(r.lastFrame()).toContain('? UNKNOWN · hive down 12 s');
		r.unmount();
		const console = render(consoleElement(store));
		expect(console.lastFrame()).toContain('? UNKNOWN · hive down 12 s');
		expect(console.lastFrame()).not.toContain('HEALTHY');
		console.unmount();
	});
});
