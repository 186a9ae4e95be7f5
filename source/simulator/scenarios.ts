// The scenarios: the runbook's three incidents and a few more. Entering one sets a fault flag in the
// world (whose mechanics live in world.ts) and, with backdate, makes it look as if the incident had been
// running for a while so the symptoms are visible at once. How each one ends, by the runbook's own steps:
//
// How long each recovery takes is bounded in simulated time (minutes, not the 24 h window), so that the
// demo at its default speed goes from banner to verified recovery in about a minute. The mechanics, and
// which wrong moves leave the hive sick, are in the README's "Scenarios" table.
//
// - coordination-critical: the coordinator is out of sync with the agents: a third of the agents go to
//   error, assignments and running tasks fail, and a retry storm submits the same work three more times,
//   so the 24 h success rate falls below 70 %. Most of the incident's failures are "in doubt": the agents
//   did the work but the results never reached the registry. Ends with emergency stop (nothing in flight)
//   then restart orchestrator (runbook), or emergency override stop_all_tasks then coordination reset hard
//   and a retry of the blocked tasks (beehive): the coordinator comes back in sync, merges the duplicates,
//   and each agent reports its lost results as it re-registers, so the rate is back above 95 % within
//   simulated minutes. A restart or reset while work is still running diverges again at once; a soft
//   reset leaves the agents in error, and their share of the results, out.
// - communication-failure: the Redis pools are broken for 40 % of the agents: they stop heartbeating
//   (stale after 300 s), read their streams but never XACK (pending and lag grow), and work handed to them
//   times out. Ends with refresh Redis pools (the cause) and then restarting each problem agent (runbook),
//   or coordination reset hard, whose reset makes every agent reconnect (beehive). An agent restarted
//   before the refresh, or by the override restart_all_agents, comes back still broken; a restart is
//   refused while the agent still holds tasks (use force).
// - task-distribution: the coordinator pins all new work on two agents whose running tasks wedge, so tasks
//   sit in progress for more than an hour, assignment is uneven and the queue passes 100. Ends with
//   cancelling the stuck tasks (GET /api/v1/tasks/stuck) and rebalance (runbook), or reassigning the stuck
//   tasks and a soft coordination reset (beehive): the skew is lifted, the storm's duplicates merged, the
//   queued work spread, and the queue drains below 10 within about an hour of simulated time. Tasks wedged
//   past an hour stay wedged until cancelled or reassigned.
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
			if (backdate) world.backfillIncident(6, 12, 0.05, 0.95);
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
				const backlog = Math.max(110, Math.ceil(world.agents.length * 0.2));
				// Half the backlog waits on the hot agents; the other half is work that timed out there and was
				// submitted again (duplicates a rebalance or reset merges).
				for (let i = 0; i < backlog; i++) {
					const task = world.backlogTask(r.between(5 * MINUTE, 3 * HOUR), i % 2 === 0 && hot.length ? hot[(i / 2) % hot.length]! : null);
					if (i % 2 === 1) task.resubmission = true;
				}
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
