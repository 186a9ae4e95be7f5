// The scenarios: the runbook's three incidents and a few more. Entering one sets a fault flag in the
// world (whose mechanics live in world.ts) and, with backdate, makes it look as if the incident had been
// running for a while so the symptoms are visible at once. How each one ends, by the runbook's own steps:
//
// - coordination-critical: the coordinator is out of sync: a third of the agents go to error, assignments
//   and running tasks fail, and failed work is resubmitted (4x arrivals), so the 24 h success rate falls
//   below 70 %. Ends with emergency stop (running work blocked, agents stopped) then restart orchestrator
//   (fault cleared, agents back with fresh heartbeats, blocked work requeued); the success rate then
//   recovers over simulated hours as new work completes and the incident's tasks leave the 24 h window.
// - communication-failure: the Redis pools are broken for 40 % of the agents: they stop heartbeating
//   (stale after 300 s), read their streams but never XACK (pending and lag grow), and work handed to them
//   times out. Ends with refresh Redis pools (the cause) and then restarting each problem agent: an agent
//   restarted before the refresh comes back still broken; a restart is refused while the agent still
//   holds tasks (they time out within the coordination timeout, or use force).
// - task-distribution: the coordinator pins all new work on two agents whose running tasks wedge, so tasks
//   sit in progress for more than an hour, assignment is uneven and the queue passes 100. Ends with
//   cancelling the stuck tasks (GET /api/v1/tasks/stuck) and rebalance, which lifts the skew and spreads
//   the queued work; the queue then drains over simulated hours.
// - slow-database: the tasks table is bloated with old rows: every database statement runs slowly
//   (pg_sleep plus an unindexed scan when --database is given), API reads answer 1-2.5 s late, agents'
//   response times grow eightfold. Ends with the weekly cleanup (DELETE /api/v1/tasks/cleanup?days=7).
// - flaky-api: a misbehaving proxy: about 1 request in 5 answers 500, hangs for 12 s, or sends a broken
//   body. Not a hive fault the runbook covers: it ends only with POST /_sim/scenario {"name":"healthy"}.
// - healthy: the lab's reset button (not a recovery): every fault and its after-effects are gone at once
//   (World.resetToHealthy). Every other scenario starts from that reset too, so it shows its own symptoms
//   and none left over from the one before.
import {HOUR, MINUTE, SECOND, type World} from './world.js';

export const SCENARIOS = ['healthy', 'coordination-critical', 'communication-failure', 'task-distribution', 'slow-database', 'flaky-api'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(name: unknown): name is ScenarioName {
	return typeof name === 'string' && (SCENARIOS as readonly string[]).includes(name);
}

export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
	healthy: 'reset: every fault and its after-effects cleared at once; success rate above 95 %',
	'coordination-critical': 'success rate below 70 %; cleared by emergency stop + restart orchestrator',
	'communication-failure': 'stale heartbeats, unacknowledged stream backlog; cleared by refresh Redis pools + restart problem agents',
	'task-distribution': 'tasks stuck in progress > 1 h, uneven assignment, queue > 100; cleared by cancel stuck tasks + rebalance',
	'slow-database': 'slow queries and slow API answers; cleared by task cleanup (days=7)',
	'flaky-api': 'some requests answer 500, hang past 10 s or send malformed bodies; cleared by switching to healthy',
};

export function enterScenario(world: World, name: ScenarioName, backdate: boolean): void {
	world.resetToHealthy();
	if (name !== 'healthy') world.historyDisturbed = true;
	const r = world.random;
	switch (name) {
		case 'healthy':
			break;
		case 'coordination-critical': {
			world.faults.coordination = true;
			const errored = world.agents.filter((_, i) => i % 3 === 1);
			for (const agent of errored) world.markError(agent);
			if (backdate) world.backfillIncident(6, 12, 0.05);
			world.log('ERROR', 'app.core.coordination', 'Coordination error: orchestrator state diverged from agent registry');
			break;
		}
		case 'communication-failure': {
			world.faults.communication = true;
			const affected = world.agents.filter((_, i) => i % 5 === 0 || i % 5 === 3);
			if (affected.length === 0 && world.agents.length > 0) affected.push(world.agents[0]!);
			for (const agent of affected) world.makeSick(agent, backdate ? r.between(400, 1200) * SECOND : 0);
			world.log('ERROR', 'app.core.communication', `Agent communication error: Redis connection pool exhausted for ${affected.length} agents`);
			break;
		}
		case 'task-distribution': {
			world.faults.distribution = true;
			const hot = world.agents.slice(0, Math.min(2, world.agents.length));
			for (const agent of hot) world.hotAgents.add(agent.id);
			if (backdate) {
				for (const agent of hot) for (let i = 0; i < 3; i++) world.wedgeTask(agent, r.between(1.2, 3) * HOUR);
				const backlog = Math.max(120, Math.ceil(world.agents.length * 0.2));
				for (let i = 0; i < backlog; i++) world.backlogTask(r.between(5 * MINUTE, 3 * HOUR), i % 2 === 0 && hot.length ? hot[i % hot.length]! : null);
			}
			world.log('ERROR', 'app.core.task_queue', 'Task assignment failed: load balancer returned a stale agent ranking');
			break;
		}
		case 'slow-database':
			world.faults.dbBloat = true;
			world.addBloat(Math.max(3000, Math.min(50_000, world.agents.length * 5)));
			world.log('WARNING', 'app.core.database', 'Slow query: SELECT ... FROM tasks took 2.4s');
			break;
		case 'flaky-api':
			world.faults.flaky = true;
			break;
	}
}
