// Wiring shared by every long-running or one-shot user of the data layer (status, check, watch, the
// console, the demo): build the configured sources from a ResolvedConfig, create the store and the poller.
import type {ResolvedConfig} from '../config/resolve.js';
import {createPoller, deadlineMs, type PolledSource, type Poller, type PollerOptions} from '../poller/index.js';
import {createHiveSource, type HiveSource} from '../sources/hive-http.js';
import {createRedisSource, type RedisSource} from '../sources/redis-source.js';
import {createPostgresSource} from '../sources/postgres-source.js';
import type {Source} from '../sources/source.js';
import {createHiveStore, type HiveStore} from '../store/store.js';
import type {SourceName} from '../contract/snapshot.js';

export interface HiveApp {
	config: ResolvedConfig;
	store: HiveStore;
	poller: Poller;
	/** The hive source (its `client` is what recovery actions send through). */
	hive: HiveSource;
	/** The Redis source when configured (DEL and MEMORY PURGE go through its connection). */
	redis: RedisSource | null;
	/** Every polled source, the hive first. */
	sources: Source<unknown>[];
	/** Stops the poller and closes every source. Idempotent. */
	close(): Promise<void>;
}

export interface CreateHiveAppOptions {
	/** Which sources to poll (default: every configured one). `check` reads the hive only. */
	include?: SourceName[];
	/** Extra sources built elsewhere (the log source), polled like the rest. */
	extraSources?: PolledSource[];
	maxBackoffMs?: number;
	onPollSettled?: PollerOptions['onPollSettled'];
}

/** Why a source is off, and how to turn it on (shown in its pane and in `status`). */
export function disabledHints(config: ResolvedConfig): Partial<Record<SourceName, string>> {
	const where = config.contextName ? `contexts.${config.contextName}` : 'a context';
	const hints: Partial<Record<SourceName, string>> = {};
	if (!config.redisUrl) hints.redis = `redis: not configured; pass --redis URL, set REDIS_URL, or add "redis" to ${where} in the config file`;
	if (!config.databaseUrl) {
		hints.postgres = `postgres: not configured; pass --database URL, set DATABASE_URL, or add "database" to ${where} in the config file`;
	}
	if (!config.logs) hints.logs = `logs: not configured; pass --logs FILE, --logs "cmd:COMMAND" or --logs hive (the hive's own coordination log), or add "logs" to ${where} in the config file`;
	return hints;
}

export function createHiveApp(config: ResolvedConfig, options: CreateHiveAppOptions = {}): HiveApp {
	const include = new Set<SourceName>(options.include ?? ['hive', 'redis', 'postgres', 'logs']);
	const deadline = deadlineMs(config.intervalMs);
	const hive = createHiveSource({
		baseUrl: config.hiveUrl,
		token: config.hiveToken,
		profile: config.apiProfile,
		// Shorter than the poll's deadline, so one hanging endpoint becomes a partial error and the rest stands.
		timeoutMs: Math.max(200, Math.round(deadline * 0.75)),
		// The runbook profile's stuck list has ids only: with a database, titles and agents come from its tasks table.
		databaseUrl: include.has('postgres') ? config.databaseUrl : null,
	});
	const polled: PolledSource[] = [{source: hive}];
	const disabled = disabledHints(config);
	for (const name of ['redis', 'postgres', 'logs'] as const) {
		if (!include.has(name)) disabled[name] = `${name}: not read by this command`;
	}
	let redis: RedisSource | null = null;
	if (config.redisUrl && include.has('redis')) {
		polled.push({source: (redis = createRedisSource({url: config.redisUrl, extraKeys: config.redisStreams ?? undefined, timeBudgetMs: Math.max(200, Math.round(deadline * 0.6)), commandTimeoutMs: Math.max(200, Math.round(deadline * 0.5))}))});
	}
	if (config.databaseUrl && include.has('postgres')) {
		// pg_stat_statements changes slowly and its queries cost the database something: half as often.
		polled.push({source: createPostgresSource({url: config.databaseUrl, statementTimeoutMs: Math.max(200, Math.round(deadline * 0.75))}), intervalFactor: 2});
	}
	for (const extra of options.extraSources ?? []) {
		if (include.has(extra.source.name)) {
			polled.push(extra);
			delete disabled[extra.source.name];
		}
	}
	const store = createHiveStore({intervalMs: config.intervalMs, thresholds: config.thresholds, disabled});
	const poller = createPoller({store, sources: polled, maxBackoffMs: options.maxBackoffMs, onPollSettled: options.onPollSettled});
	const sources = polled.map((p) => p.source);
	let closing: Promise<void> | null = null;
	return {
		config,
		store,
		poller,
		hive,
		redis,
		sources,
		close() {
			closing ??= (async () => {
				await poller.stop();
				await Promise.allSettled(sources.map((s) => s.close()));
			})();
			return closing;
		},
	};
}
