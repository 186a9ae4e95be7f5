// The console's actions wired to a running HiveApp: the ActionEnv over the sources the poller already has,
// the gate with the audit log and read-only mode, and the controller the views draw. The gate needs the
// hive's API profile first, so it arrives as a promise and the console opens without waiting for it.
import {createActionEnv, createGate, openAuditLog, type GateOptions, type ReadOnlyMode} from '../../actions/index.js';
import type {HiveApp} from '../../app/index.js';
import {selectAssessment} from '../../store/selectors.js';
import {ActionController} from './controller.js';

export function createConsoleActions(app: HiveApp, options: {contextName: string; readOnly: ReadOnlyMode; gate?: Partial<GateOptions>}): ActionController {
	const gate = createActionEnv({hive: app.hive, redis: app.redis, contextName: options.contextName, signal: AbortSignal.timeout(30_000)}).then((env) =>
		createGate({env, audit: openAuditLog(app.config.auditLogPath), readOnly: options.readOnly, ...options.gate}),
	);
	return new ActionController({gate, assessment: () => selectAssessment(app.store.getState())});
}
