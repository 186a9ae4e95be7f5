// `hive-console playbook <scenario|list> [--yes] [--dry-run] [--json]`: one of the runbook's recovery
// playbooks, headless, through the same gate as the console (each action step confirmed as its severity
// needs, or --yes from a script). It ends RECOVERED only when the verification held on two polls in a row
// and the model agrees; otherwise NOT RECOVERED with what still fails, what to try next and whom to call.
// Exit codes: 0 verified recovery (or a dry run that could plan every step), 1 not recovered (a step
// refused, failed or declined included), 64 usage (unknown scenario, no TTY without --yes), 77 read-only.
import {configOrExit} from '../headless/session.js';
import {getAction} from '../actions/registry.js';
import {readOnlyModeOf, type ActionSession} from '../actions/session.js';
import {planText} from '../actions/terminal.js';
import {findRun} from '../actions/history.js';
import {getPlaybook, playbooks, PlaybookRunner, runPlaybookHeadless, SCENARIO_PLAYBOOKS, failureText, type Playbook, type PlaybookEnding, type PlaybookState, type StepState} from '../actions/playbooks.js';
import type {ApiProfile} from '../contract/types.js';
import type {RunbookScenario} from '../model/types.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';
import {confirmationFor, openSessionOrExit} from './gate-session.js';

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

const ALIASES: Record<string, RunbookScenario> = {'1': 'coordination-critical', '2': 'communication-failure', '3': 'task-distribution'};

export function scenarioOf(word: string): RunbookScenario | null {
	if (ALIASES[word]) return ALIASES[word]!;
	return (SCENARIO_PLAYBOOKS as readonly string[]).includes(word) ? (word as RunbookScenario) : null;
}

function stepLine(state: PlaybookState, index: number): string {
	const step = state.steps[index]!;
	return sanitise(`[${index + 1}/${state.steps.length}] ${step.title}: ${step.status.toUpperCase()}: ${step.message}`);
}

function requestsOf(session: ActionSession, step: StepState, planned: Map<number, string[]>, index: number): string[] {
	const run = step.runId ? findRun(session.gate.history, step.runId) : undefined;
	return run ? run.requests : (planned.get(index) ?? []);
}

function stepJson(state: PlaybookState, index: number, requests: string[]) {
	const step = state.steps[index]!;
	return {
		schema: 1,
		playbook: state.playbookId,
		index: index + 1,
		step: step.id,
		kind: step.kind,
		title: step.title,
		action: step.actionId,
		status: step.status,
		message: step.message,
		requests,
		details: step.details,
		failing: step.failures,
	};
}

function endingJson(state: PlaybookState, ending: PlaybookEnding | null, extra: Record<string, unknown> = {}) {
	return {
		schema: 1,
		final: true,
		playbook: state.playbookId,
		profile: state.profile,
		outcome: ending?.outcome ?? null,
		summary: ending?.summary ?? null,
		failing: ending?.failing ?? [],
		skipped: ending?.skipped ?? [],
		failed: ending?.failed ?? [],
		next: ending?.next ?? [],
		escalation: ending?.escalation ?? null,
		...extra,
	};
}

/** The ending as people read it: the outcome, what still fails, what was skipped, what next, whom to call. */
export function endingText(ending: PlaybookEnding): string[] {
	const lines = [ending.summary];
	if (ending.failing.length) lines.push('Still failing:', ...ending.failing.map((f) => `  - ${failureText(f)}`));
	if (ending.skipped.length) lines.push('Skipped:', ...ending.skipped.map((s) => `  - SKIPPED ${s.title}: ${s.reason}`));
	const notDone = ending.failed.filter((f) => f.message !== 'not run');
	if (notDone.length) lines.push('Failed:', ...notDone.map((f) => `  - ${f.title}: ${f.message}`));
	if (ending.next.length) lines.push('Next:', ...ending.next.map((n) => `  - ${n}`));
	if (ending.outcome !== 'recovered' && ending.outcome !== 'completed') {
		if (ending.escalation) {
			lines.push('Escalation:');
			for (const c of ending.escalation.contacts) lines.push(`  ${c.level ? c.level + ' ' : ''}${c.name}${c.via ? ` (${c.via})` : ''}`);
			for (const ch of ending.escalation.channels) lines.push(`  ${ch.name}${ch.purpose ? ` ${ch.purpose}` : ''}${ch.via ? ` (${ch.via})` : ''}`);
		} else lines.push('Escalation: no contacts configured (the context\'s "escalation" in the config file)');
	}
	return lines.map((l) => sanitise(l));
}

