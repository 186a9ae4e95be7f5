// What each point of the store's bounded history records, computed as a poll is stored: the mean response
// time of working agents and the total stream backlog. They are facts of one snapshot, not judgements
// against thresholds, so they live here and the model reads them from here (the store imports no model).
import type {Agent} from '../contract/types.js';
import type {RedisSnapshot} from '../contract/snapshot.js';

/** Working agents: the ones that take tasks and report response times. */
export function isWorking(agent: Pick<Agent, 'status'>): boolean {
	return agent.status === 'active' || agent.status === 'busy';
}

/** Seconds between the heartbeat and `at` (a time on the hive's clock), or null when never seen. */
/**
 * Mean average_response_time over working agents (active and busy) that report one, and the slowest of
 * them. Busy agents count: when every agent is busy, their answers are exactly the ones worth timing.
 */
export function responseTimeOfWorking(agents: Agent[]): {mean: number; slowest: Agent; count: number} | null {
	let sum = 0;
	let count = 0;
	let slowest: Agent | null = null;
	for (const agent of agents) {
		const rt = agent.averageResponseTime;
		if (!isWorking(agent) || rt === null || !Number.isFinite(rt)) continue;
		sum += rt;
		count++;
		if (!slowest || rt > slowest.averageResponseTime!) slowest = agent;
	}
	return count === 0 || !slowest ? null : {mean: sum / count, slowest, count};
}

/** Pending plus lag over every consumer group of every stream: work the hive has not yet consumed. */
export function streamBacklog(redis: RedisSnapshot): number {
	let total = 0;
	for (const stream of redis.streams) for (const group of stream.groups) total += group.pending + (group.lag ?? 0);
	return total;
}

