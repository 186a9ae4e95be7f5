// The one gate every action passes through, whoever asks (a console key, a detail view, a playbook step,
// `hive-console action`): read-only mode, availability in the connected profile, input validation, the
// confirmation that matches the severity, single flight, the pre-check, the audit log (intent fsync'd
// before sending), sending, and the effect check that turns "pending" into confirmed/failed/unconfirmed.
import {randomUUID} from 'node:crypto';
import os from 'node:os';
import type {ActionReply} from '../contract/types.js';
import {describeError} from '../util/redact.js';
import {currentUser, type AuditEntry, type AuditLog} from './audit-log.js';
import {addRun, createActionHistory, findRun, updateRun, type ActionHistoryStore, type ActionRun, type RunStatus} from './history.js';
import {availability as routeAvailability, getAction, validateInputs} from './registry.js';
import {RequestTimeoutError, type ActionDefinition, type ActionEnv, type ActionPlan, type ActionTarget, type Availability, type Baseline, type PlannedRequest, type Severity} from './types.js';

export interface ReadOnlyMode {
	on: boolean;
	/** Who turned it on, for the refusal: "--read-only", "context prod has readOnly: true". */
	reason: string;
}

export interface GateOptions {
	env: ActionEnv;
	audit: AuditLog;
	readOnly?: ReadOnlyMode;
	history?: ActionHistoryStore;
	user?: string;
	host?: string;
	/** How often the effect check re-reads the hive. */
	effectPollMs?: number;
	/** Default time the effect may take before a run is "unconfirmed" (an action may ask for more). */
	effectTimeoutMs?: number;
	/** Deadline of one request; past it the run is unconfirmed (the hive may still have acted). */
	requestTimeoutMs?: number;
}

export interface ConfirmationRequirement {
	severity: Severity;
	/** low: y/Enter; high: move to Confirm and press Enter; critical: type `expected`. */
	kind: 'yes' | 'confirm' | 'typed';
	/** The text a critical action needs typed: the target's name, or the context name for hive-wide ones. */
	expected: string | null;
	prompt: string;
}

export interface PreparedAction {
	readonly prepId: string;
	readonly action: ActionDefinition;
	readonly targets: ActionTarget[];
	readonly inputs: Record<string, unknown>;
	readonly plan: ActionPlan;
	readonly confirmation: ConfirmationRequirement;
	readonly preparedAt: number;
}

export type ConfirmationAnswer =
	| {kind: 'yes'}
	| {kind: 'confirm'}
	| {kind: 'typed'; text: string}
	/** `--yes` on the command line: the script's author confirmed in advance. */
	| {kind: 'flag-yes'};

/** Only the gate mints these; run() accepts nothing else as a confirmation. */
export interface ConfirmationToken {
	readonly prepId: string;
	readonly how: string;
}

export type PrepareResult =
	| {ok: true; prepared: PreparedAction}
	| {ok: false; status: 'refused'; reason: string; field?: string};

export interface RunOptions {
	dryRun?: boolean;
	/** Aborting stops a sequential run before its next target (like handle.stop()). */
	signal?: AbortSignal;
}

export interface RunHandle {
	runId: string;
	done: Promise<ActionRun>;
	/** Stops a sequential run before its next target; what was sent stays sent. */
	stop(): void;
	/** Ends the current wait between two targets now. */
	skipWait(): void;
}

export interface ActionListing {
	action: ActionDefinition;
	availability: Availability;
}

function severityRequirement(severity: Severity, expected: string): ConfirmationRequirement {
	if (severity === 'critical') return {severity, kind: 'typed', expected, prompt: `Type "${expected}" to confirm`};
	if (severity === 'high') return {severity, kind: 'confirm', expected: null, prompt: 'Move to Confirm and press Enter'};
	return {severity, kind: 'yes', expected: null, prompt: 'Press y or Enter to confirm'};
}

function replyFromError(error: unknown): ActionReply {
	return {ok: false, httpStatus: 0, message: describeError(error), body: null};
}

