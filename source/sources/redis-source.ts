// The Redis source: finds the hive's streams with SCAN (never KEYS), reads each stream's groups, consumers
// and pending summary in pipelines, plus INFO clients/memory, within a stream cap and a time budget per poll.
// On a Redis Cluster every master is scanned and its keys are read on that master.
import type {Cluster, Redis} from 'ioredis';
import type {ConnectionOptions} from 'node:tls';
import type {RedisSnapshot, StreamGroup, StreamInfo} from '../contract/snapshot.js';
import {SourceError, type Source} from './source.js';
import {describeError} from '../util/redact.js';
import {
	classifyRedisError,
	createCluster,
	createStandalone,
	loadIoredis,
	parseRedisUrl,
	waitReady,
	type ConnectionSettings,
	type RedisTarget,
} from './redis-connection.js';
import {
	buildGroup,
	buildStream,
	infoNumber,
	parseInfo,
	parseXinfoGroups,
	parseXinfoStream,
	type ParsedGroup,
	type ParsedStream,
} from './redis-parse.js';

export const STREAM_PATTERN = 'agent_messages:*';
export const DEFAULT_EXTRA_KEYS = ['agent_events', 'dead_letter_queue', 'retry_queue', 'poison_quarantine'];

export interface RedisSourceOptions {
	/** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
	url: string;
	/** Streams read besides `agent_messages:*`; default DEFAULT_EXTRA_KEYS. Absent keys are skipped. */
	extraKeys?: string[];
	/** Streams read per poll at most (default 1000); more sets `truncated`. */
	maxStreams?: number;
	/** Wall time one poll may spend on streams (default 2000 ms); the rest is reported as truncated. */
	timeBudgetMs?: number;
	/** Per command (default 1500 ms). */
	commandTimeoutMs?: number;
	/** How long a poll waits for the connection to become ready (default: commandTimeoutMs, else 2000 ms). */
	connectTimeoutMs?: number;
	/** 'auto' (default): use Cluster mode when INFO cluster says cluster_enabled:1. */
	cluster?: 'auto' | boolean;
	/** Extra TLS options for rediss:// (e.g. `ca` for a private CA). */
	tls?: ConnectionOptions;
}

export interface RedisSource extends Source<RedisSnapshot> {
	/** The live connection, for recovery actions (DEL, XGROUP ...). Cluster routes keyed commands itself. */
	client(): Redis | Cluster;
	/** One connection per master (the single client when standalone), for per-server commands such as MEMORY PURGE. */
	nodes(): Redis[];
	/** From the last poll's INFO memory (`jemalloc-5.3.0`, `libc`); null before the first poll. */
	memoryAllocator(): string | null;
	/** True once a poll found the server to be a cluster node. */
	isCluster(): boolean;
}

const SCAN_COUNT = 500;
const DETAIL_BATCH = 100;

type PipelineResult = Array<[Error | null, unknown]> | null;

async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<Array<[Error | null, unknown]>> {
	const result = (await pipeline.exec()) as PipelineResult;
	return result ?? [];
}

/**
 * Never throws: a malformed URL surfaces from poll() as a misconfigured SourceError, so one bad setting
 * shows up as that source's state instead of stopping the console.
 */
