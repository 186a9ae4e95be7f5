// The audit lines of one run: intent (written before anything is sent), reply, effect. Every line repeats
// who, where, what and on which targets, so each can be read alone. Reads (the analyses) change nothing and
// are not audited.
import type {AuditEntry} from '../audit-log.js';
import {findRun} from '../history.js';
import type {GateSettings, PreparedAction} from './types.js';

export type WriteAudit = (phase: AuditEntry['phase'], result: string, message?: string) => Promise<void>;

export function auditTrail(settings: GateSettings, prepared: PreparedAction, runId: string, confirmation: string): WriteAudit {
	const started = Date.now();
	return async (phase, result, message) => {
		if (!prepared.action.mutates) return;
		// The requests are read at write time: the pre-check may have dropped targets since the run began.
		const run = findRun(settings.history, runId)!;
		await settings.audit.append({
			v: 1,
			runId: run.runId,
			user: settings.user,
			host: settings.host,
			context: settings.env.contextName,
			action: prepared.action.id,
			targets: prepared.targets.map((t) => ({kind: t.kind, id: t.id, name: t.name})),
			inputs: prepared.inputs,
			requests: run.requests,
			time: new Date().toISOString(),
			phase,
			result,
			confirmation,
			...(message === undefined ? {} : {message}),
			durationMs: Date.now() - started,
		});
	};
}
