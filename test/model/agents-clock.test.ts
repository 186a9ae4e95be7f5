// Heartbeat ages are measured on the hive's clock: a hive (or a simulator at --speed 60) whose clock runs
// ahead of the console must not make every heartbeat look fresh.
import {describe, expect, it} from 'vitest';
import {assess, hiveTime} from '../../source/model/index.js';
import type {Agent} from '../../source/contract/types.js';
import type {HiveSnapshot} from '../../source/contract/snapshot.js';

function agent(name: string, lastHeartbeat: number): Agent {
	return {
		id: name, name, type: 'claude', role: 'backend_developer', status: 'active', lastHeartbeat, lastActive: null,
		createdAt: null, tasksCompleted: 0, tasksFailed: 0, averageResponseTime: 1, contextWindowUsage: null,
		healthScore: 100, currentTask: null, errorCount: 0, tmuxSession: null,
	};
}

function snapshot(at: number, hiveNow: number | null, agents: Agent[]): HiveSnapshot {
	return {
		at, hiveNow, profile: 'beehive', profileSource: 'auto', coordination: null, agentMetrics: null, health: null,
		agents, activeAgents: agents.length, totalAgents: agents.length, tasks: null, partialErrors: [],
	};
}

describe('hive clock', () => {
	const consoleNow = Date.parse('2025-08-07T10:00:00Z');
	const hiveAhead = consoleNow + 3_600_000; // the hive's clock is an hour ahead

	it('counts a heartbeat 10 minutes old on the hive clock as stale even though it is in the console future', () => {
		const a = agent('drifter', hiveAhead - 600_000);
		expect(assess({hive: snapshot(consoleNow, hiveAhead, [a])}).staleHeartbeats).toBe(1);
	});

	it('does not count a fresh heartbeat as stale when the hive clock is behind the console', () => {
		const hiveBehind = consoleNow - 3_600_000;
		const a = agent('fresh', hiveBehind - 10_000);
		expect(assess({hive: snapshot(consoleNow, hiveBehind, [a])}).staleHeartbeats).toBe(0);
	});

	it('keeps ticking live: hiveTime shifts console time by the observed skew', () => {
		const snap = snapshot(consoleNow, hiveAhead, []);
		expect(hiveTime(snap, consoleNow + 5_000)).toBe(hiveAhead + 5_000);
		expect(hiveTime(snapshot(consoleNow, null, []))).toBe(consoleNow);
	});
});
