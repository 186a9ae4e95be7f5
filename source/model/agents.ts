// Facts about agents the model and the commands share: heartbeat ages, stale heartbeats (contract §2:
// active agents only, older than 300 s, null heartbeats not counted) and response times.
import type {Agent} from '../contract/types.js';
import type {HiveSnapshot} from '../store/types.js';

/**
 * "Now" on the hive's clock: `now` (console time, default the snapshot's read time) shifted by the skew the
 * snapshot observed between the hive's stated clock and ours. Ages shown live keep ticking with `now`.
 */
export function hiveTime(hive: Pick<HiveSnapshot, 'at' | 'hiveNow'>, now: number = hive.at): number {
	const skew = hive.hiveNow === null || hive.hiveNow === undefined ? 0 : hive.hiveNow - hive.at;
	return now + skew;
}

export const STALE_HEARTBEAT_SECONDS = 300;

/** Seconds between the heartbeat and `at` (the snapshot's read time), or null when never seen. */
export function heartbeatAgeSeconds(agent: Agent, at: number): number | null {
	if (agent.lastHeartbeat === null || !Number.isFinite(agent.lastHeartbeat)) return null;
	return Math.max(0, (at - agent.lastHeartbeat) / 1000);
}

export function isStale(agent: Agent, at: number): boolean {
	if (agent.status !== 'active') return false;
	const age = heartbeatAgeSeconds(agent, at);
	return age !== null && age > STALE_HEARTBEAT_SECONDS;
}

export function staleAgents(agents: Agent[], at: number): Agent[] {
	return agents.filter((agent) => isStale(agent, at));
}

/** Mean average_response_time over active agents that report one, and the slowest of them. */
export function responseTimeOfActive(agents: Agent[]): {mean: number; slowest: Agent} | null {
	let sum = 0;
	let count = 0;
	let slowest: Agent | null = null;
	for (const agent of agents) {
		const rt = agent.averageResponseTime;
		if (agent.status !== 'active' || rt === null || !Number.isFinite(rt)) continue;
		sum += rt;
		count++;
		if (!slowest || rt > slowest.averageResponseTime!) slowest = agent;
	}
	return count === 0 || !slowest ? null : {mean: sum / count, slowest};
}

/** Longest agent name a one-line reason carries: a hive can send a name of any length. */
export const REASON_NAME_MAX = 40;

/** A name as it goes into a reason: whole when short, else cut with an ellipsis (agents[] keep it whole). */
export function reasonName(name: string): string {
	const chars = [...name];
	return chars.length > REASON_NAME_MAX ? `${chars.slice(0, REASON_NAME_MAX - 1).join('')}…` : name;
}
