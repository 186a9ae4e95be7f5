// Mirrors the world onto a real Redis (docs/hive-contract.md, section 4): per-agent streams with their consumer
// groups, broadcast and role streams, agent_events. Messages the world sends are XADDed; agents really
// XREADGROUP their streams and XACK what they handled, so pending counts and lag are real, and a sick
// agent's backlog really grows. Redis going away never stops the simulator: /health says so and the
// bridge catches up when Redis is back (a restarted, empty Redis gets its groups again).
import {Redis} from 'ioredis';
import {describeError} from '../util/redact.js';
import type {StoreHealth} from './context.js';
import {PeriodicFlush} from './periodic-flush.js';
import {ROLES, type BusOp, type World} from './world.js';

const STREAM_CAP = '10000';
/** Connections the broken pool holds at most under the communication fault (two per affected agent). */
const LEAK_MAX = 40;
const OPS_PER_FLUSH = 5000;
const EXTRA_STREAMS: Array<[string, string | null]> = [
	['agent_messages:broadcast', 'broadcast_consumers'],
	['agent_events', 'event_processors'],
	['dead_letter_queue', null],
	['retry_queue', null],
	['poison_quarantine', null],
];

type Pipeline = ReturnType<Redis['pipeline']>;

export class RedisBridge {
	private readonly client: Redis;
	private readonly rhythm = new PeriodicFlush(() => this.flushOnce(), 250);
	private needSetup = true;
	/** Agents with messages they have not read yet. */
	private readonly unread = new Set<string>();
	private readonly drains = new Set<string>();
	private broadcastUnread = false;
	/**
	 * Under the communication fault the hive's pool leaks connections that sit blocked on a read forever:
	 * what the runbook's `redis-cli INFO clients` shows (connected_clients and blocked_clients up). Refresh
	 * pools (or the reset) ends the fault, and they are closed.
	 */
	private readonly leaked = new Set<Redis>();

	constructor(
		private readonly url: string,
		private readonly world: World,
		private readonly health: StoreHealth,
	) {
		this.client = new Redis(url, {
			// Dashboard-safe options (stack notes): fail fast while Redis is down, never queue blindly.
			maxRetriesPerRequest: 1,
			enableOfflineQueue: false,
			commandTimeout: 3000,
			connectTimeout: 3000,
			lazyConnect: true,
			retryStrategy: (times) => Math.min(200 * times, 2000),
		});
		this.client.on('ready', () => {
			this.needSetup = true;
		});
		this.client.on('error', (error) => {
			this.health.healthy = false;
			this.health.lastError = `Redis: ${describeError(error)}`;
		});
		this.client.on('close', () => {
			this.health.healthy = false;
			this.health.responseMs = null;
		});
	}

	async start(): Promise<void> {
		await this.client.connect().catch(() => undefined);
		await this.flush();
		this.rhythm.start();
	}

	/** The "refresh Redis pools" action: a real reconnect, and the leaked connections are closed. */
	refresh(): void {
		this.closeLeaked();
		this.client.disconnect(true);
	}

	private syncLeakedPool(): void {
		const affected = this.world.faults.communication ? this.world.agents.filter((a) => a.commAffected) : [];
		const want = Math.min(LEAK_MAX, affected.length * 2);
		if (want === 0) return this.closeLeaked();
		while (this.leaked.size < want) this.leak(`agent_messages:${affected[this.leaked.size % affected.length]!.id}`);
	}

	private leak(stream: string): void {
		const conn = new Redis(this.url, {connectionName: 'leanvibe-pool', maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null});
		conn.on('error', () => undefined);
		conn.once('end', () => this.leaked.delete(conn));
		this.leaked.add(conn);
		const block = async () => {
			await conn.connect();
			// XREAD without a group: it takes nothing from the agent's consumer group, it only waits.
			while (this.leaked.has(conn)) await conn.xread('BLOCK', 0, 'STREAMS', stream, '$');
		};
		block().catch(() => {
			this.leaked.delete(conn);
			conn.disconnect();
		});
	}

