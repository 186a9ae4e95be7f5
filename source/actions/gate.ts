// The one gate every action passes through, whoever asks (a console key, a detail view, a playbook step,
// `hive-console action`): read-only mode, availability in the connected profile, input validation, the
// confirmation that matches the severity, single flight, the pre-check, the audit log (intent fsync'd
// before sending), sending, and the effect check that turns "pending" into confirmed/failed/unconfirmed.
// Each of those is a file in gate/; this one puts them in order and keeps the public face in one place.
import os from 'node:os';
import {currentUser} from './audit-log.js';
import {addRun, createActionHistory} from './history.js';
import {createConfirmations, NOT_OURS} from './gate/confirmation.js';
import {execute} from './gate/execute.js';
import {prepareAction} from './gate/prepare.js';
import {gateAvailability, onlyReads, readOnlyRefusal} from './gate/read-only.js';
import {finishedHandle, newRun} from './gate/run-record.js';
import {createSingleFlight, flightKey} from './gate/single-flight.js';
import type {Gate, GateOptions, GateSettings, RunHandle} from './gate/types.js';

export type {
	ActionListing,
	ConfirmationAnswer,
	ConfirmationRequirement,
	ConfirmationToken,
	Gate,
	GateOptions,
	PreparedAction,
	PrepareResult,
	ReadOnlyMode,
	RunHandle,
	RunOptions,
} from './gate/types.js';
export {sleep} from './gate/sleep.js';

export function createGate(options: GateOptions): Gate {
	const settings: GateSettings = {
		env: options.env,
		audit: options.audit,
		readOnly: options.readOnly ?? {on: false, reason: ''},
		history: options.history ?? createActionHistory(),
		user: options.user ?? currentUser(),
		host: options.host ?? os.hostname(),
		effectPollMs: options.effectPollMs ?? 2000,
		effectTimeoutMs: options.effectTimeoutMs ?? 60_000,
		requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
	};
	const {env, history, readOnly} = settings;
	const confirmations = createConfirmations();
	const flights = createSingleFlight();
	const handles = new Map<string, {stop(): void; skipWait(): void}>();
	const refuse = (prepared: Parameters<Gate['start']>[0], reason: string) => finishedHandle(history, newRun(prepared, 'refused', reason));

	const start: Gate['start'] = (prepared, token, runOptions = {}): RunHandle => {
		const action = prepared.action;
		const ro = readOnlyRefusal(readOnly, action);
		if (ro) return refuse(prepared, ro);
		if (!confirmations.isOurs(prepared)) return refuse(prepared, NOT_OURS);
		if (!action.mutates && !onlyReads(prepared.plan.requests)) return refuse(prepared, `${action.id} is declared read-only but would send a change; refused`);
		if (runOptions.dryRun) {
			return finishedHandle(history, newRun(prepared, 'dry-run', `dry run: ${prepared.plan.requests.length} request(s) shown, nothing sent`));
		}
		if (action.mutates) {
			const refusal = confirmations.spend(prepared, token);
			if (refusal) return refuse(prepared, refusal);
		}
		const key = flightKey(prepared);
		const run = newRun(prepared, 'checking', 'checking the target before sending');
		if (!flights.claim(key, run.runId)) {
			return finishedHandle(history, newRun(prepared, 'busy', `${action.title} is already running on ${prepared.targets.map((t) => t.name).join(', ')}; not sent again`));
		}
		addRun(history, run);
		const stopper = new AbortController();
		if (runOptions.signal) runOptions.signal.addEventListener('abort', () => stopper.abort(), {once: true});
		let skipper = new AbortController();
		const handle = {
			stop: () => stopper.abort(),
			skipWait: () => skipper.abort(),
		};
		handles.set(run.runId, handle);
		const done = execute({
			settings,
			prepared,
			runId: run.runId,
			how: token?.how ?? 'read-only action',
			stopSignal: stopper.signal,
			newSkipSignal: () => {
				skipper = new AbortController();
				return skipper.signal;
			},
		}).finally(() => {
			flights.release(key);
			handles.delete(run.runId);
		});
		return {runId: run.runId, done, ...handle};
	};

	const availability: Gate['availability'] = (action) => gateAvailability(readOnly, env, action);

	return {
		history,
		env,
		readOnly,
		async list(actions) {
			return Promise.all(actions.map(async (action) => ({action, availability: await availability(action)})));
		},
		availability,
		prepare: (actionId, targets, rawInputs) => prepareAction(settings, confirmations, actionId, targets, rawInputs),
		confirm: (prepared, answer) => confirmations.confirm(prepared, answer),
		start,
		run: (prepared, token, runOptions) => start(prepared, token, runOptions).done,
		flightKey,
		isRunning: (prepared) => flights.isRunning(flightKey(prepared)),
	};
}
