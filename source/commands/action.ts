// `hive-console action <id> [target...] [--set key=value] [--yes] [--dry-run] [--json]` and
// `hive-console action list [--json]`: one action through the same gate as the console's keys.
// Exit codes: 0 done (confirmed, or nothing needed doing), 1 failed/unconfirmed/refused by the hive or
// unavailable here, 64 usage (unknown id, bad input, no TTY without --yes), 77 read-only.
import {configOrExit} from '../headless/session.js';
import {actions, getAction} from '../actions/registry.js';
import {openActionSession, readOnlyModeOf, type ActionSession} from '../actions/session.js';
import {planText, progressLine, runLine} from '../actions/terminal.js';
import {agentTarget} from '../actions/defs/agents.js';
import {streamTarget} from '../actions/defs/redis.js';
import type {ActionDefinition, ActionTarget} from '../actions/types.js';
import type {ActionRun} from '../actions/history.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';
import {confirmationFor} from './gate-session.js';

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

export function parseSets(values: unknown): Record<string, string> | string {
	const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
	const inputs: Record<string, string> = {};
	for (const raw of list) {
		const text = String(raw);
		const eq = text.indexOf('=');
		if (eq <= 0) return `--set ${text}: expected key=value, e.g. --set count=2`;
		inputs[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
	}
	return inputs;
}

async function resolveTargets(action: ActionDefinition, words: string[], session: ActionSession): Promise<ActionTarget[] | string | undefined> {
	if (words.length === 0) {
		if (action.targetKind === 'agent' && !action.defaultTargets) return `${action.id} needs an agent id or name: hive-console action ${action.id} AGENT`;
		if (action.targetKind === 'task') return `${action.id} needs one or more task ids: hive-console action ${action.id} TASK_ID [TASK_ID...]`;
		if (action.targetKind === 'stream') return `${action.id} needs a stream key: hive-console action ${action.id} agent_messages:KEY`;
		return undefined;
	}
	if (action.targetKind === 'hive' || action.targetKind === 'setting') return `${action.id} acts on the whole hive and takes no target (got "${sanitise(words.join(' '))}")`;
	if (action.targetKind === 'stream') return words.map(streamTarget);
	const snap = await session.env.readHive(AbortSignal.timeout(10_000));
	if (action.targetKind === 'agent') {
		const targets: ActionTarget[] = [];
		for (const word of words) {
			const matches = (snap.agents ?? []).filter((a) => a.id === word || a.name === word);
			if (matches.length === 0) return `no agent with id or name "${sanitise(word)}" in the agents list`;
			if (matches.length > 1) return `"${sanitise(word)}" names ${matches.length} agents; use the id`;
			targets.push(agentTarget(matches[0]!));
		}
		return targets;
	}
	const known = new Map<string, string>();
	for (const t of snap.tasks?.stuck ?? []) known.set(t.id, t.title ?? t.id);
	for (const t of snap.tasks?.items ?? []) known.set(t.id, t.title);
	return words.map((id) => ({kind: 'task', id, name: known.get(id) ?? id, reason: 'stuck'}));
}

function exitFor(run: ActionRun): number {
	switch (run.status) {
		case 'confirmed':
		case 'skipped':
		case 'dry-run':
			return EXIT.ok;
		case 'refused':
			return run.message.startsWith('read-only') ? EXIT.readOnly : EXIT.warning;
		default:
			return EXIT.warning;
	}
}

function runJson(run: ActionRun) {
	return {
		schema: 1,
		runId: run.runId,
		action: run.actionId,
		status: run.status,
		message: run.message,
		targets: run.targets.map((t) => ({kind: t.kind, id: t.id, name: t.name})),
		inputs: run.inputs,
		requests: run.requests,
		replies: run.replies.map((r) => ({target: r.targetId, ok: r.ok, httpStatus: r.httpStatus, message: r.message, body: r.body})),
		progress: run.progress,
		notes: run.notes,
		confirmedBy: run.confirmedBy,
	};
}

async function list(ctx: CommandContext, session: ActionSession | null, connectError: string | null): Promise<number> {
	const rows = session
		? await session.gate.list(actions)
		: actions.map((action) => ({action, availability: {available: false as const, reason: connectError ?? 'not connected'}}));
	if (ctx.flags.json) {
		out(
			JSON.stringify({
				schema: 1,
				profile: session?.env.profile ?? null,
				readOnly: session?.gate.readOnly.on ?? false,
				actions: rows.map(({action, availability}) => ({
					id: action.id,
					title: action.title,
					key: action.key,
					severity: action.severity,
					target: action.targetKind,
					mutates: action.mutates,
					inputs: action.inputFields,
					available: availability.available,
					reason: availability.available ? null : availability.reason,
				})),
			}),
		);
		return EXIT.ok;
	}
	out(`Profile: ${session?.env.profile ?? 'unknown'}${session?.gate.readOnly.on ? ' (read-only)' : ''}`);
	const w = Math.max(...rows.map((r) => r.action.id.length));
	for (const {action, availability} of rows) {
		const inputs = action.inputFields.map((f) => ` ${f.name}=${f.default}`).join('');
		const state = availability.available ? 'available' : `unavailable: ${availability.reason}`;
		out(sanitise(`${action.id.padEnd(w)}  ${action.key.padEnd(2)} ${action.severity.padEnd(8)} ${action.targetKind.padEnd(7)} ${state}${inputs ? ` (inputs:${inputs})` : ''}`));
	}
	return EXIT.ok;
}

export async function run(ctx: CommandContext): Promise<number> {
	const [id, ...words] = ctx.input;
	if (!id) {
		err('hive-console action: name an action (`hive-console action list` shows them), e.g. hive-console action restart-agent AGENT');
		return EXIT.usage;
	}
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const readOnly = readOnlyModeOf(config, ctx.flags.readOnly === true);
	const action = id === 'list' ? null : getAction(id);
	if (id !== 'list' && !action) {
		err(`hive-console action: unknown action "${sanitise(id)}"; \`hive-console action list\` shows them`);
		return EXIT.usage;
	}
	// Refused before connecting: read-only must not even depend on the hive being up.
	if (action && readOnly.on && action.mutates) {
		err(`hive-console action: refused: read-only mode (${readOnly.reason}); ${action.id} changes the hive. Nothing was sent.`);
		return EXIT.readOnly;
	}
	const inputs = parseSets(ctx.flags.set);
	if (typeof inputs === 'string') {
		err(`hive-console action: ${inputs}`);
		return EXIT.usage;
	}

	let session: ActionSession | null = null;
	try {
		session = await openActionSession(config, {readOnly});
	} catch (error) {
		if (id === 'list') return list(ctx, null, describeError(error));
		err(`hive-console action: cannot reach the hive: ${describeError(error)}`);
		return EXIT.warning;
	}
	try {
		if (id === 'list') return await list(ctx, session, null);
		const gate = session.gate;
		const targets = await resolveTargets(action!, words, session);
		if (typeof targets === 'string') {
			err(`hive-console action: ${targets}`);
			return EXIT.usage;
		}
		const prep = await gate.prepare(action!.id, targets, inputs);
		if (!prep.ok) {
			err(`hive-console action: ${sanitise(prep.reason)}`);
			if (prep.field || /has no input|input /.test(prep.reason)) return EXIT.usage;
			return prep.reason.startsWith('read-only') ? EXIT.readOnly : EXIT.warning;
		}
		const prepared = prep.prepared;
		if (!ctx.flags.json || ctx.flags.dryRun) err(planText(prepared, `${session.env.contextName} (${session.env.profile} profile)`));
		if (prepared.plan.requests.length === 0) {
			err('Nothing to send.');
			if (ctx.flags.json) out(JSON.stringify({schema: 1, action: action!.id, status: 'skipped', message: prepared.plan.summary}));
			return EXIT.ok;
		}
		let token = null;
		if (ctx.flags.dryRun) {
			const result = await gate.run(prepared, null, {dryRun: true});
			if (ctx.flags.json) out(JSON.stringify(runJson(result)));
			else err('Dry run: nothing sent.');
			return EXIT.ok;
		}
		if (action!.mutates) {
			const asked = await confirmationFor(prepared, {yes: ctx.flags.yes === true});
			if (asked.kind === 'no-terminal') {
				err(`hive-console action: refused: ${asked.reason}`);
				return EXIT.usage;
			}
			if (asked.kind === 'declined') {
				err('Cancelled; nothing sent.');
				return EXIT.warning;
			}
			const confirmed = gate.confirm(prepared, asked.answer);
			if (!confirmed.ok) {
				err(`hive-console action: ${sanitise(confirmed.reason)}`);
				return EXIT.warning;
			}
			token = confirmed.token;
		}
		const handle = gate.start(prepared, token);
		let shown = 0;
		const unsubscribe = gate.history.subscribe((state) => {
			const r = state.runs.find((x) => x.runId === handle.runId);
			if (!r || ctx.flags.json) return;
			for (; shown < r.progress.length; shown++) err(progressLine(r.progress[shown]!));
		});
		const onSignal = () => {
			err('Stopping before the next target (what was sent stays sent)...');
			handle.stop();
		};
		process.once('SIGINT', onSignal);
		const result = await handle.done;
		process.off('SIGINT', onSignal);
		unsubscribe();
		if (ctx.flags.json) out(JSON.stringify(runJson(result)));
		else {
			// Failures go to stderr so that a script's stdout only ever carries results.
			if (exitFor(result) === EXIT.ok) out(runLine(result));
			else err(runLine(result));
			if (!action!.mutates) {
				for (const reply of result.replies) out(sanitise(JSON.stringify(reply.body, null, 2), {multiline: true}));
			}
		}
		return exitFor(result);
	} finally {
		await session.close();
	}
}