function describeStep(playbook: Playbook, index: number): string {
	const step = playbook.steps[index]!;
	if (step.kind === 'wait') return `wait   ${step.title}: ${step.seconds} s on the hive's clock`;
	if (step.kind === 'check') {
		const how = step.verify ? `verification${step.consecutive && step.consecutive > 1 ? `, ${step.consecutive} polls in a row` : ''}${step.watchSeconds ? `, watched up to ${step.watchSeconds} s` : ''}` : 'read';
		return `check  ${step.title} (${how})`;
	}
	const action = getAction(step.actionId);
	return `action ${step.title} [${step.actionId}${action ? `, ${action.severity}` : ', not in this build'}]`;
}

async function list(ctx: CommandContext, profile: ApiProfile | null, readOnly: boolean, note: string | null): Promise<number> {
	const profiles: ApiProfile[] = profile ? [profile] : ['runbook', 'beehive'];
	if (ctx.flags.json) {
		out(
			JSON.stringify({
				schema: 1,
				profile,
				readOnly,
				playbooks: profiles.flatMap((p) =>
					playbooks(p)
						.filter((pb) => !pb.maintenance)
						.map((pb) => ({
							id: pb.id,
							profile: p,
							title: pb.title,
							when: pb.when,
							steps: pb.steps.map((s) => ({
								id: s.id,
								kind: s.kind,
								title: s.title,
								...(s.kind === 'action' ? {action: s.actionId, severity: getAction(s.actionId)?.severity ?? null} : {}),
								...(s.kind === 'wait' ? {seconds: s.seconds} : {}),
								...(s.kind === 'check' ? {verify: s.verify === true, watchSeconds: s.watchSeconds ?? null, consecutive: s.consecutive ?? 1} : {}),
							})),
						})),
				),
			}),
		);
		return EXIT.ok;
	}
	if (note) err(`hive-console playbook: ${note}`);
	for (const p of profiles) {
		out(`Profile: ${p}${readOnly ? ' (read-only: every action step would be refused)' : ''}`);
		for (const pb of playbooks(p).filter((x) => !x.maintenance)) {
			out(`${pb.id}  ${pb.title} (when ${pb.when})`);
			pb.steps.forEach((_, i) => out(`  ${i + 1}. ${describeStep(pb, i)}`));
		}
	}
	out('The weekly optimisation runs with `hive-console optimize`.');
	return EXIT.ok;
}