/** Waits `ms`, or less when `signal` aborts (a skipped wait, a stop); never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted || ms <= 0) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, {once: true});
	});
}

export interface Gate {
	readonly history: ActionHistoryStore;
	readonly env: ActionEnv;
	readonly readOnly: ReadOnlyMode;
	/** Every registry action with its availability here and now (read-only mode included). */
	list(actions: readonly ActionDefinition[]): Promise<ActionListing[]>;
	availability(action: ActionDefinition): Promise<Availability>;
	/**
	 * Captures the targets by id, validates the inputs, and plans the exact requests: what a confirmation
	 * modal shows. Targets default to the action's own choice (the context, the problem agents).
	 */
	prepare(actionId: string, targets?: ActionTarget[], rawInputs?: Record<string, unknown>): Promise<PrepareResult>;
	confirm(prepared: PreparedAction, answer: ConfirmationAnswer): {ok: true; token: ConfirmationToken} | {ok: false; reason: string};
	start(prepared: PreparedAction, token: ConfirmationToken | null, options?: RunOptions): RunHandle;
	run(prepared: PreparedAction, token: ConfirmationToken | null, options?: RunOptions): Promise<ActionRun>;
	/** The key that makes two runs "the same" for single flight. */
	flightKey(prepared: PreparedAction): string;
	isRunning(prepared: PreparedAction): boolean;
}

