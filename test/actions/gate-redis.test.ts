// The gate's rules, exercised with the Redis actions against a real redis-server: typed confirmation,
// read-only for every registry action, single flight, token reuse, the pre-check, dry run, and the audit
// log. Redis counts the commands it really received (INFO commandstats), so "sent once" is measured there.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startRedis, type RedisService} from '../harness/services.js';
import {createGate, type Gate} from '../../source/actions/gate.js';
import {openAuditLog, readAuditLog} from '../../source/actions/audit-log.js';
import {actions} from '../../source/actions/registry.js';
import type {ActionEnv} from '../../source/actions/types.js';
import type {ApiProfile} from '../../source/contract/types.js';
import {DEFAULT_BINDINGS} from '../../source/ui/keymap.js';

let redis: RedisService;
let client: Redis;
let dir: string;

beforeAll(async () => {
	redis = await startRedis();
	client = new Redis(redis.url, {maxRetriesPerRequest: 1});
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-actions-'));
});

afterAll(async () => {
	client?.disconnect();
	await redis?.cleanup();
	rmSync(dir, {recursive: true, force: true});
});

function env(profile: ApiProfile = 'runbook', allocator?: string): ActionEnv {
	return {
		profile,
		contextName: 'staging',
		// These tests exercise Redis actions only; a hive request would be a bug in the action under test.
		send: async () => {
			throw new Error('no hive in this test');
		},
		readHive: async () => {
			throw new Error('no hive in this test');
		},
		redis: {call: (command, ...args) => client.call(command, ...args.map(String))},
		redisAllocator: async () => allocator ?? String(/mem_allocator:(\S+)/.exec(await client.info('memory'))?.[1] ?? null),
	};
}

let auditFile: string;
function gate(options: {readOnly?: boolean; profile?: ApiProfile; allocator?: string} = {}): Gate {
	return createGate({
		env: env(options.profile, options.allocator),
		audit: openAuditLog(auditFile),
		readOnly: {on: options.readOnly ?? false, reason: '--read-only'},
		effectPollMs: 50,
		effectTimeoutMs: 2000,
	});
}

