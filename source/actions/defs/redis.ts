// The runbook's two Redis commands: DEL of a corrupted stream (critical: says what is lost) and MEMORY
// PURGE (only meaningful on a jemalloc build, so disabled elsewhere with the reason).
import type {ActionEnv, ActionTarget, RedisCommander} from '../types.js';
import {defineAction} from './define.js';
import {hiveTarget, noInputs, plural, type NoInputs} from './common.js';

function needRedis(env: ActionEnv): RedisCommander {
	if (!env.redis) throw new Error('no Redis is configured (--redis URL or REDIS_URL)');
	return env.redis;
}

/** XINFO replies are flat key/value lists whose keys vary by server version: read by name. */
function fields(reply: unknown): Map<string, unknown> {
	const map = new Map<string, unknown>();
	if (!Array.isArray(reply)) return map;
	for (let i = 0; i + 1 < reply.length; i += 2) map.set(String(reply[i]), reply[i + 1]);
	return map;
}

export interface StreamFacts {
	exists: boolean;
	length: number;
	groups: Array<{name: string; consumers: number; pending: number}>;
}

export async function readStreamFacts(redis: RedisCommander, key: string): Promise<StreamFacts> {
	const type = String(await redis.call('TYPE', key));
	if (type === 'none') return {exists: false, length: 0, groups: []};
	if (type !== 'stream') throw new Error(`Redis key ${key} is a ${type}, not a stream; refusing to treat it as one`);
	const info = fields(await redis.call('XINFO', 'STREAM', key));
	const groupsReply = (await redis.call('XINFO', 'GROUPS', key)) as unknown[];
	const groups = (Array.isArray(groupsReply) ? groupsReply : []).map((g) => {
		const f = fields(g);
		return {name: String(f.get('name') ?? '?'), consumers: Number(f.get('consumers') ?? 0), pending: Number(f.get('pending') ?? 0)};
	});
	return {exists: true, length: Number(info.get('length') ?? 0), groups};
}

export function streamTarget(key: string): ActionTarget {
	return {kind: 'stream', id: key, name: key};
}

export const deleteStream = defineAction<NoInputs>({
	id: 'delete-stream',
	title: 'Delete stream',
	key: 'D',
	severity: 'critical',
	targetKind: 'stream',
	multiTarget: false,
	mutates: true,
	uses: 'redis',
	inputSchema: noInputs,
	inputFields: [],
	describe: async ({env, targets}) => {
		const target = targets[0]!;
		const facts = await readStreamFacts(needRedis(env), target.id);
		const pending = facts.groups.reduce((sum, g) => sum + g.pending, 0);
		return {
			requests: [{kind: 'redis', command: ['DEL', target.id], display: `DEL ${target.id}`, targetId: target.id}],
			summary: facts.exists
				? `Deletes the stream ${target.id} and its consumer groups.`
				: `The stream ${target.id} does not exist; nothing would be deleted.`,
			irreversible: facts.exists
				? `Lost for good: ${plural(facts.length, 'message')}, ${plural(facts.groups.length, 'consumer group')}` +
					(facts.groups.length ? ` (${facts.groups.map((g) => `${g.name}: ${g.consumers} consumers, ${g.pending} pending`).join('; ')})` : '') +
					`, ${plural(pending, 'pending message')} never acknowledged.`
				: null,
			notes: [],
		};
	},
	preCheck: async ({env, targets}) => {
		const facts = await readStreamFacts(needRedis(env), targets[0]!.id);
		if (!facts.exists) return {proceed: false, reason: `the stream ${targets[0]!.id} is already gone; nothing sent`};
		return {proceed: true, targets};
	},
	effect: async ({env, targets}) => {
		const exists = Number(await needRedis(env).call('EXISTS', targets[0]!.id));
		return exists === 0 ? {seen: true, message: `${targets[0]!.id} is gone`} : {seen: false, message: `${targets[0]!.id} still exists`};
	},
});

export const memoryPurge = defineAction<NoInputs>({
	id: 'memory-purge',
	title: 'Redis MEMORY PURGE',
	key: 'M',
	severity: 'low',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: 'redis',
	inputSchema: noInputs,
	inputFields: [],
	extraAvailability: async (env) => {
		const allocator = await env.redisAllocator();
		if (allocator === null) return {available: false, reason: "the Redis memory allocator is not known yet (INFO memory had no mem_allocator)"};
		if (!allocator.startsWith('jemalloc')) {
			return {available: false, reason: `MEMORY PURGE only acts on a jemalloc build; this server uses ${allocator}`};
		}
		return {available: true};
	},
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({targets}) => ({
		requests: [{kind: 'redis', command: ['MEMORY', 'PURGE'], display: 'MEMORY PURGE', targetId: targets[0]!.id}],
		summary: "Asks Redis' allocator (jemalloc) to release dirty pages back to the operating system.",
		irreversible: null,
		notes: [],
	}),
});
