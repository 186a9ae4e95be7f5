// Reads the action declarations share: one snapshot of the hive, with the part an action needs required,
// and the reply-reading helpers that keep effect messages short and safe for the terminal.
import type {Agent} from '../../contract/types.js';
import type {ActionReply} from '../../contract/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {cutToWidth, sanitise} from '../../util/terminal-text.js';
import type {ActionEnv} from '../types.js';

export async function readSnapshot(env: ActionEnv, signal: AbortSignal, need: {agents?: boolean; tasks?: boolean} = {}): Promise<HiveSnapshot> {
	const snap = await env.readHive(signal);
	const why = snap.partialErrors[0] ? `: ${snap.partialErrors[0]}` : '';
	if (need.agents && !snap.agents) throw new Error(`could not read the agents list${why}`);
	if (need.tasks && !snap.tasks) throw new Error(`could not read the tasks${why}`);
	return snap;
}

/** A snapshot for planning: a failed read is said in the modal rather than refusing to plan. */
export async function trySnapshot(env: ActionEnv, signal: AbortSignal): Promise<{snap: HiveSnapshot | null; error: string | null}> {
	try {
		return {snap: await env.readHive(signal), error: null};
	} catch (error) {
		return {snap: null, error: error instanceof Error ? error.message : String(error)};
	}
}

/** Outside text (agent names, the hive's messages) for one line of an effect message or a note. */
export function safe(text: string, width = 60): string {
	return cutToWidth(sanitise(text).replace(/\s+/g, ' ').trim(), width);
}

export function agentName(agents: Agent[] | null, id: string): string {
	const agent = agents?.find((a) => a.id === id);
	return agent ? safe(agent.name, 40) : `agent ${id.slice(0, 8)}`;
}

/** The hive's reply bodies in the order they were sent (one request per target). */
export function bodies(replies: ActionReply[]): unknown[] {
	return replies.map((r) => r.body);
}

export function isWorking(agent: Agent): boolean {
	return agent.status === 'active' || agent.status === 'busy';
}

/** In progress for more than this goes back to pending on any coordination reset of the beehive server. */
export const RESET_STUCK_AFTER_MS = 2 * 3600 * 1000;