async function delCalls(): Promise<number> {
	const stats = await client.info('commandstats');
	return Number(/cmdstat_del:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

async function makeStream(key: string): Promise<void> {
	await client.del(key);
	await client.xgroup('CREATE', key, 'group_x', '0', 'MKSTREAM');
	for (let i = 0; i < 5; i++) await client.xadd(key, '*', 'message_id', String(i), 'payload', '{}');
	await client.xreadgroup('GROUP', 'group_x', 'consumer_x', 'COUNT', 3, 'STREAMS', key, '>');
}

beforeEach((ctx) => {
	auditFile = path.join(dir, `${ctx.task.id}.jsonl`);
});

describe('delete-stream through the gate', () => {
	it('says what is lost, rejects a wrong typed name, and deletes once with the right one', async () => {
		await makeStream('agent_messages:coordination');
		const g = gate();
		const prep = await g.prepare('delete-stream', [{kind: 'stream', id: 'agent_messages:coordination', name: 'agent_messages:coordination'}]);
		expect(prep.ok).toBe(true);
		if (!prep.ok) return;
		expect(prep.prepared.plan.requests.map((r) => r.display)).toEqual(['DEL agent_messages:coordination']);
		expect(prep.prepared.plan.irreversible).toContain('5 messages');
		expect(prep.prepared.plan.irreversible).toContain('1 consumer group');
		expect(prep.prepared.plan.irreversible).toContain('3 pending messages');
		expect(prep.prepared.confirmation).toMatchObject({kind: 'typed', expected: 'agent_messages:coordination'});

		const wrong = g.confirm(prep.prepared, {kind: 'typed', text: 'agent_messages:broadcast'});
		expect(wrong.ok).toBe(false);
		const notTyped = g.confirm(prep.prepared, {kind: 'confirm'});
		expect(notTyped.ok).toBe(false);
		const before = await delCalls();
		// Without a token from confirm() the gate sends nothing.
		const unconfirmed = await g.run(prep.prepared, null);
		expect(unconfirmed.status).toBe('refused');
		expect(await client.exists('agent_messages:coordination')).toBe(1);

		// A copy with another request is not the plan the operator saw: neither confirmable nor runnable.
		const forged = {...prep.prepared, plan: {...prep.prepared.plan, requests: [{kind: 'redis' as const, command: ['FLUSHALL'], display: 'FLUSHALL', targetId: 'x'}]}};
		expect(g.confirm(forged, {kind: 'typed', text: 'agent_messages:coordination'}).ok).toBe(false);
		const right = g.confirm(prep.prepared, {kind: 'typed', text: 'agent_messages:coordination'});
		expect(right.ok).toBe(true);
		if (!right.ok) return;
		const run = await g.run(prep.prepared, right.token);
		expect(run.status).toBe('confirmed');
		expect(run.confirmedBy).toBe('effect');
		expect(await client.exists('agent_messages:coordination')).toBe(0);
		expect((await delCalls()) - before).toBe(1);

		// The same confirmation cannot send it again.
		expect((await g.run(forged, right.token)).status).toBe('refused');
		const again = await g.run(prep.prepared, right.token);
		expect(again.status).toBe('refused');
		expect(again.message).toContain('already used');

		const {entries} = await readAuditLog(auditFile);
		expect(entries.map((e) => [e.phase, e.result])).toEqual([
			['intent', 'sending'],
			['reply', 'sent'],
			['effect', 'confirmed'],
		]);
		expect(entries[0]).toMatchObject({action: 'delete-stream', context: 'staging', requests: ['DEL agent_messages:coordination'], confirmation: 'typed name'});
		expect(entries[0]!.user).toBeTruthy();
		expect(entries[0]!.host).toBeTruthy();
		expect(typeof entries[2]!.durationMs).toBe('number');
	});

	it('sends once when run twice at the same time (single flight)', async () => {
		await makeStream('agent_messages:a1');
		const g = gate();
		const target = [{kind: 'stream' as const, id: 'agent_messages:a1', name: 'agent_messages:a1'}];
		const p1 = await g.prepare('delete-stream', target);
		const p2 = await g.prepare('delete-stream', target);
		if (!p1.ok || !p2.ok) throw new Error('prepare failed');
		const t1 = g.confirm(p1.prepared, {kind: 'typed', text: 'agent_messages:a1'});
		const t2 = g.confirm(p2.prepared, {kind: 'typed', text: 'agent_messages:a1'});
		if (!t1.ok || !t2.ok) throw new Error('confirm failed');
		const before = await delCalls();
		const first = g.start(p1.prepared, t1.token);
		const second = await g.run(p2.prepared, t2.token);
		expect(second.status).toBe('busy');
		expect(second.message).toContain('already running');
		expect((await first.done).status).toBe('confirmed');
		expect((await delCalls()) - before).toBe(1);
		const statuses = g.history.getState().runs.map((r) => r.status);
		expect(statuses).toEqual(['confirmed', 'busy']);
	});

	it('sends nothing when the stream is already gone by the time it runs (pre-check)', async () => {
		await makeStream('agent_messages:a2');
		const g = gate();
		const prep = await g.prepare('delete-stream', [{kind: 'stream', id: 'agent_messages:a2', name: 'agent_messages:a2'}]);
		if (!prep.ok) throw new Error(prep.reason);
		const token = g.confirm(prep.prepared, {kind: 'typed', text: 'agent_messages:a2'});
		if (!token.ok) throw new Error(token.reason);
		await client.del('agent_messages:a2');
		const before = await delCalls();
		const run = await g.run(prep.prepared, token.token);
		expect(run.status).toBe('skipped');
		expect(run.message).toContain('already gone');
		expect((await delCalls()) - before).toBe(0);
		const {entries} = await readAuditLog(auditFile);
		expect(entries.map((e) => e.phase)).toEqual(['skipped']);
	});

	it('dry run shows the command and sends nothing', async () => {
		await makeStream('agent_messages:a3');
		const g = gate();
		const prep = await g.prepare('delete-stream', [{kind: 'stream', id: 'agent_messages:a3', name: 'agent_messages:a3'}]);
		if (!prep.ok) throw new Error(prep.reason);
		const run = await g.run(prep.prepared, null, {dryRun: true});
		expect(run.status).toBe('dry-run');
		expect(run.requests).toEqual(['DEL agent_messages:a3']);
		expect(await client.exists('agent_messages:a3')).toBe(1);
		expect((await readAuditLog(auditFile)).entries).toEqual([]);
	});

	it('sends nothing when the audit log cannot be written', async () => {
		await makeStream('agent_messages:a5');
		const blocker = path.join(dir, 'not-a-dir');
		writeFileSync(blocker, '');
		const g = createGate({env: env(), audit: openAuditLog(path.join(blocker, 'audit.jsonl')), effectPollMs: 50});
		const prep = await g.prepare('delete-stream', [{kind: 'stream', id: 'agent_messages:a5', name: 'agent_messages:a5'}]);
		if (!prep.ok) throw new Error(prep.reason);
		const token = g.confirm(prep.prepared, {kind: 'typed', text: 'agent_messages:a5'});
		if (!token.ok) throw new Error(token.reason);
		const run = await g.run(prep.prepared, token.token);
		expect(run.status).toBe('failed');
		expect(run.message).toContain('nothing sent');
		expect(run.message).toContain('--audit-log');
		expect(await client.exists('agent_messages:a5')).toBe(1);
	});

	it('refuses a key that is not a stream instead of deleting it', async () => {
		await client.set('agent_messages:not-a-stream', 'x');
		const prep = await gate().prepare('delete-stream', [{kind: 'stream', id: 'agent_messages:not-a-stream', name: 'agent_messages:not-a-stream'}]);
		expect(prep.ok).toBe(false);
		if (!prep.ok) expect(prep.reason).toContain('not a stream');
		expect(await client.exists('agent_messages:not-a-stream')).toBe(1);
	});
});

describe('memory-purge', () => {
	it('runs on a jemalloc server and is disabled with the reason elsewhere', async () => {
		const allocator = String(/mem_allocator:(\S+)/.exec(await client.info('memory'))?.[1]);
		const libc = gate({allocator: 'libc'});
		const listing = await libc.availability(actions.find((a) => a.id === 'memory-purge')!);
		expect(listing).toEqual({available: false, reason: 'MEMORY PURGE only acts on a jemalloc build; this server uses libc'});
		const refused = await libc.prepare('memory-purge');
		expect(refused.ok).toBe(false);
		if (!allocator.startsWith('jemalloc')) return expect(allocator).toMatch(/jemalloc/);
		const g = gate();
		const prep = await g.prepare('memory-purge');
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.confirmation.kind).toBe('yes');
		const token = g.confirm(prep.prepared, {kind: 'yes'});
		if (!token.ok) throw new Error(token.reason);
		const run = await g.run(prep.prepared, token.token);
		expect(run.status).toBe('confirmed');
		expect(run.replies[0]!.message).toBe('OK');
	});
});

describe('read-only mode', () => {
	it('blocks every action in the registry that changes anything, everywhere in the gate', async () => {
		for (const profile of ['runbook', 'beehive'] as const) {
			const g = gate({readOnly: true, profile});
			const open = gate({profile});
			for (const action of actions) {
				const listing = await g.availability(action);
				const prep = await g.prepare(action.id, action.targetKind === 'stream' ? [{kind: 'stream', id: 'agent_messages:x', name: 'agent_messages:x'}] : undefined);
				if (action.mutates) {
					expect(listing, action.id).toEqual({available: false, reason: `read-only mode (--read-only): ${action.title} is not available`});
					expect(prep.ok, action.id).toBe(false);
				} else {
					// Analyses stay readable, and only ever plan GETs (the gate also refuses them otherwise).
					const planned = await open.prepare(action.id);
					if (planned.ok) expect(planned.prepared.plan.requests.every((r) => r.kind === 'http' && r.method === 'GET'), action.id).toBe(true);
				}
			}
		}
		expect((await readAuditLog(auditFile)).entries).toEqual([]);
	});

	it('refuses at run time too, even with a confirmation obtained before read-only was on', async () => {
		await makeStream('agent_messages:a4');
		const open = gate();
		const prep = await open.prepare('delete-stream', [{kind: 'stream', id: 'agent_messages:a4', name: 'agent_messages:a4'}]);
		if (!prep.ok) throw new Error(prep.reason);
		const token = open.confirm(prep.prepared, {kind: 'flag-yes'});
		if (!token.ok) throw new Error(token.reason);
		const run = await gate({readOnly: true}).run(prep.prepared, token.token);
		expect(run.status).toBe('refused');
		expect(run.message).toContain('read-only');
		expect(await client.exists('agent_messages:a4')).toBe(1);
	});
});

describe('registry', () => {
	it("gives every action a key that is neither a navigation key, a Ctrl- key, nor any of the console's own keys, and unique", () => {
		const reserved = new Set(['1', '2', '3', '4', '5', '6', 'j', 'k', 'g', 'G', 'q', 'p', 'r', 's', 'S', 'z', '/', '?', '+', '-', ...DEFAULT_BINDINGS.flatMap((b) => b.keys)]);
		const keys = actions.map((a) => a.key);
		for (const key of keys) {
			expect(key).toHaveLength(1);
			expect(reserved.has(key), key).toBe(false);
		}
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('rejects inputs out of range and unknown inputs, naming the field and the range', async () => {
		const g = gate();
		const bad = await g.prepare('cleanup-tasks', undefined, {days: '0'});
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.reason).toMatch(/days.*1–365 days/);
		const unknown = await g.prepare('scale-up', undefined, {counts: '2'});
		expect(unknown.ok).toBe(false);
		if (!unknown.ok) expect(unknown.reason).toContain('has no input counts');
		const ok = await g.prepare('scale-up', undefined, {count: '3'});
		expect(ok.ok).toBe(true);
		if (ok.ok) expect(ok.prepared.plan.requests[0]!.display).toBe('POST /api/v1/agents/scale-up {"count":3}');
	});

	it('shows an action the profile lacks as unavailable with the reason, and never plans a request for it', async () => {
		const g = gate({profile: 'beehive'});
		const cancel = actions.find((a) => a.id === 'cancel-task')!;
		const availability = await g.availability(cancel);
		expect(availability.available).toBe(false);
		if (!availability.available) expect(availability.reason).toContain('reassign');
		const prep = await g.prepare('cancel-task', [{kind: 'task', id: 't1', name: 't1'}]);
		expect(prep.ok).toBe(false);
	});
});
