// One confirmed run from the pre-check to its outcome: re-check the targets, read the baseline, write the
// intent line (nothing is sent if it cannot be written), send target by target (spaced and re-checked for
// sequential actions, stoppable between targets), then judge the replies and wait for the effect.
import type {ActionReply} from '../../contract/types.js';
import {describeError} from '../../util/redact.js';
import {findRun, type ActionRun} from '../history.js';
import type {ActionTarget, Baseline} from '../types.js';
import {auditTrail} from './audit-trail.js';
import {awaitEffect} from './effect-check.js';
import {runRecord} from './run-record.js';
import {isTimeoutReply, sendOne} from './send.js';
import {sleep} from './sleep.js';
import type {GateSettings, PreparedAction} from './types.js';

export interface Execution {
	settings: GateSettings;
	prepared: PreparedAction;
	runId: string;
	/** How it was confirmed, for the audit log. */
	how: string;
	stopSignal: AbortSignal;
	/** A fresh signal for each wait between targets, aborted by skipWait(). */
	newSkipSignal: () => AbortSignal;
}

export async function execute({settings, prepared, runId, how, stopSignal, newSkipSignal}: Execution): Promise<ActionRun> {
	const {action} = prepared;
	const {env, history, requestTimeoutMs} = settings;
	const record = runRecord(history, runId);
	const {update, progress, finish} = record;
	const writeAudit = auditTrail(settings, prepared, runId, how);

	try {
		const signal = AbortSignal.any([stopSignal, AbortSignal.timeout(requestTimeoutMs)]);
		let targets = prepared.targets;
		const sequential = (action.spacingMs ?? 0) > 0;
		if (targets.length === 0) return finish('skipped', 'nothing to do: no target');
		// Sequential runs check each target right before its own request instead.
		if (action.preCheck && !sequential) {
			const check = await action.preCheck({targets, inputs: prepared.inputs, env, signal});
			if (!check.proceed) {
				const run = finish('skipped', check.reason);
				await writeAudit('skipped', 'skipped', check.reason).catch(() => undefined);
				return run;
			}
			if (check.notes?.length) update((r) => ({notes: [...r.notes, ...check.notes!]}));
			targets = check.targets;
		}
		const requests = prepared.plan.requests.filter((r) => targets.some((t) => t.id === r.targetId));
		update({targets, requests: requests.map((r) => r.display)});
		let baseline: Baseline = {};
		if (action.baseline) baseline = await action.baseline({targets, inputs: prepared.inputs, env, signal});

		try {
			await writeAudit('intent', 'sending');
		} catch (error) {
			return finish('failed', `${describeError(error)}; nothing sent`);
		}
		const sentAt = Date.now();
		update({status: 'sending', message: `sending ${requests.length} request(s)`, sentAt});
		const replies: ActionReply[] = [];
		const sentTargets: ActionTarget[] = [];
		let stopped = false;
		for (const [index, target] of targets.entries()) {
			if (stopSignal.aborted) {
				stopped = true;
				break;
			}
			if (sequential && index > 0) {
				const until = Date.now() + action.spacingMs!;
				update({waitingUntil: until});
				progress(target, 'waiting', `next in ${Math.round(action.spacingMs! / 1000)} s`);
				await sleep(action.spacingMs!, AbortSignal.any([stopSignal, newSkipSignal()]));
				update({waitingUntil: null});
				if (stopSignal.aborted) {
					stopped = true;
					break;
				}
			}
			if (sequential && action.preCheck) {
				progress(target, 'checking', 're-reading before sending');
				const check = await action.preCheck({targets: [target], inputs: prepared.inputs, env, signal: AbortSignal.timeout(requestTimeoutMs)});
				if (!check.proceed) {
					progress(target, 'skipped', check.reason);
					continue;
				}
			}
			for (const request of requests.filter((r) => r.targetId === target.id)) {
				// Stop means "before the next target": a request already on its way is not cut off.
				const reply = await sendOne(env, request, requestTimeoutMs, new AbortController().signal);
				replies.push(reply);
				update((r) => ({replies: [...r.replies, {targetId: target.id, request: request.display, ok: reply.ok, httpStatus: reply.httpStatus, message: reply.message, body: reply.body}]}));
				progress(target, reply.ok ? 'sent' : 'failed', reply.message);
				if (reply.ok) sentTargets.push(target);
			}
		}
		const failures = findRun(history, runId)!.replies.filter((r) => !r.ok);
		if (failures.length > 0) {
			const timedOut = failures.every((f) => isTimeoutReply(f.body));
			const message = failures.map((f) => (targets.length > 1 ? `${f.targetId}: ${f.message}` : f.message)).join('; ');
			await writeAudit('reply', timedOut ? 'unconfirmed' : 'failed', message);
			return finish(timedOut ? 'unconfirmed' : 'failed', message);
		}
		if (stopped) {
			const message = `stopped after ${sentTargets.length} of ${targets.length} ${action.targetKind}s`;
			await writeAudit('reply', 'stopped', message);
			return finish('stopped', message);
		}
		if (sentTargets.length === 0) {
			const message = 'every target recovered before its turn; nothing sent';
			await writeAudit('reply', 'skipped', message);
			return finish('skipped', message);
		}
		const replyMessage = replies.map((r) => r.message).filter(Boolean).join('; ') || 'accepted';
		await writeAudit('reply', 'sent', replyMessage);
		return await awaitEffect({settings, prepared, sentTargets, baseline, sentAt, replies, stopSignal, record, writeAudit});
	} catch (error) {
		const message = describeError(error);
		const run = finish('failed', message);
		if (run.sentAt !== null) await writeAudit('reply', 'failed', message).catch(() => undefined);
		return run;
	}
}