export function createRedisSource(options: RedisSourceOptions): RedisSource {
	let target: RedisTarget;
	let setupError: SourceError | null = null;
	try {
		target = parseRedisUrl(options.url);
	} catch (error) {
		setupError = error instanceof SourceError ? error : new SourceError('redis', 'misconfigured', 'redis: the URL is not valid (--redis / REDIS_URL)');
		target = {host: '127.0.0.1', port: 6379, username: undefined, password: undefined, db: 0, tls: false, display: 'redis (invalid URL)'};
	}
	const extraKeys = [...new Set(options.extraKeys ?? DEFAULT_EXTRA_KEYS)];
	const maxStreams = Math.max(1, options.maxStreams ?? 1000);
	const timeBudgetMs = options.timeBudgetMs ?? 2000;
	const settings: ConnectionSettings = {
		commandTimeoutMs: options.commandTimeoutMs ?? 1500,
		connectTimeoutMs: options.connectTimeoutMs ?? options.commandTimeoutMs ?? 2000,
		tls: options.tls,
	};
	let lastConnectionError: unknown = null;
	const onError = (error: unknown) => {
		lastConnectionError = error;
	};
	let standalone: Redis | null = null;
	let cluster: Cluster | null = null;
	let clusterDetected = options.cluster === true;
	// Asked once: a server does not turn into a cluster node while it keeps its address.
	let clusterChecked = false;
	let allocator: string | null = null;
	let closed = false;

	const current = (): Redis | Cluster => {
		if (cluster) return cluster;
		standalone ??= createStandalone(target, settings, onError);
		return standalone;
	};

	const connectionError = (command: string, fallback: unknown): SourceError =>
		classifyRedisError(lastConnectionError ?? fallback, target, command);

	// Started now, not at the first poll: an action may ask for the connection (client()) right after.
	const library = loadIoredis();
	library.catch(() => undefined);

	async function ready(signal: AbortSignal): Promise<Redis[]> {
		if (setupError) throw setupError;
		if (closed) throw new SourceError('redis', 'misconfigured', 'redis: source is closed');
		try {
			await library;
		} catch (error) {
			throw new SourceError('redis', 'misconfigured', `redis: could not load the ioredis library (${describeError(error)}); reinstall with npm ci`);
		}
		if (clusterDetected && !cluster) {
			standalone?.disconnect();
			standalone = null;
			cluster = createCluster(target, settings, onError);
		}
		const client = current();
		try {
			await waitReady(client, settings.connectTimeoutMs, signal);
		} catch (error) {
			throw connectionError('connect', error);
		}
		lastConnectionError = null;
		if (!cluster) {
			if ((options.cluster === 'auto' || options.cluster === undefined) && !clusterChecked) {
				const info = parseInfo(await runOne(client as Redis, 'INFO cluster', (c) => c.info('cluster')));
				clusterChecked = true;
				if (info.get('cluster_enabled') === '1') {
					clusterDetected = true;
					return ready(signal);
				}
			}
			return [client as Redis];
		}
		const masters = cluster.nodes('master');
		if (masters.length === 0) throw new SourceError('redis', 'down', `redis cluster (${target.display}): no master nodes known yet; is the cluster up (redis-cli --cluster check)?`);
		await Promise.all(
			masters.map(async (node) => {
				try {
					await waitReady(node, settings.connectTimeoutMs, signal);
				} catch (error) {
					throw classifyRedisError(error, {display: `${node.options.host}:${node.options.port}`}, 'connect');
				}
			}),
		);
		return masters;
	}

	async function runOne<T>(node: Redis, command: string, run: (c: Redis) => Promise<T>): Promise<T> {
		try {
			return await run(node);
		} catch (error) {
			throw classifyRedisError(error, displayOf(node), command);
		}
	}

	function displayOf(node: Redis): {display: string} {
		return cluster ? {display: `${node.options.host}:${node.options.port}`} : target;
	}

	async function readServerInfo(nodes: Redis[]) {
		const infos = await Promise.all(
			nodes.map(async (node) => {
				const results = await exec(node.pipeline().info('server').info('clients').info('memory'));
				const failed = results.find(([e]) => e);
				if (failed) throw classifyRedisError(failed[0], displayOf(node), 'INFO');
				const map = new Map<string, string>();
				for (const [, text] of results) for (const [k, v] of parseInfo(text)) map.set(k, v);
				return map;
			}),
		);
		const sum = (key: string) => {
			const values = infos.map((i) => infoNumber(i, key));
			return values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0);
		};
		let maxClients = infoNumber(infos[0]!, 'maxclients');
		if (maxClients === null) {
			// Older servers keep maxclients out of INFO; CONFIG may be renamed or forbidden, so it is optional.
			try {
				const reply = (await nodes[0]!.config('GET', 'maxclients')) as unknown;
				maxClients = Array.isArray(reply) && reply.length >= 2 ? Number(reply[1]) : null;
			} catch {
				maxClients = null;
			}
		}
		allocator = infos[0]!.get('mem_allocator') ?? null;
		return {
			clients: {connected: sum('connected_clients'), blocked: sum('blocked_clients'), maxClients},
			memory: {usedBytes: sum('used_memory'), peakBytes: sum('used_memory_peak'), allocator},
			serverVersion: infos[0]!.get('redis_version') ?? null,
		};
	}

	/** SCAN one node for the pattern; stops early past `limit` keys or at the deadline. */
	async function scanNode(node: Redis, found: Set<string>, limit: number, deadline: number, signal: AbortSignal): Promise<boolean> {
		let cursor = '0';
		do {
			signal.throwIfAborted();
			const [next, keys] = await runOne(node, 'SCAN', (c) => c.scan(cursor, 'MATCH', STREAM_PATTERN, 'COUNT', SCAN_COUNT));
			// Pages can be empty while the cursor is not 0, and a key can come back twice.
			for (const key of keys) found.add(key);
			cursor = next;
			if (found.size > limit || Date.now() > deadline) return cursor === '0';
		} while (cursor !== '0');
		return true;
	}

	interface StreamHead {
		key: string;
		stream: ParsedStream;
		groups: ParsedGroup[];
	}

	async function readHeads(node: Redis, keys: string[]): Promise<StreamHead[]> {
		const pipeline = node.pipeline();
		for (const key of keys) pipeline.type(key).xinfo('STREAM', key).xinfo('GROUPS', key);
		const results = await exec(pipeline);
		const heads: StreamHead[] = [];
		keys.forEach((key, i) => {
			const [typeErr, type] = results[i * 3] ?? [null, null];
			if (typeErr) throw classifyRedisError(typeErr, displayOf(node), 'TYPE');
			if (type !== 'stream') return; // absent ("none") or another type: not ours to read
			const [streamErr, streamReply] = results[i * 3 + 1] ?? [null, null];
			const [groupsErr, groupsReply] = results[i * 3 + 2] ?? [null, null];
			for (const e of [streamErr, groupsErr]) {
				if (e && /NOPERM|NOAUTH|WRONGPASS/.test(e.message)) throw classifyRedisError(e, displayOf(node), 'XINFO');
			}
			// Deleted between SCAN and XINFO: skip it this poll.
			if (streamErr) return;
			heads.push({key, stream: parseXinfoStream(streamReply), groups: groupsErr ? [] : parseXinfoGroups(groupsReply)});
		});
		return heads;
	}

	async function readGroups(node: Redis, heads: StreamHead[]): Promise<StreamInfo[]> {
		const pipeline = node.pipeline();
		for (const head of heads) {
			for (const group of head.groups) {
				pipeline.xinfo('CONSUMERS', head.key, group.name).xpending(head.key, group.name).xpending(head.key, group.name, '-', '+', 1);
			}
		}
		const results = heads.some((h) => h.groups.length > 0) ? await exec(pipeline) : [];
		let at = 0;
		return heads.map((head) => {
			const groups: StreamGroup[] = head.groups.map((group) => {
				const [consumers, pending, oldest] = [results[at], results[at + 1], results[at + 2]];
				at += 3;
				return buildGroup(group, consumers?.[0] ? null : consumers?.[1], pending?.[0] ? null : pending?.[1], oldest?.[0] ? null : oldest?.[1]);
			});
			return buildStream(head.key, head.stream, groups);
		});
	}

	async function pollOnce(signal: AbortSignal): Promise<RedisSnapshot> {
		const started = Date.now();
		const deadline = started + timeBudgetMs;
		const nodes = await ready(signal);
		const server = await readServerInfo(nodes);

		// Which keys live on which node: on a cluster each master only SCANs its own slots.
		const keysByNode = new Map<Redis, string[]>();
		let scanComplete = true;
		const seen = new Set<string>();
		for (const node of nodes) {
			const found = new Set<string>();
			const complete = await scanNode(node, found, maxStreams - seen.size, deadline, signal);
			scanComplete &&= complete;
			const fresh = [...found].filter((k) => !seen.has(k));
			fresh.forEach((k) => seen.add(k));
			keysByNode.set(node, fresh);
			if (seen.size > maxStreams || Date.now() > deadline) {
				scanComplete = scanComplete && nodes.indexOf(node) === nodes.length - 1;
				break;
			}
		}
		// Extra keys go first so the well-known queues are never the ones cut by the cap.
		for (const key of extraKeys) {
			if (seen.has(key)) continue;
			seen.add(key);
			const node = cluster ? (cluster.slots[keySlot(key)]?.[0] ? nodeFor(nodes, cluster.slots[keySlot(key)]![0]!) : nodes[0]!) : nodes[0]!;
			keysByNode.set(node, [key, ...(keysByNode.get(node) ?? [])]);
		}
		const ordered: Array<{node: Redis; key: string}> = [];
		for (const [node, keys] of keysByNode) {
			const [extras, scanned] = [keys.filter((k) => extraKeys.includes(k)), keys.filter((k) => !extraKeys.includes(k)).sort()];
			for (const key of [...extras, ...scanned]) ordered.push({node, key});
		}
		ordered.sort((a, b) => Number(extraKeys.includes(b.key)) - Number(extraKeys.includes(a.key)));

		const streams: StreamInfo[] = [];
		let truncatedReason: string | null = null;
		let index = 0;
		while (index < ordered.length) {
			signal.throwIfAborted();
			if (streams.length >= maxStreams) {
				truncatedReason = `stream cap reached: showing ${maxStreams} streams of more that match ${STREAM_PATTERN}; raise the stream cap to see all`;
				break;
			}
			if (Date.now() > deadline) {
				truncatedReason = `time budget of ${timeBudgetMs} ms spent after ${streams.length} streams; the rest were not read this poll`;
				break;
			}
			const batch = ordered.slice(index, index + DETAIL_BATCH);
			index += batch.length;
			const byNode = new Map<Redis, string[]>();
			for (const {node, key} of batch) byNode.set(node, [...(byNode.get(node) ?? []), key]);
			for (const [node, keys] of byNode) {
				const heads = await readHeads(node, keys);
				streams.push(...(await readGroups(node, heads)));
			}
		}
		if (streams.length > maxStreams) streams.length = maxStreams;
		if (!truncatedReason && !scanComplete) {
			truncatedReason =
				Date.now() > deadline
					? `time budget of ${timeBudgetMs} ms spent while scanning keys; some streams were not found this poll`
					: `stream cap reached: more than ${maxStreams} keys match ${STREAM_PATTERN}; raise the stream cap to see all`;
		}
		streams.sort((a, b) => Number(extraKeys.includes(b.key)) - Number(extraKeys.includes(a.key)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		return {
			at: Date.now(),
			streams,
			truncated: truncatedReason !== null,
			truncatedReason,
			clients: server.clients,
			memory: server.memory,
			serverVersion: server.serverVersion,
			cluster: cluster !== null,
		};
	}

	return {
		name: 'redis',
		async poll(signal: AbortSignal): Promise<RedisSnapshot> {
			try {
				return await withAbort(pollOnce(signal), signal);
			} catch (error) {
				if (error instanceof SourceError) throw error;
				if (signal.aborted) {
					throw new SourceError('redis', 'down', `redis (${target.display}): poll stopped at its deadline; Redis is slow or the stream cap is too high`, {cause: error});
				}
				throw classifyRedisError(error, target, 'poll');
			}
		},
		async close(): Promise<void> {
			closed = true;
			const clients: Array<Redis | Cluster | null> = [standalone, cluster];
			standalone = null;
			cluster = null;
			for (const c of clients) c?.disconnect();
		},
		client: current,
		nodes: () => (cluster ? cluster.nodes('master') : [current() as Redis]),
		memoryAllocator: () => allocator,
		isCluster: () => cluster !== null,
	};
}

function withAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) {
		work.catch(() => undefined);
		return Promise.reject(signal.reason);
	}
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, {once: true});
		work.then(
			(v) => {
				signal.removeEventListener('abort', onAbort);
				resolve(v);
			},
			(e) => {
				signal.removeEventListener('abort', onAbort);
				reject(e);
			},
		);
	});
}

function nodeFor(nodes: Redis[], hostPort: string): Redis {
	return nodes.find((n) => `${n.options.host}:${n.options.port}` === hostPort) ?? nodes[0]!;
}

// CRC16/XMODEM as Redis Cluster uses it, with hash tags: which slot (and so which master) owns a key.
function crc16(text: string): number {
	let crc = 0;
	for (const byte of Buffer.from(text)) {
		crc ^= byte << 8;
		for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc;
}

function keySlot(key: string): number {
	const open = key.indexOf('{');
	if (open >= 0) {
		const close = key.indexOf('}', open + 1);
		if (close > open + 1) return crc16(key.slice(open + 1, close)) % 16384;
	}
	return crc16(key) % 16384;
}