	private closeLeaked(): void {
		for (const conn of this.leaked) conn.disconnect();
		this.leaked.clear();
	}

	flush(): Promise<void> {
		return this.rhythm.flush();
	}

	private async flushOnce(): Promise<void> {
		if (this.client.status !== 'ready') {
			this.health.healthy = false;
			if (!this.health.lastError) this.health.lastError = `Redis: not connected (${this.client.status})`;
			return;
		}
		try {
			const t0 = performance.now();
			await this.client.ping();
			this.health.responseMs = performance.now() - t0;
			this.health.healthy = true;
			this.health.lastError = null;
			if (this.needSetup) {
				await this.setup();
				this.needSetup = false;
			}
			this.syncLeakedPool();
			await this.sendOps(this.world.bus.splice(0, OPS_PER_FLUSH));
			await this.readAndAck();
		} catch (error) {
			this.health.healthy = false;
			this.health.lastError = `Redis: ${describeError(error)}`;
		}
	}

	private createGroup(p: Pipeline, stream: string, group: string): void {
		// BUSYGROUP (the group exists) is the normal case after the first run: errors in a pipeline are
		// returned per command, not thrown.
		p.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
	}

	private async setup(): Promise<void> {
		const p = this.client.pipeline();
		for (const [stream, group] of EXTRA_STREAMS) {
			if (group) this.createGroup(p, stream, group);
			else p.xadd(stream, 'MAXLEN', '~', STREAM_CAP, '*', 'type', 'stream_created', 'timestamp', new Date(this.world.now).toISOString());
		}
		for (const role of ROLES) this.createGroup(p, `agent_messages:${role.stream}`, `${role.stream}_consumers`);
		let n = 0;
		for (const agent of this.world.agents) {
			this.createGroup(p, `agent_messages:${agent.id}`, `group_${agent.id}`);
			if (++n % 2000 === 0) await p.exec();
		}
		await p.exec();
	}

	private async sendOps(ops: BusOp[]): Promise<void> {
		if (ops.length === 0) return;
		const p = this.client.pipeline();
		for (const op of ops) {
			if (op.kind === 'xadd') {
				p.xadd(op.stream, 'MAXLEN', '~', STREAM_CAP, '*', ...Object.entries(op.fields).flat());
				const id = op.stream.slice('agent_messages:'.length);
				if (op.stream === 'agent_messages:broadcast') this.broadcastUnread = true;
				else if (this.world.agentById.has(id)) this.unread.add(id);
			} else if (op.kind === 'ensure-agent') {
				this.createGroup(p, `agent_messages:${op.agentId}`, `group_${op.agentId}`);
				if (op.stream) p.xadd(`agent_messages:${op.stream}`, 'MAXLEN', '~', STREAM_CAP, '*', 'type', 'agent_registered', 'agent_id', op.agentId, 'timestamp', new Date(this.world.now).toISOString());
			} else if (op.kind === 'delete-agent-streams') {
				await p.exec();
				await this.deleteAgentStreams();
				return this.sendOps(ops.slice(ops.indexOf(op) + 1));
			} else {
				this.drains.add(op.agentId);
			}
		}
		await p.exec();
	}

	/** SCAN, not KEYS (which blocks the server), then the groups agents need again. */
	private async deleteAgentStreams(): Promise<void> {
		let cursor = '0';
		do {
			const [next, keys] = await this.client.scan(cursor, 'MATCH', 'agent_messages:*', 'COUNT', 500);
			cursor = next;
			if (keys.length) await this.client.del(...keys);
		} while (cursor !== '0');
		this.unread.clear();
		this.broadcastUnread = false;
		this.needSetup = true;
	}

	private acks(agentId: string): boolean {
		const agent = this.world.agentById.get(agentId);
		return !!agent && !agent.sick && (agent.status === 'active' || agent.status === 'busy');
	}

