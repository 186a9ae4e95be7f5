// The console's wiring, kept out of the UI so source/ui/ only mounts and draws: the data layer's app with
// the log source, a disabled source's "how to enable" line, the poll controls the UI asks for, and what
// the recovery actions run on (the ActionEnv over the sources the poller already has, the gate with the
// audit log and read-only mode). The gate needs the hive's API profile first, so it arrives as a promise
// and the console opens without waiting for it.
import {createActionEnv, createGate, openAuditLog, type Gate, type GateOptions, type ReadOnlyMode} from '../actions/index.js';
import type {EscalationPath} from '../actions/playbooks.js';
import type {ResolvedConfig} from '../config/resolve.js';
import type {HiveSnapshot, SourceName} from '../contract/snapshot.js';
import {selectAssessment} from '../model/select.js';
import type {Assessment, Thresholds} from '../model/types.js';
import {createLogSource} from '../sources/logs-source.js';
import {createHiveLogSource, HIVE_LOGS_SPEC} from '../sources/hive-logs.js';
import {deadlineMs, type PolledSource} from '../poller/index.js';
import type {HiveStore} from '../store/store.js';
import {createHiveApp, type HiveApp} from './create.js';
import {followHiveSocket} from './live-updates.js';

/** A followed file or command, or the hive's own coordination log (`--logs hive`, read every third interval). */
function logSourceFor(config: ResolvedConfig, spec: string): PolledSource {
	if (spec.trim() !== HIVE_LOGS_SPEC) return {source: createLogSource({spec})};
	return {source: createHiveLogSource({baseUrl: config.hiveUrl, token: config.hiveToken, timeoutMs: Math.max(200, Math.round(deadlineMs(config.intervalMs * 3) * 0.75))}), intervalFactor: 3};
}

/**
 * The data layer for the console: every configured source plus the log source when logs are configured,
 * and the hive's dashboard WebSocket followed where the hive may have one (not on the runbook profile).
 */
export function createConsoleApp(config: ResolvedConfig): HiveApp {
	const extraSources = config.logs ? [logSourceFor(config, config.logs)] : [];
	const app = createHiveApp(config, {extraSources});
	if (!config.webSocket || config.apiProfile === 'runbook') return app;
	const stopSocket = followHiveSocket(app);
	return {
		...app,
		close: () => {
			stopSocket();
			return app.close();
		},
	};
}

/** A source that is off says why on its pane (the demo: which package to install). */
export function applyDisabledHints(store: HiveStore, hints: Partial<Record<SourceName, string>> = {}): void {
	for (const [name, hint] of Object.entries(hints) as Array<[SourceName, string]>) {
		if (store.getState().sources[name]?.state === 'disabled') store.getState().setSourceStatus(name, {lastError: hint});
	}
}

/** What the UI asks of the poller. */
export function pollControls(app: HiveApp) {
	return {
		pause: () => app.poller.pause(),
		resume: () => app.poller.resume(),
		refreshNow: () => void app.poller.refreshNow(),
		setIntervalMs: (ms: number) => app.poller.setInterval(ms),
	};
}

/** What the console's action controller runs on: the gate (a promise) and the data it judges by. */
export interface ConsoleActionSources {
	gate: Promise<Gate>;
	assessment(): Assessment | null;
	thresholds(): Thresholds | undefined;
	escalation: EscalationPath | null;
	hive(): HiveSnapshot | null;
}

export function consoleActionSources(app: HiveApp, options: {contextName: string; readOnly: ReadOnlyMode; gate?: Partial<GateOptions>}): ConsoleActionSources {
	const gate = createActionEnv({
		hive: app.hive,
		redis: app.redis,
		contextName: options.contextName,
		signal: AbortSignal.timeout(30_000),
		// Problem agents are chosen and re-checked with the context's threshold, as the agents pane marks them.
		staleHeartbeatSeconds: app.config.thresholds.staleHeartbeatSeconds,
	}).then((env) => createGate({env, audit: openAuditLog(app.config.auditLogPath), readOnly: options.readOnly, ...options.gate}));
	return {
		gate,
		// At the wall clock, as the console's header judges it, until the console has drawn one.
		assessment: () => selectAssessment(app.store.getState(), Date.now()),
		// A playbook judges recovery with the context's thresholds and names its escalation contacts.
		thresholds: () => app.store.getState().thresholds,
		escalation: app.config.escalation,
		hive: () => app.store.getState().snapshots.hive,
	};
}
