// After an accepted send: re-read the hive until the action's effect is seen, the hive's own answer rules it
// out, or the effect timeout passes. This is what turns "pending" into confirmed or unconfirmed; a reply
// alone only says the hive accepted the request.
import type {ActionReply} from '../../contract/types.js';
import {describeError} from '../../util/redact.js';
import type {ActionRun} from '../history.js';
import type {ActionTarget, Baseline} from '../types.js';
import type {WriteAudit} from './audit-trail.js';
import type {RunRecord} from './run-record.js';
import {sleep} from './sleep.js';
import type {GateSettings, PreparedAction} from './types.js';

export interface EffectWait {
	settings: GateSettings;
	prepared: PreparedAction;
	/** Only the targets whose requests were accepted. */
	sentTargets: ActionTarget[];
	baseline: Baseline;
	sentAt: number;
	replies: ActionReply[];
	stopSignal: AbortSignal;
	record: RunRecord;
	writeAudit: WriteAudit;
}

export async function awaitEffect({settings, prepared, sentTargets, baseline, sentAt, replies, stopSignal, record, writeAudit}: EffectWait): Promise<ActionRun> {
	const {action, inputs} = prepared;
	const replyMessage = replies.map((r) => r.message).filter(Boolean).join('; ') || 'accepted';
	if (!action.effect) {
		const run = record.finish('confirmed', action.mutates ? `accepted: ${replyMessage}` : 'done', {confirmedBy: 'reply'});
		await writeAudit('effect', 'confirmed', 'no read-back for this action; the reply confirms it');
		return run;
	}
	record.update({status: 'pending', message: 'sent; waiting for the effect'});
	const timeoutMs = action.effectTimeoutMs ?? settings.effectTimeoutMs;
	const deadline = Date.now() + timeoutMs;
	let last = 'no effect seen yet';
	for (;;) {
		try {
			const check = await action.effect({targets: sentTargets, inputs, env: settings.env, signal: AbortSignal.timeout(settings.requestTimeoutMs), baseline, sentAt, replies});
			last = check.message;
			if (check.seen) {
				const run = record.finish('confirmed', check.message, {confirmedBy: 'effect'});
				await writeAudit('effect', 'confirmed', check.message);
				return run;
			}
			if (check.final) {
				// The hive's own answer rules the effect out (it says it did nothing): waiting longer cannot help.
				const run = record.finish('unconfirmed', check.message);
				await writeAudit('effect', 'unconfirmed', check.message);
				return run;
			}
			record.update({message: `pending: ${check.message}`});
		} catch (error) {
			last = `effect check could not read: ${describeError(error)}`;
			record.update({message: `pending: ${last}`});
		}
		if (Date.now() >= deadline || stopSignal.aborted) break;
		await sleep(Math.min(settings.effectPollMs, Math.max(0, deadline - Date.now())), stopSignal);
	}
	const message = `effect not seen in ${Math.round(timeoutMs / 1000)} s: ${last}`;
	const run = record.finish('unconfirmed', message);
	await writeAudit('effect', 'unconfirmed', message);
	return run;
}
