// The runbook's analyses: read-only GETs whose reply is shown in a detail view. They change nothing, so
// read-only mode allows them; the gate still refuses any of them that would send something other than GET.
import type {ProfileRouteName} from '../../contract/routes.js';
import type {ActionId} from '../types.js';
import {defineAction} from './define.js';
import {hiveTarget, httpRequest, noInputs} from './common.js';

function analysis(id: ActionId, title: string, key: string, route: ProfileRouteName, summary: string) {
	return defineAction({
		id,
		title,
		key,
		severity: 'low',
		targetKind: 'hive',
		multiTarget: false,
		mutates: false,
		uses: [route],
		inputSchema: noInputs,
		inputFields: [],
		defaultTargets: async (env) => [hiveTarget(env)],
		describe: async ({env, targets}) => ({
			requests: [httpRequest(env.profile, route, {targetId: targets[0]!.id})],
			summary,
			irreversible: null,
			notes: [],
		}),
	});
}

export const distributionAnalysis = analysis('distribution-analysis', 'Task distribution analysis', 'A', 'distributionAnalysis', 'Reads how tasks are assigned across agents.');
export const latencyAnalysis = analysis('latency-analysis', 'Agent latency analysis', 'L', 'latencyAnalysis', 'Reads agent communication latency.');
export const performanceAnalysis = analysis('performance-analysis', 'Task performance analysis', 'T', 'performanceAnalysis', 'Reads the task execution performance breakdown.');
export const weeklyAnalysis = analysis('weekly-analysis', 'Weekly coordination analysis', 'W', 'weeklyAnalysis', "Reads the week's coordination patterns (success rate over 168 h).");
// The shipped server's own read-outs (beehive profile only); their replies are drawn by
// source/ui/actions/analysis-views.tsx with the server's schemas.
export const coordinationDiagnostics = analysis(
	'coordination-diagnostics',
	'Coordination diagnostics',
	'd',
	'coordinationDiagnostics',
	"Reads the hive's own health score, its issues and recommendations, and its database, Redis and coordination checks.",
);
export const systemHealth = analysis(
	'system-health',
	'System health',
	'v',
	'systemHealth',
	"Reads the hive's own health score and its parts (database, Redis, agents, tasks), its alerts, and the success rate hour by hour over the last day.",
);
export const coordinationFailures = analysis(
	'coordination-failures',
	'Coordination failures',
	'l',
	'coordinationFailures',
	'Reads the recent failed tasks, their patterns and the recovery actions the hive recommends.',
);
