// Builds the ActionEnv from the data sources, so that actions send through the one hive HTTP client
// (hive-client.ts) and the Redis source's connection, and read through the same polls the console shows.
import {normaliseActionReply} from '../contract/action-reply.js';
import type {HiveSource} from '../sources/hive-http.js';
import {HiveRequestError} from '../sources/hive-client.js';
import type {RedisSource} from '../sources/redis-source.js';
import {loadIoredis, waitReady} from '../sources/redis-connection.js';
import {RequestTimeoutError, type ActionEnv, type RedisCommander} from './types.js';

export interface ActionEnvOptions {
	hive: HiveSource;
	redis: RedisSource | null;
	/** The context name, or a stand-in such as the hive's host when no config context is used. */
	contextName: string;
	signal?: AbortSignal;
	/** The context's stale-heartbeat threshold (config `thresholds`), for choosing problem agents. */
	staleHeartbeatSeconds?: number;
}

function redisCommander(source: RedisSource): RedisCommander {
	return {
		async call(command, ...args) {
			await loadIoredis();
			const client = source.client();
			// The source turns the offline queue off, so a command before `ready` would fail at once.
			await waitReady(client, 3000, AbortSignal.timeout(3000));
			return client.call(command, ...args.map(String));
		},
	};
}

/** Detects the profile (one probe when auto) and wires the sources into an ActionEnv. */
export async function createActionEnv(options: ActionEnvOptions): Promise<ActionEnv> {
	const {hive, redis} = options;
	const profile = await hive.resolveProfile(options.signal);
	return {
		profile,
		contextName: options.contextName,
		...(options.staleHeartbeatSeconds === undefined ? {} : {staleHeartbeatSeconds: options.staleHeartbeatSeconds}),
		async send(request, signal) {
			try {
				const response = await hive.client.request(request.route, {
					...(request.params ? {params: request.params} : {}),
					...(request.query ? {query: request.query} : {}),
					...(request.body === undefined ? {} : {body: request.body}),
					signal,
				});
				return normaliseActionReply(response.status, response.json ?? response.text);
			} catch (error) {
				if (error instanceof HiveRequestError && error.status === null && /no answer within/.test(error.message)) {
					throw new RequestTimeoutError(error.message);
				}
				throw error;
			}
		},
		readHive: (signal) => hive.poll(signal),
		redis: redis ? redisCommander(redis) : null,
		async redisAllocator() {
			if (!redis) return null;
			const known = redis.memoryAllocator();
			if (known !== null) return known;
			const snapshot = await redis.poll(AbortSignal.timeout(5000));
			return snapshot.memory.allocator;
		},
	};
}
