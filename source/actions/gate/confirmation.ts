// Confirmations: the requirement each severity sets, and the tokens that prove one was given. Only plans
// this gate made can be confirmed, and a token is spent by the run it starts, so neither a hand-built plan
// nor a replayed token can send anything.
import type {Severity} from '../types.js';
import type {ConfirmationAnswer, ConfirmationRequirement, ConfirmationToken, PreparedAction} from './types.js';

export const NOT_OURS = 'this action was not prepared by this gate; prepare it again';

/** low: y/Enter; high: an explicit Confirm; critical: the target's (or context's) name typed. */
export function severityRequirement(severity: Severity, expected: string): ConfirmationRequirement {
	if (severity === 'critical') return {severity, kind: 'typed', expected, prompt: `Type "${expected}" to confirm`};
	if (severity === 'high') return {severity, kind: 'confirm', expected: null, prompt: 'Move to Confirm and press Enter'};
	return {severity, kind: 'yes', expected: null, prompt: 'Press y or Enter to confirm'};
}

export interface Confirmations {
	/** Records a plan this gate made; only these can be confirmed or run. */
	adopt(prepared: PreparedAction): void;
	isOurs(prepared: PreparedAction): boolean;
	/** Checks the answer against the plan's requirement and mints a one-use token. */
	confirm(prepared: PreparedAction, answer: ConfirmationAnswer): {ok: true; token: ConfirmationToken} | {ok: false; reason: string};
	/** Spends the token for this plan; returns why it cannot be spent, or null once spent. */
	spend(prepared: PreparedAction, token: ConfirmationToken | null): string | null;
}

export function createConfirmations(): Confirmations {
	const issued = new WeakMap<ConfirmationToken, {prepId: string; used: boolean}>();
	// Only plans this gate made can be confirmed or run: a hand-built PreparedAction could claim any request.
	const ownPlans = new WeakSet<PreparedAction>();

	return {
		adopt: (prepared) => void ownPlans.add(prepared),
		isOurs: (prepared) => ownPlans.has(prepared),
		confirm(prepared, answer) {
			if (!ownPlans.has(prepared)) return {ok: false, reason: NOT_OURS};
			const need = prepared.confirmation;
			let how: string;
			if (answer.kind === 'flag-yes') how = '--yes';
			else if (need.kind === 'typed') {
				if (answer.kind !== 'typed') return {ok: false, reason: `${prepared.action.title} is critical: type "${need.expected}" to confirm`};
				if (answer.text.trim() !== need.expected) {
					return {ok: false, reason: `typed "${answer.text.trim()}" does not match "${need.expected}"; nothing sent`};
				}
				how = 'typed name';
			} else if (need.kind === 'confirm') {
				if (answer.kind === 'yes') return {ok: false, reason: `${prepared.action.title} needs an explicit Confirm`};
				how = 'confirm';
			} else how = answer.kind === 'typed' ? 'typed' : answer.kind;
			const token: ConfirmationToken = Object.freeze({prepId: prepared.prepId, how});
			issued.set(token, {prepId: prepared.prepId, used: false});
			return {ok: true, token};
		},
		spend(prepared, token) {
			const record = token ? issued.get(token) : undefined;
			if (!token || !record || record.prepId !== prepared.prepId) {
				return `${prepared.action.title} needs a confirmation (${prepared.confirmation.prompt}); nothing sent`;
			}
			if (record.used) return 'this confirmation was already used; confirm again to run it again';
			record.used = true;
			return null;
		},
	};
}
