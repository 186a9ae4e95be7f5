// Sending one planned request, HTTP or Redis, with its own deadline. A request that gets no reply in time
// is marked as a timeout, because the hive may still have acted: the run is then "unconfirmed", not "failed".
import type {ActionReply} from '../../contract/types.js';
import {describeError} from '../../util/redact.js';
import {RequestTimeoutError, type ActionEnv, type PlannedRequest} from '../types.js';

export async function sendOne(env: ActionEnv, request: PlannedRequest, requestTimeoutMs: number, signal: AbortSignal): Promise<ActionReply> {
	const deadline = AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]);
	try {
		if (request.kind === 'redis') {
			if (!env.redis) return {ok: false, httpStatus: 0, message: 'no Redis is configured', body: null};
			const [command, ...args] = request.command;
			const reply = await env.redis.call(command!, ...args);
			return {ok: true, httpStatus: 0, message: String(reply), body: reply};
		}
		return await env.send(request, deadline);
	} catch (error) {
		if (error instanceof RequestTimeoutError || (deadline.aborted && !signal.aborted)) {
			return {ok: false, httpStatus: 0, message: `no reply within ${Math.round(requestTimeoutMs / 1000)} s; the hive may or may not have acted, check before retrying`, body: {timeout: true}};
		}
		return {ok: false, httpStatus: 0, message: describeError(error), body: null};
	}
}

/** A reply that never came: the hive may have acted, so a run of only these is unconfirmed. */
export function isTimeoutReply(body: unknown): boolean {
	return (body as {timeout?: boolean} | null)?.timeout === true;
}
