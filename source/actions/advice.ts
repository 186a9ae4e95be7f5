// What the console offers next to its banners: the playbook for a runbook scenario the model sees, the
// action behind a tuning recommendation (prepared with its inputs, one key away), and the escalation
// contacts to show when the state is critical.
import type {ResolvedConfig} from '../config/resolve.js';
import type {Assessment, Recommendation, RunbookScenario} from '../model/types.js';
import type {Gate, PrepareResult} from './gate.js';
import {getPlaybook, type Playbook} from './playbooks.js';

export function playbookFor(scenario: RunbookScenario): Playbook {
	return getPlaybook(scenario)!;
}

/** Prepares the recommendation's action with its inputs (e.g. set-coordination-timeout timeout=60). */
export async function prepareRecommendation(gate: Gate, recommendation: Recommendation): Promise<PrepareResult> {
	if (!recommendation.actionId) {
		return {ok: false, status: 'refused', reason: `"${recommendation.text}" is advice for people (architecture review), not an action`};
	}
	return gate.prepare(recommendation.actionId, undefined, recommendation.inputs);
}

export interface Escalation {
	contacts: ResolvedConfig['escalation']['contacts'];
	channels: ResolvedConfig['escalation']['channels'];
}

/** The configured escalation path, when the assessment is critical or a critical playbook is open. */
export function escalationFor(config: Pick<ResolvedConfig, 'escalation'>, assessment: Pick<Assessment, 'overall'> | null, playbook?: Playbook | null): Escalation | null {
	const critical = assessment?.overall === 'critical' || playbook?.critical === true;
	if (!critical) return null;
	const {contacts, channels} = config.escalation;
	if (contacts.length === 0 && channels.length === 0) return null;
	return {contacts, channels};
}