export async function run(ctx: CommandContext): Promise<number> {
	const [word, ...extra] = ctx.input;
	const usage = 'hive-console playbook <coordination-critical|communication-failure|task-distribution|1|2|3|list> [--yes] [--dry-run] [--json]';
	if (!word) {
		err(`hive-console playbook: name a scenario or \`list\`: ${usage}`);
		return EXIT.usage;
	}
	if (extra.length > 0) {
		err(`hive-console playbook: one scenario at a time (got "${sanitise(ctx.input.join(' '))}"): ${usage}`);
		return EXIT.usage;
	}
	const scenario = word === 'list' ? null : scenarioOf(word);
	if (word !== 'list' && !scenario) {
		err(`hive-console playbook: unknown scenario "${sanitise(word)}"; one of ${SCENARIO_PLAYBOOKS.join(', ')} (or 1, 2, 3), or \`list\``);
		return EXIT.usage;
	}
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const readOnly = readOnlyModeOf(config, ctx.flags.readOnly === true);
	const json = ctx.flags.json === true;
	const dryRun = ctx.flags.dryRun === true;
	const yes = ctx.flags.yes === true;

	if (scenario) {
		// Refused before connecting: read-only must not even depend on the hive being up.
		if (readOnly.on) {
			err(`hive-console playbook: refused: read-only mode (${readOnly.reason}); the ${scenario} playbook changes the hive. Nothing was sent.`);
			if (json) out(JSON.stringify({schema: 1, final: true, playbook: scenario, outcome: 'refused', summary: `read-only mode (${readOnly.reason})`}));
			return EXIT.readOnly;
		}
		if (!yes && !dryRun && !process.stdin.isTTY) {
			err('hive-console playbook: refused: each action step needs a confirmation and stdin is not a terminal; pass --yes to confirm from a script (or --dry-run to see the requests). Nothing was sent.');
			return EXIT.usage;
		}
	}

	const session = await openSessionOrExit('playbook', config, readOnly);
	if (typeof session === 'number') {
		if (word !== 'list') return session;
		const configured = config.apiProfile === 'auto' ? null : config.apiProfile;
		return list(ctx, configured, readOnly.on, `the hive could not be reached, so its profile is unknown${configured ? '' : ': both are listed'}`);
	}
	try {
		if (!scenario) return await list(ctx, session.env.profile, readOnly.on, null);
		const playbook = getPlaybook(scenario, session.env.profile)!;
		const runner = new PlaybookRunner(playbook, {gate: session.gate, thresholds: config.thresholds, escalation: config.escalation, watchPollMs: 2000, waitPollMs: 1000});
		const where = `${session.env.contextName} (${session.env.profile} profile)`;
		if (!json) out(sanitise(`${playbook.title} on ${where}${dryRun ? ': dry run, nothing is sent' : ''}`));
		const planned = new Map<number, string[]>();
		let printed = 0;
		const flush = (state: PlaybookState) => {
			for (; printed < state.steps.length; printed++) {
				const step = state.steps[printed]!;
				if (step.status === 'todo' || step.status === 'running') break;
				if (json) out(JSON.stringify(stepJson(state, printed, requestsOf(session, step, planned, printed))));
				else out(stepLine(state, printed));
			}
		};
		if (dryRun) return await dryRunPlaybook(runner, session, where, {json, planned, flush});

		let interrupted = 0;
		const onSignal = () => {
			interrupted++;
			if (interrupted > 1) process.exit(130);
			err('Stopping the playbook (what was sent stays sent); Ctrl-C again quits at once...');
			runner.abort('interrupted (Ctrl-C)');
			if (process.stdin.isTTY) process.stdin.destroy();
		};
		process.on('SIGINT', onSignal);
		let readOnlyRefusal = false;
		try {
			const state = await runPlaybookHeadless(runner, {
				stopOnFailure: true,
				stopOnDecline: true,
				onStart: (step, index) => {
					if (json) return;
					if (step.kind === 'wait') err(sanitise(`[${index + 1}/${playbook.steps.length}] ${step.title}: waiting ${step.seconds} s on the hive's clock...`));
					else if (step.kind === 'check' && step.watchSeconds) err(sanitise(`[${index + 1}/${playbook.steps.length}] ${step.title}: watching for up to ${step.watchSeconds} s on the hive's clock...`));
				},
				answer: async (prepared) => {
					planned.set(runner.state.current, prepared.plan.requests.map((r) => r.display));
					if (!json) err(planText(prepared, where));
					const asked = await confirmationFor(prepared, {yes});
					return asked.kind === 'answer' ? asked.answer : null;
				},
				onStep: (s) => {
					const failed = s.steps[s.current];
					if (failed?.status === 'failed' && failed.message.startsWith('read-only')) readOnlyRefusal = true;
					flush(s);
				},
			});
			flush(state);
			const ending = state.ending;
			if (json) out(JSON.stringify(endingJson(state, ending)));
			else if (ending) for (const line of endingText(ending)) out(line);
			if (readOnlyRefusal) return EXIT.readOnly;
			return ending?.outcome === 'recovered' ? EXIT.ok : EXIT.warning;
		} finally {
			process.off('SIGINT', onSignal);
		}
	} finally {
		await session.close();
	}
}

/** Every step's exact request, nothing sent: action steps are planned through the gate and shown. */
async function dryRunPlaybook(
	runner: PlaybookRunner,
	session: ActionSession,
	where: string,
	io: {json: boolean; planned: Map<number, string[]>; flush(state: PlaybookState): void},
): Promise<number> {
	let refused = 0;
	while (!runner.state.finished) {
		const index = runner.state.current;
		const step = runner.currentStep()!;
		if (step.kind === 'action') {
			const prep = await runner.prepareAction();
			if (prep.kind === 'prepared') {
				io.planned.set(index, prep.prepared.plan.requests.map((r) => r.display));
				if (!io.json) err(planText(prep.prepared, where));
				await session.gate.run(prep.prepared, null, {dryRun: true});
				runner.skipStep(`dry run: nothing sent (${prep.prepared.plan.requests.length} request(s) planned; targets as the hive is now)`);
			} else if (prep.kind === 'not-applicable') runner.skipStep(`dry run: would be skipped now: ${prep.reason}`);
			else {
				refused++;
				runner.skipStep(`dry run: would be refused: ${prep.reason}`);
			}
		} else if (step.kind === 'wait') runner.skipStep(`dry run: would wait ${step.seconds} s on the hive's clock`);
		else runner.skipStep(`dry run: would ${step.verify ? 'verify' : 'read'}${step.watchSeconds ? `, watching up to ${step.watchSeconds} s` : ''}`);
		io.flush(runner.state);
	}
	const summary = refused ? `DRY RUN: ${refused} step(s) would be refused; nothing sent` : 'DRY RUN: every step planned; nothing sent';
	if (io.json) out(JSON.stringify({...endingJson(runner.state, null), outcome: 'dry-run', summary, refused}));
	else out(summary);
	return refused ? EXIT.warning : EXIT.ok;
}