export function createGate(options: GateOptions): Gate {
	const {env, audit} = options;
	const readOnly = options.readOnly ?? {on: false, reason: ''};
	const history = options.history ?? createActionHistory();
	const user = options.user ?? currentUser();
	const host = options.host ?? os.hostname();
	const effectPollMs = options.effectPollMs ?? 2000;
	const defaultEffectTimeoutMs = options.effectTimeoutMs ?? 60_000;
	const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
	const issued = new WeakMap<ConfirmationToken, {prepId: string; used: boolean}>();
	// Only plans this gate made can be confirmed or run: a hand-built PreparedAction could claim any request.
	const ownPlans = new WeakSet<PreparedAction>();
	const inFlight = new Map<string, string>();
	const handles = new Map<string, {stop(): void; skipWait(): void}>();

	const readOnlyRefusal = (action: ActionDefinition) =>
		readOnly.on && action.mutates ? `read-only mode (${readOnly.reason}): ${action.title} is not available` : null;

	async function availability(action: ActionDefinition): Promise<Availability> {
		const ro = readOnlyRefusal(action);
		if (ro) return {available: false, reason: ro};
		return routeAvailability(action, env);
	}

	const flightKey = (p: PreparedAction) => `${p.action.id}:${p.targets.map((t) => t.id).sort().join(',')}`;

	function auditBase(run: ActionRun, prepared: PreparedAction): Omit<AuditEntry, 'phase' | 'result' | 'time'> {
		return {
			v: 1,
			runId: run.runId,
			user,
			host,
			context: env.contextName,
			action: prepared.action.id,
			targets: prepared.targets.map((t) => ({kind: t.kind, id: t.id, name: t.name})),
			inputs: prepared.inputs,
			requests: run.requests,
		};
	}

	async function prepare(actionId: string, targets?: ActionTarget[], rawInputs: Record<string, unknown> = {}): Promise<PrepareResult> {
		const action = getAction(actionId);
		if (!action) return {ok: false, status: 'refused', reason: `unknown action "${actionId}"; \`hive-console action list\` shows them`};
		const avail = await availability(action);
		if (!avail.available) return {ok: false, status: 'refused', reason: avail.reason};
		const parsed = validateInputs(action, rawInputs);
		if (!parsed.ok) return {ok: false, status: 'refused', reason: parsed.reason, ...(parsed.field ? {field: parsed.field} : {})};
		const signal = AbortSignal.timeout(requestTimeoutMs);
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
		ownPlans.add(prepared);
		return {ok: true, prepared};
	}

	function confirm(prepared: PreparedAction, answer: ConfirmationAnswer) {
		if (!ownPlans.has(prepared)) return {ok: false as const, reason: 'this action was not prepared by this gate; prepare it again'};
		const need = prepared.confirmation;
		let how: string | null = null;
		if (answer.kind === 'flag-yes') how = '--yes';
		else if (need.kind === 'typed') {
			if (answer.kind !== 'typed') return {ok: false as const, reason: `${prepared.action.title} is critical: type "${need.expected}" to confirm`};
			if (answer.text.trim() !== need.expected) {
				return {ok: false as const, reason: `typed "${answer.text.trim()}" does not match "${need.expected}"; nothing sent`};
			}
			how = 'typed name';
		} else if (need.kind === 'confirm') {
			if (answer.kind === 'yes') return {ok: false as const, reason: `${prepared.action.title} needs an explicit Confirm`};
			how = 'confirm';
		} else how = answer.kind === 'typed' ? 'typed' : answer.kind;
		const token: ConfirmationToken = Object.freeze({prepId: prepared.prepId, how});
		issued.set(token, {prepId: prepared.prepId, used: false});
		return {ok: true as const, token};
	}

	function newRun(prepared: PreparedAction, status: RunStatus, message: string): ActionRun {
		return {
			runId: randomUUID(),
			actionId: prepared.action.id,
			title: prepared.action.title,
			severity: prepared.action.severity,
			targets: prepared.targets,
			inputs: prepared.inputs,
			requests: prepared.plan.requests.map((r) => r.display),
			status,
			message,
			notes: [...prepared.plan.notes],
			startedAt: Date.now(),
			sentAt: null,
			finishedAt: status === 'checking' ? null : Date.now(),
			confirmedBy: null,
			progress: [],
			replies: [],
			waitingUntil: null,
		};
	}

	function finishedHandle(run: ActionRun): RunHandle {
		addRun(history, run);
		return {runId: run.runId, done: Promise.resolve(run), stop() {}, skipWait() {}};
	}

	async function sendOne(request: PlannedRequest, signal: AbortSignal): Promise<ActionReply> {
		const deadline = AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]);
		try {
			if (request.kind === 'redis') {
				if (!env.redis) return {ok: false, httpStatus: 0, message: 'no Redis is configured', body: null};
				const [command, ...args] = request.command;
				const reply = await env.redis.call(command!, ...args);
				return {ok: true, httpStatus: 0, message: String(reply), body: reply};
			}
			return await env.send(request, deadline);
		} catch (error) {
			if (error instanceof RequestTimeoutError || (deadline.aborted && !signal.aborted)) {
				return {ok: false, httpStatus: 0, message: `no reply within ${Math.round(requestTimeoutMs / 1000)} s; the hive may or may not have acted, check before retrying`, body: {timeout: true}};
			}
			return replyFromError(error);
		}
	}

	function start(prepared: PreparedAction, token: ConfirmationToken | null, runOptions: RunOptions = {}): RunHandle {
		const action = prepared.action;
		const ro = readOnlyRefusal(action);
		if (ro) return finishedHandle(newRun(prepared, 'refused', ro));
		if (!ownPlans.has(prepared)) return finishedHandle(newRun(prepared, 'refused', 'this action was not prepared by this gate; prepare it again'));
		// Read-only analyses must stay read-only: anything but a GET needs the full confirmation path.
		const onlyGets = prepared.plan.requests.every((r) => r.kind === 'http' && r.method === 'GET');
		if (!action.mutates && !onlyGets) return finishedHandle(newRun(prepared, 'refused', `${action.id} is declared read-only but would send a change; refused`));
		if (runOptions.dryRun) {
			const run = newRun(prepared, 'dry-run', `dry run: ${prepared.plan.requests.length} request(s) shown, nothing sent`);
			return finishedHandle(run);
		}
		if (action.mutates) {
			const record = token ? issued.get(token) : undefined;
			if (!token || !record || record.prepId !== prepared.prepId) {
				return finishedHandle(newRun(prepared, 'refused', `${action.title} needs a confirmation (${prepared.confirmation.prompt}); nothing sent`));
			}
			if (record.used) return finishedHandle(newRun(prepared, 'refused', 'this confirmation was already used; confirm again to run it again'));
			record.used = true;
		}
		const key = flightKey(prepared);
		const running = inFlight.get(key);
		if (running) {
			return finishedHandle(newRun(prepared, 'busy', `${action.title} is already running on ${prepared.targets.map((t) => t.name).join(', ')}; not sent again`));
		}
		const run = newRun(prepared, 'checking', 'checking the target before sending');
		inFlight.set(key, run.runId);
		addRun(history, run);
		const stopper = new AbortController();
		if (runOptions.signal) runOptions.signal.addEventListener('abort', () => stopper.abort(), {once: true});
		let skipper = new AbortController();
		const handle = {
			stop: () => stopper.abort(),
			skipWait: () => skipper.abort(),
		};
		handles.set(run.runId, handle);
		const done = execute(prepared, run.runId, token?.how ?? 'read-only action', stopper.signal, () => {
			skipper = new AbortController();
			return skipper.signal;
		}).finally(() => {
			inFlight.delete(key);
			handles.delete(run.runId);
		});
		return {runId: run.runId, done, ...handle};
	}

	async function execute(prepared: PreparedAction, runId: string, how: string, stopSignal: AbortSignal, newSkipSignal: () => AbortSignal): Promise<ActionRun> {
		const action = prepared.action;
		const started = Date.now();
		const update = (patch: Partial<ActionRun> | ((r: ActionRun) => Partial<ActionRun>)) => updateRun(history, runId, patch)!;
		const progress = (target: ActionTarget, state: 'waiting' | 'checking' | 'sent' | 'failed' | 'skipped', message: string) =>
			update((r) => ({progress: [...r.progress, {at: Date.now(), targetId: target.id, targetName: target.name, state, message}]}));
		const base = () => auditBase(findRun(history, runId)!, prepared);
		// Reads (the analyses) change nothing and are not audited; every change is.
		const writeAudit = async (phase: AuditEntry['phase'], result: string, message?: string) => {
			if (!action.mutates) return;
			await audit.append({...base(), time: new Date().toISOString(), phase, result, confirmation: how, ...(message === undefined ? {} : {message}), durationMs: Date.now() - started});
		};
		const finish = (status: RunStatus, message: string, extra: Partial<ActionRun> = {}) =>
			update({status, message, finishedAt: Date.now(), waitingUntil: null, ...extra});

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
					const reply = await sendOne(request, new AbortController().signal);
					replies.push(reply);
					update((r) => ({replies: [...r.replies, {targetId: target.id, request: request.display, ok: reply.ok, httpStatus: reply.httpStatus, message: reply.message, body: reply.body}]}));
					progress(target, reply.ok ? 'sent' : 'failed', reply.message);
					if (reply.ok) sentTargets.push(target);
				}
			}
			const failures = findRun(history, runId)!.replies.filter((r) => !r.ok);
			if (failures.length > 0) {
				const timedOut = failures.every((f) => (f.body as {timeout?: boolean} | null)?.timeout === true);
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
			if (!action.effect) {
				const run = finish('confirmed', action.mutates ? `accepted: ${replyMessage}` : 'done', {confirmedBy: 'reply'});
				await writeAudit('effect', 'confirmed', 'no read-back for this action; the reply confirms it');
				return run;
			}
			update({status: 'pending', message: 'sent; waiting for the effect'});
			const deadline = Date.now() + (action.effectTimeoutMs ?? defaultEffectTimeoutMs);
			let last = 'no effect seen yet';
			for (;;) {
				try {
					const check = await action.effect({targets: sentTargets, inputs: prepared.inputs, env, signal: AbortSignal.timeout(requestTimeoutMs), baseline, sentAt, replies});
					last = check.message;
					if (check.seen) {
						const run = finish('confirmed', check.message, {confirmedBy: 'effect'});
						await writeAudit('effect', 'confirmed', check.message);
						return run;
					}
					if (check.final) {
						// The hive's own answer rules the effect out (it says it did nothing): waiting longer cannot help.
						const run = finish('unconfirmed', check.message);
						await writeAudit('effect', 'unconfirmed', check.message);
						return run;
					}
					update({message: `pending: ${check.message}`});
				} catch (error) {
					last = `effect check could not read: ${describeError(error)}`;
					update({message: `pending: ${last}`});
				}
				if (Date.now() >= deadline || stopSignal.aborted) break;
				await sleep(Math.min(effectPollMs, Math.max(0, deadline - Date.now())), stopSignal);
			}
			const message = `effect not seen in ${Math.round((action.effectTimeoutMs ?? defaultEffectTimeoutMs) / 1000)} s: ${last}`;
			const run = finish('unconfirmed', message);
			await writeAudit('effect', 'unconfirmed', message);
			return run;
		} catch (error) {
			const message = describeError(error);
			const run = finish('failed', message);
			if (run.sentAt !== null) await writeAudit('reply', 'failed', message).catch(() => undefined);
			return run;
		}
	}

	return {
		history,
		env,
		readOnly,
		async list(actions) {
			return Promise.all(actions.map(async (action) => ({action, availability: await availability(action)})));
		},
		availability,
		prepare,
		confirm,
		start,
		run: (prepared, token, runOptions) => start(prepared, token, runOptions).done,
		flightKey,
		isRunning: (prepared) => inFlight.has(flightKey(prepared)),
	};
}
