// Facts about agents the model, the panes, the actions and the commands share: heartbeat ages on the
// hive's clock, the one stale-heartbeat rule, and response times. The rule is explained in the README
// (Configuration, "Stale heartbeat"); every count of stale heartbeats in the program comes from here.
import type {Agent} from '../contract/types.js';
import type {HiveSnapshot} from '../contract/snapshot.js';
import {isWorking, responseTimeOfWorking} from '../store/history.js';

export {isWorking, responseTimeOfWorking};

/**
 * "Now" on the hive's clock: `now` (console time, default the snapshot's read time) shifted by the skew the
 * snapshot observed between the hive's stated clock and ours. Ages shown live keep ticking with `now`.
 */
export function hiveTime(hive: Pick<HiveSnapshot, 'at' | 'hiveNow'>, now: number = hive.at): number {
	const skew = hive.hiveNow === null || hive.hiveNow === undefined ? 0 : hive.hiveNow - hive.at;
	return now + skew;
}

import {DEFAULT_STALE_HEARTBEAT_SECONDS} from '../contract/thresholds.js';

export {DEFAULT_STALE_HEARTBEAT_SECONDS};

/**
 * Statuses in which an agent is supposed to be alive and heartbeating. Working agents (active, busy) and
 * agents in error (still running, reporting a failure: a silent one may have died) count; inactive,
 * sleeping, maintenance (a restart clears the heartbeat on purpose) and shutting_down do not, nor does a
 * status this console does not know.
 */
export const HEARTBEATING_STATUSES: ReadonlySet<string> = new Set(['active', 'busy', 'error']);

export function heartbeatAgeSeconds(agent: Agent, at: number): number | null {
	if (agent.lastHeartbeat === null || !Number.isFinite(agent.lastHeartbeat)) return null;
	return Math.max(0, (at - agent.lastHeartbeat) / 1000);
}

export interface StaleHeartbeat {
	/** Seconds since the last heartbeat, or null when the agent never sent one. */
	ageSeconds: number | null;
	/** One line for people: "heartbeat 412 s old" or "no heartbeat since it registered 9 min ago". */
	reason: string;
}

/**
 * The one stale-heartbeat rule. An agent supposed to be alive (HEARTBEATING_STATUSES) is stale when its
 * last heartbeat is older than the threshold, or when it has none although it registered more than the
 * threshold ago (a brand-new agent gets that long to send its first). `at` is on the hive's clock.
 */
export function staleHeartbeat(agent: Agent, at: number, thresholdSeconds: number = DEFAULT_STALE_HEARTBEAT_SECONDS): StaleHeartbeat | null {
	if (!HEARTBEATING_STATUSES.has(agent.status)) return null;
	const age = heartbeatAgeSeconds(agent, at);
	if (age !== null) return age > thresholdSeconds ? {ageSeconds: age, reason: `heartbeat ${Math.round(age)} s old`} : null;
	const registered = agent.createdAt === null || !Number.isFinite(agent.createdAt) ? null : (at - agent.createdAt) / 1000;
	if (registered !== null && registered <= thresholdSeconds) return null;
	return {ageSeconds: null, reason: registered === null ? 'no heartbeat' : `no heartbeat since it registered ${Math.round(registered)} s ago`};
}

export function isStale(agent: Agent, at: number, thresholdSeconds?: number): boolean {
	return staleHeartbeat(agent, at, thresholdSeconds) !== null;
}

export function staleAgents(agents: Agent[], at: number, thresholdSeconds?: number): Agent[] {
	return agents.filter((agent) => isStale(agent, at, thresholdSeconds));
}

/** Stale agents of a snapshot, judged at the snapshot's own time on the hive's clock. */
export function staleAgentsOf(hive: HiveSnapshot, thresholdSeconds?: number): Agent[] {
	return hive.agents ? staleAgents(hive.agents, hiveTime(hive), thresholdSeconds) : [];
}


/** Longest agent name a one-line reason carries: a hive can send a name of any length. */
export const REASON_NAME_MAX = 40;

/** A name as it goes into a reason: whole when short, else cut with an ellipsis (agents[] keep it whole). */
export function reasonName(name: string): string {
	const chars = [...name];
	return chars.length > REASON_NAME_MAX ? `${chars.slice(0, REASON_NAME_MAX - 1).join('')}…` : name;
}
