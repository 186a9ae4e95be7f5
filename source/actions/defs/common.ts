// Small pieces the action declarations share: turning a route-table entry into the exact request, the
// hive-wide target, and the rule for the runbook's "problem agents" (the model's stale-heartbeat rule).
import {z} from 'zod';
import {fillPath, isAvailable, profileRoutes, type ProfileRouteName} from '../../contract/routes.js';
import type {ApiProfile, Agent} from '../../contract/types.js';
import type {ActionEnv, ActionTarget, PlannedRequest} from '../types.js';
import {hiveTime, staleHeartbeat} from '../../model/agents.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';

export const noInputs = z.object({}).strict();
export type NoInputs = z.infer<typeof noInputs>;

export function httpRequest(
	profile: ApiProfile,
	routeName: ProfileRouteName,
	options: {targetId: string; params?: Record<string, string>; query?: Record<string, string | number>; body?: unknown},
): Extract<PlannedRequest, {kind: 'http'}> {
	const route = profileRoutes[profile][routeName];
	// The gate checks availability first; reaching this means a declaration uses a route it did not list.
	if (!isAvailable(route)) throw new Error(`${routeName} is not offered by the ${profile} profile: ${route.unavailable}`);
	let display = fillPath(route.path, options.params);
	const query = Object.entries(options.query ?? {});
	if (query.length > 0) {
		const qs = new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString();
		display += (display.includes('?') ? '&' : '?') + qs;
	}
	return {
		kind: 'http',
		method: route.method,
		route,
		...(options.params ? {params: options.params} : {}),
		...(options.query ? {query: options.query} : {}),
		...(options.body === undefined ? {} : {body: options.body}),
		display: options.body === undefined ? `${route.method} ${display}` : `${route.method} ${display} ${JSON.stringify(options.body)}`,
		targetId: options.targetId,
	};
}

export function hiveTarget(env: ActionEnv): ActionTarget {
	return {kind: 'hive', id: env.contextName, name: env.contextName};
}

/**
 * Why an agent counts as a problem (status error, or the model's stale-heartbeat rule), or null if it does
 * not. `now` is a time on the hive's clock: callers holding a snapshot pass hiveTime(snapshot); without one
 * the console's clock stands in. The threshold defaults to the model's (300 s) unless the config's is given.
 */
export function problemReason(agent: Agent, now = Date.now(), options: {staleHeartbeatSeconds?: number} = {}): string | null {
	if (agent.status === 'error') return 'status error';
	return staleHeartbeat(agent, now, options.staleHeartbeatSeconds)?.reason ?? null;
}

/**
 * problemReason for the agents of a fresh read: on that read's hive clock, with the threshold the env
 * carries (the context's). What the defs use to choose and re-check problem agents.
 */
export function problemReasonIn(env: Pick<ActionEnv, 'staleHeartbeatSeconds'>, snap: HiveSnapshot): (agent: Agent) => string | null {
	const at = hiveTime(snap);
	const options = env.staleHeartbeatSeconds === undefined ? {} : {staleHeartbeatSeconds: env.staleHeartbeatSeconds};
	return (agent) => problemReason(agent, at, options);
}

/**
 * Healthy again after a restart: active or busy, with a heartbeat newer than the one it had before we sent
 * the restart. Compared with the hive's own earlier value, not our clock, so clock skew cannot fake it.
 */
export function agentBack(agent: Agent, heartbeatBefore: number | null | undefined): boolean {
	if (agent.status !== 'active' && agent.status !== 'busy') return false;
	if (agent.lastHeartbeat === null) return false;
	return heartbeatBefore === null || heartbeatBefore === undefined || agent.lastHeartbeat > heartbeatBefore;
}

/** The agents' heartbeats before an action, for agentBack(). */
export function heartbeatBaseline(agents: Agent[] | null): Record<string, number | null> {
	return Object.fromEntries((agents ?? []).map((a) => [a.id, a.lastHeartbeat]));
}

export function isFinishedTaskStatus(status: string | null | undefined): boolean {
	return status === 'completed' || status === 'failed' || status === 'cancelled';
}

export function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}
