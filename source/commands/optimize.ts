// `hive-console optimize [--yes] [--dry-run]`: the runbook's weekly optimisation (weekly analysis, cleanup of
// completed tasks older than 7 days, MEMORY PURGE on a jemalloc Redis, performance-metrics update) as a
// playbook through the gate: each step is confirmed like any action; steps the hive does not offer are
// skipped with the reason.
import {configOrExit} from '../headless/session.js';
import {getPlaybook, PlaybookRunner, runPlaybookHeadless} from '../actions/playbooks.js';
import {openActionSession, readOnlyModeOf} from '../actions/session.js';
import {askOnTerminal, planText} from '../actions/terminal.js';
import {findRun} from '../actions/history.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

const err = (s: string) => process.stderr.write(s + '\n');

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const readOnly = readOnlyModeOf(config, ctx.flags.readOnly === true);
	if (readOnly.on) {
		err(`hive-console optimize: refused: read-only mode (${readOnly.reason}); the optimisation cleans up tasks and purges memory. Nothing was sent.`);
		return EXIT.readOnly;
	}
	if (!ctx.flags.yes && !ctx.flags.dryRun && !process.stdin.isTTY) {
		err('hive-console optimize: refused: each step needs a confirmation and stdin is not a terminal; pass --yes to confirm from a script. Nothing was sent.');
		return EXIT.usage;
	}
	let session;
	try {
		session = await openActionSession(config, {readOnly});
	} catch (error) {
		err(`hive-console optimize: cannot reach the hive: ${describeError(error)}`);
		return EXIT.warning;
	}
	try {
		const playbook = getPlaybook('weekly-optimisation')!;
		const runner = new PlaybookRunner(playbook, {gate: session.gate});
		const where = `${session.env.contextName} (${session.env.profile} profile)`;
		process.stdout.write(`${playbook.title} on ${sanitise(where)}\n`);
		let shown = 0;
		const state = await runPlaybookHeadless(runner, {
			stopOnFailure: false,
			answer: async (prepared) => {
				err(planText(prepared, where));
				if (ctx.flags.dryRun) {
					await session.gate.run(prepared, null, {dryRun: true});
					return null;
				}
				if (!prepared.action.mutates || ctx.flags.yes) return prepared.action.mutates ? {kind: 'flag-yes'} : {kind: 'yes'};
				return askOnTerminal(prepared);
			},
			onStep: (s) => {
				for (; shown < s.steps.length; shown++) {
					const step = s.steps[shown]!;
					if (step.status === 'todo' || step.status === 'running') break;
					const message = ctx.flags.dryRun && step.message.startsWith('declined') ? 'dry run: nothing sent' : step.message;
					process.stdout.write(sanitise(`${step.title}: ${step.status}: ${message}`) + '\n');
					const run = step.runId ? findRun(session.gate.history, step.runId) : undefined;
					if (run && run.actionId === 'weekly-analysis' && run.replies[0]) {
						process.stdout.write(sanitise(JSON.stringify(run.replies[0].body, null, 2), {multiline: true}) + '\n');
					}
				}
			},
		});
		return state.steps.some((s) => s.status === 'failed') ? EXIT.warning : EXIT.ok;
	} finally {
		await session.close();
	}
}
