// Opens everything a one-shot command needs to run actions from a ResolvedConfig: the hive source (profile
// detected), the Redis source when configured, the ActionEnv, the audit log and the gate. The console
// builds its gate the same way from the sources its poller already has (createActionEnv + createGate).
import type {ResolvedConfig} from '../config/resolve.js';
import {createHiveSource, type HiveSource} from '../sources/hive-http.js';
import {createRedisSource, type RedisSource} from '../sources/redis-source.js';
import {openAuditLog} from './audit-log.js';
import {createActionEnv} from './env.js';
import {createGate, type Gate, type GateOptions, type ReadOnlyMode} from './gate.js';
import type {ActionEnv} from './types.js';

export interface ActionSession {
	gate: Gate;
	env: ActionEnv;
	close(): Promise<void>;
}

/** The name typed to confirm hive-wide critical actions: the context, else the hive's host:port. */
export function contextNameOf(config: Pick<ResolvedConfig, 'contextName' | 'hiveUrl'>): string {
	if (config.contextName) return config.contextName;
	try {
		return new URL(config.hiveUrl).host;
	} catch {
		return 'hive';
	}
}

export function readOnlyModeOf(config: Pick<ResolvedConfig, 'readOnly' | 'contextName'>, flagGiven: boolean): ReadOnlyMode {
	if (!config.readOnly) return {on: false, reason: ''};
	return {on: true, reason: flagGiven ? '--read-only' : `context "${config.contextName ?? '?'}" has readOnly: true`};
}

export async function openActionSession(
	config: ResolvedConfig,
	options: {readOnly: ReadOnlyMode; gate?: Partial<GateOptions>; timeoutMs?: number},
): Promise<ActionSession> {
	let hive: HiveSource | null = null;
	let redis: RedisSource | null = null;
	const close = async () => {
		await Promise.allSettled([hive?.close(), redis?.close()]);
	};
	try {
		hive = createHiveSource({baseUrl: config.hiveUrl, token: config.hiveToken, profile: config.apiProfile, timeoutMs: options.timeoutMs ?? 10_000, databaseUrl: config.databaseUrl});
		redis = config.redisUrl ? createRedisSource({url: config.redisUrl}) : null;
		const env = await createActionEnv({hive, redis, contextName: contextNameOf(config), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), staleHeartbeatSeconds: config.thresholds.staleHeartbeatSeconds});
		const gate = createGate({env, audit: openAuditLog(config.auditLogPath), readOnly: options.readOnly, ...options.gate});
		return {gate, env, close};
	} catch (error) {
		await close();
		throw error;
	}
}
