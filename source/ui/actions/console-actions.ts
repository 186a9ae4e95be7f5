// The console's actions wired to a running HiveApp: the ActionEnv over the sources the poller already has,
// the gate with the audit log and read-only mode, and the controller the views draw. The gate needs the
// hive's API profile first, so it arrives as a promise and the console opens without waiting for it.
import {createActionEnv, createGate, openAuditLog, type GateOptions, type ReadOnlyMode} from '../../actions/index.js';
import type {HiveApp} from '../../app/index.js';
import {selectAssessment} from '../../model/select.js';
import {ActionController} from './controller.js';

export function createConsoleActions(app: HiveApp, options: {contextName: string; readOnly: ReadOnlyMode; gate?: Partial<GateOptions>}): ActionController {
	const gate = createActionEnv({
		hive: app.hive,
		redis: app.redis,
		contextName: options.contextName,
		signal: AbortSignal.timeout(30_000),
		// Problem agents are chosen and re-checked with the context's threshold, as the agents pane marks them.
		staleHeartbeatSeconds: app.config.thresholds.staleHeartbeatSeconds,
	}).then((env) => createGate({env, audit: openAuditLog(app.config.auditLogPath), readOnly: options.readOnly, ...options.gate}));
	return new ActionController({
		gate,
		// At the wall clock, as the console's header judges it: `!` and `a` act on what the banner shows.
		assessment: () => selectAssessment(app.store.getState(), Date.now()),
		// A playbook judges recovery with the context's thresholds and names its escalation contacts.
		thresholds: () => app.store.getState().thresholds,
		escalation: app.config.escalation,
		hive: () => app.store.getState().snapshots.hive,
	});
}
