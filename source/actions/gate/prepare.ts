// Preflight: everything decided before a confirmation is shown. The targets are captured by id, the inputs
// validated, and the action plans its exact requests, so what the operator confirms is what gets sent.
import {randomUUID} from 'node:crypto';
import {describeError} from '../../util/redact.js';
import {getAction, validateInputs} from '../registry.js';
import type {ActionPlan, ActionTarget} from '../types.js';
import {severityRequirement, type Confirmations} from './confirmation.js';
import {gateAvailability} from './read-only.js';
import type {GateSettings, PreparedAction, PrepareResult} from './types.js';

export async function prepareAction(
	settings: GateSettings,
	confirmations: Confirmations,
	actionId: string,
	targets?: ActionTarget[],
	rawInputs: Record<string, unknown> = {},
): Promise<PrepareResult> {
	const {env} = settings;
	const action = getAction(actionId);
	if (!action) return {ok: false, status: 'refused', reason: `unknown action "${actionId}"; \`hive-console action list\` shows them`};
	const avail = await gateAvailability(settings.readOnly, env, action);
	if (!avail.available) return {ok: false, status: 'refused', reason: avail.reason};
	const parsed = validateInputs(action, rawInputs);
	if (!parsed.ok) return {ok: false, status: 'refused', reason: parsed.reason, ...(parsed.field ? {field: parsed.field} : {})};
	const signal = AbortSignal.timeout(settings.requestTimeoutMs);
	let chosen = targets && targets.length > 0 ? targets : undefined;
	try {
		if (!chosen) chosen = action.defaultTargets ? await action.defaultTargets(env, signal) : undefined;
	} catch (error) {
		return {ok: false, status: 'refused', reason: `${action.id}: could not find its targets: ${describeError(error)}`};
	}
	if (!chosen) return {ok: false, status: 'refused', reason: `${action.id} needs a ${action.targetKind} target`};
	for (const t of chosen) {
		if (t.kind !== action.targetKind && action.targetKind !== 'hive') {
			return {ok: false, status: 'refused', reason: `${action.id} acts on a ${action.targetKind}, not on a ${t.kind}`};
		}
	}
	if (!action.multiTarget && chosen.length > 1) {
		return {ok: false, status: 'refused', reason: `${action.id} takes one ${action.targetKind} at a time`};
	}
	let plan: ActionPlan;
	try {
		plan = await action.describe({targets: chosen, inputs: parsed.inputs, env, signal});
	} catch (error) {
		return {ok: false, status: 'refused', reason: `${action.id}: ${describeError(error)}`};
	}
	const expected = action.targetKind === 'hive' ? env.contextName : chosen.map((t) => t.name).join(', ');
	const prepared: PreparedAction = Object.freeze({
		prepId: randomUUID(),
		action,
		targets: chosen,
		inputs: parsed.inputs,
		plan,
		confirmation: severityRequirement(action.severity, expected),
		preparedAt: Date.now(),
	});
	confirmations.adopt(prepared);
	return {ok: true, prepared};
}