	private reads(agentId: string): boolean {
		const agent = this.world.agentById.get(agentId);
		return !!agent && agent.status !== 'inactive' && agent.status !== 'maintenance' && agent.status !== 'shutting_down';
	}

	private async readAndAck(): Promise<void> {
		// A restarted agent first takes over what it left pending (id 0 = its own pending entries).
		for (const agentId of Array.from(this.drains)) {
			if (!this.acks(agentId)) continue;
			this.drains.delete(agentId);
			for (let i = 0; i < 50; i++) {
				const got = await this.readGroup(`agent_messages:${agentId}`, `group_${agentId}`, agentId, 1000, '0');
				if (got.length === 0) break;
				await this.client.xack(`agent_messages:${agentId}`, `group_${agentId}`, ...got);
			}
		}
		const targets = Array.from(this.unread).filter((id) => this.reads(id)).slice(0, 2000);
		if (targets.length) {
			const p = this.client.pipeline();
			for (const id of targets) {
				// A sick agent still reads, one message at a time, and never acknowledges: its pending list and
				// its lag both grow.
				p.xreadgroup('GROUP', `group_${id}`, id, 'COUNT', this.acks(id) ? 200 : 1, 'STREAMS', `agent_messages:${id}`, '>');
			}
			const results = (await p.exec()) ?? [];
			const ackP = this.client.pipeline();
			let acks = 0;
			results.forEach(([error, reply], i) => {
				const id = targets[i]!;
				if (error) {
					// NOGROUP: the stream was lost (Redis restarted); recreate and read next time.
					if (/NOGROUP/.test(String(error))) this.needSetup = true;
					return;
				}
				const ids = entryIds(reply);
				if (this.acks(id)) {
					this.unread.delete(id);
					if (ids.length) {
						ackP.xack(`agent_messages:${id}`, `group_${id}`, ...ids);
						acks++;
					}
				} else if (ids.length === 0) {
					this.unread.delete(id);
				}
			});
			if (acks) await ackP.exec();
		}
		await this.consumeShared('agent_events', 'event_processors', 'event-processor-1', 500);
		if (this.broadcastUnread) {
			const reader = this.world.agents.find((a) => this.acks(a.id));
			if (reader) {
				await this.consumeShared('agent_messages:broadcast', 'broadcast_consumers', reader.id, 200);
				this.broadcastUnread = false;
			}
		}
		for (const role of ROLES) {
			const reader = this.world.agents.find((a) => a.role === role.role && this.acks(a.id));
			if (reader) await this.consumeShared(`agent_messages:${role.stream}`, `${role.stream}_consumers`, reader.id, 200);
		}
	}

	private async consumeShared(stream: string, group: string, consumer: string, count: number): Promise<void> {
		const ids = await this.readGroup(stream, group, consumer, count, '>').catch((error: unknown) => {
			if (/NOGROUP/.test(String(error))) this.needSetup = true;
			return [] as string[];
		});
		if (ids.length) await this.client.xack(stream, group, ...ids);
	}

	private async readGroup(stream: string, group: string, consumer: string, count: number, from: string): Promise<string[]> {
		const reply = await this.client.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, from);
		return entryIds(reply);
	}

	async close(): Promise<void> {
		await this.rhythm.stop();
		this.closeLeaked();
		try {
			if (this.client.status === 'ready') await this.client.quit();
			else this.client.disconnect();
		} catch {
			this.client.disconnect();
		}
	}
}

function entryIds(reply: unknown): string[] {
	// [[stream, [[id, fields], ...]]] or null
	if (!Array.isArray(reply)) return [];
	const ids: string[] = [];
	for (const streamReply of reply) {
		const entries = Array.isArray(streamReply) ? streamReply[1] : null;
		if (!Array.isArray(entries)) continue;
		for (const entry of entries) if (Array.isArray(entry) && typeof entry[0] === 'string') ids.push(entry[0]);
	}
	return ids;
}
