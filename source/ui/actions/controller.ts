// The console's side of the recovery actions, as one small zustand store the views only draw, and the
// commands of the action views (their keys are keymap data, routed here by the console's one input
// router). The jobs live in their own modules: the confirmation is a pure reducer (confirm-state.ts),
// targets are captured by id (targets.ts), runs and their toasts (runs.ts, toasts.ts), the playbook driver
// (playbook-driver.ts). Every send goes through the one gate.
import {createStore, type StoreApi} from 'zustand/vanilla';
import {
	getAction,
	prepareRecommendation,
	type ActionDefinition,
	type ActionRun,
	type ActionTarget,
	type Availability,
	type ConfirmationAnswer,
	type Gate,
	type PlaybookRunner,
	type PreparedAction,
} from '../../actions/index.js';
import type {EscalationPath} from '../../actions/playbooks.js';
import type {Assessment, Thresholds} from '../../model/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import type {TimelineEntry} from '../../timeline/types.js';
import type {PlaybookState} from '../../actions/playbooks/types.js';
import {describeError} from '../../util/redact.js';
import type {SelectedRow} from '../app.js';
import type {Clipboard} from '../clipboard.js';
import type {Notice} from '../chrome.js';
import type {CommandId, ViewId} from '../keymap.js';
import type {TaskRow} from '../panes/tasks.js';
import {ACTION_UI_COMMANDS} from './action-keys.js';
import {confirmReducer, openConfirmState, type ConfirmEvent, type ConfirmState} from './confirm-state.js';
import {PlaybookDriver} from './playbook-driver.js';
import {RunTracker} from './runs.js';
import {captureTargets, toggleMark} from './targets.js';
import {Toasts} from './toasts.js';

export {focusOrder, type ConfirmState, type Focus} from './confirm-state.js';
export {runLine} from './runs.js';

export type Modal =
	| {kind: 'preparing'; title: string}
	| {kind: 'confirm'; confirm: ConfirmState}
	| {kind: 'run'; runId: string}
	| {kind: 'history'; selected: number}
	| {kind: 'playbook'}
	| {kind: 'message'; title: string; lines: string[]; tone: Notice['tone']}
	| {kind: 'timeline'};

export interface ActionUiState {
	/** Null until the gate is ready (the hive's API profile has to be detected first). */
	availability: Map<string, Availability> | null;
	/** Why there is no gate (the hive could not be reached to detect its profile), else null. */
	gateError: string | null;
	modal: Modal | null;
	toast: Notice | null;
	/** Marked tasks, by id, with the name they had when marked. */
	marked: Map<string, ActionTarget>;
	playbook: PlaybookRunner | null;
	/** Bumped when the runner's state changes, so views re-render. */
	playbookVersion: number;
	/** The gate's history, mirrored for the views. */
	runs: ActionRun[];
	/** The timeline's entries, oldest first, mirrored while the Timeline view is open. */
	timeline: TimelineEntry[];
}

export interface ActionControllerOptions {
	gate: Promise<Gate>;
	/** The current assessment (banner's scenario and recommendation), when the console has not drawn one yet. */
	assessment(): Assessment | null;
	/** How long a toast for a finished run stays. */
	toastMs?: number;
	/** The thresholds in force, for a playbook's verification (default: the runbook's table). */
	thresholds?(): Thresholds | undefined;
	/** The configured escalation path, shown with a playbook that ends not recovered. */
	escalation?: EscalationPath | null;
	/** The hive snapshot on screen: its clock judges whether a selected agent is a problem agent. */
	hive?(): HiveSnapshot | null;
	/** The incident tools: the timeline the console records and the snapshot it writes. */
	incident?: IncidentTools;
	/** Where `y` copies a run's exact requests. */
	clipboard?: Clipboard;
}

/** What the console's incident keys run on (wired in source/app/incident.ts). */
export interface IncidentTools {
	timeline(): TimelineEntry[];
	subscribeTimeline(listener: (entries: TimelineEntry[]) => void): () => void;
	/** Writes the snapshot; resolves with the files written and what was left out. */
	snapshot(playbook: PlaybookState | null): Promise<{markdownPath: string; jsonPath: string; warnings: string[]}>;
}

/** The view each modal is in the console's view stack. */
export function modalView(modal: Modal | null): ViewId | null {
	return modal ? modal.kind : null;
}

export class ActionController {
	readonly store: StoreApi<ActionUiState>;
	private gate: Gate | null = null;
	private unsubscribers: Array<() => void> = [];
	private disposed = false;
	private readonly toasts: Toasts;
	private readonly runTracker: RunTracker;
	private readonly playbooks: PlaybookDriver;
	/** The assessment the console last drew: `!` and `a` act on what the banner shows. */
	private drawn: Assessment | null | undefined;

	constructor(private readonly options: ActionControllerOptions) {
		this.store = createStore<ActionUiState>(() => ({
			availability: null,
			gateError: null,
			modal: null,
			toast: null,
			marked: new Map(),
			playbook: null,
			playbookVersion: 0,
			runs: [],
			timeline: [],
		}));
		this.toasts = new Toasts((toast) => this.set({toast}), options.toastMs ?? 5000);
		this.runTracker = new RunTracker((notice, ms) => this.toasts.toast(notice, ms), options.toastMs ?? 6000);
		this.playbooks = new PlaybookDriver({
			gate: () => this.gate,
			modalKind: () => this.state.modal?.kind,
			showPlaybook: () => this.set({modal: {kind: 'playbook'}}),
			closeModal: () => this.set({modal: null}),
			preparing: (title) => this.set({modal: {kind: 'preparing', title}}),
			runner: () => this.state.playbook,
			setRunner: (playbook) => this.set({playbook}),
			changed: () => this.set({playbookVersion: this.state.playbookVersion + 1}),
			openConfirm: (prepared, inputs) => this.openConfirm(prepared, inputs, true),
			disposed: () => this.disposed,
			subscribe: (u) => this.unsubscribers.push(u),
			thresholds: () => this.options.thresholds?.(),
			escalation: options.escalation ?? null,
		});
		options.gate.then(
			(gate) => {
				if (this.disposed) return;
				this.gate = gate;
				this.unsubscribers.push(
					gate.history.subscribe((s) => {
						this.set({runs: s.runs});
						this.runTracker.onHistory(s.runs);
					}),
				);
				void this.refreshAvailability();
			},
			(error: unknown) => this.set({gateError: `actions unavailable: ${describeError(error)}`}),
		);
	}

	get state(): ActionUiState {
		return this.store.getState();
	}

	get currentGate(): Gate | null {
		return this.gate;
	}

	private set(patch: Partial<ActionUiState>): void {
		this.store.setState(patch);
	}

	/** The console tells the controller the assessment it drew, so keys act on what is on screen. */
	setDrawnAssessment(assessment: Assessment | null): void {
		this.drawn = assessment;
	}

	private assessment(): Assessment | null {
		return this.drawn !== undefined ? this.drawn : this.options.assessment();
	}

	dispose(): void {
		this.disposed = true;
		for (const u of this.unsubscribers) u();
		this.timelineUnsubscribe?.();
		this.toasts.dispose();
		this.runTracker.dispose();
		this.state.playbook?.abort();
	}

	async refreshAvailability(): Promise<void> {
		const gate = this.gate ?? (await this.options.gate.catch(() => null));
		if (!gate) return;
		const listing = await gate.list((await import('../../actions/index.js')).actions);
		this.set({availability: new Map(listing.map((l) => [l.action.id, l.availability]))});
	}

	canStop(runId: string): boolean {
		return this.runTracker.canStop(runId);
	}

	/** Why an action cannot run here and now, or null. */
	unavailableReason(actionId: string): string | null {
		if (this.state.gateError) return this.state.gateError;
		const a = this.state.availability?.get(actionId);
		if (!a) return this.gate ? null : 'connecting to the hive (its API profile decides which actions exist)…';
		return a.available ? null : a.reason;
	}

	private toast(notice: Notice, ms?: number): void {
		this.toasts.toast(notice, ms);
	}

	// ------------------------------------------------------------------ commands from the panes

	/** A console command the panes do not know; true when it was an action command. */
	command(command: string, selection: SelectedRow | null): boolean {
		if (command === ACTION_UI_COMMANDS.mark) return this.mark(selection), true;
		if (command === ACTION_UI_COMMANDS.history) {
			this.set({modal: this.state.modal?.kind === 'history' ? null : {kind: 'history', selected: 0}});
			return true;
		}
		if (command === ACTION_UI_COMMANDS.playbook) return this.openPlaybook(), true;
		if (command === ACTION_UI_COMMANDS.timeline) return this.toggleTimeline(), true;
		if (command === ACTION_UI_COMMANDS.snapshot) return void this.writeSnapshot(), true;
		if (command === ACTION_UI_COMMANDS.recommendation) return void this.openRecommendation(), true;
		const action = getAction(command);
		if (!action) return false;
		void this.openAction(action, selection);
		return true;
	}

	/** `y` in a run or the history: the exact request(s) as the confirmation showed them, one per line. */
	private copyRequests(run: ActionRun | undefined): void {
		if (run) this.copyRequestLines(run.title, run.requests, 'sent no request');
	}

	/** Ctrl-Y in a confirmation: what Confirm would send, for the incident channel, before sending it. */
	private copyPlannedRequests(confirm: ConfirmState): void {
		this.copyRequestLines(confirm.prepared.action.title, confirm.prepared.plan.requests.map((r) => r.display), 'plans no request');
	}

	private copyRequestLines(title: string, requests: string[], none: string): void {
		const clipboard = this.options.clipboard;
		if (!clipboard) return this.toast({text: 'copying is not available in this console', tone: 'muted'}, 3000);
		if (requests.length === 0) return this.toast({text: `${title} ${none}: nothing to copy`, tone: 'muted'}, 3000);
		const result = clipboard.copy(requests.length === 1 ? 'the exact request' : `the ${requests.length} exact requests`, requests.join('\n'));
		this.toast({text: result.message, tone: result.ok ? 'ok' : 'warning'}, 6000);
	}

	private timelineUnsubscribe: (() => void) | null = null;

	private toggleTimeline(): void {
		const incident = this.options.incident;
		if (this.state.modal?.kind === 'timeline') return this.set({modal: null});
		if (!incident) return this.toast({text: 'no timeline in this console', tone: 'muted'}, 3000);
		if (this.state.modal && this.state.modal.kind !== 'history' && this.state.modal.kind !== 'playbook') return;
		this.timelineUnsubscribe ??= incident.subscribeTimeline((timeline) => {
			if (this.state.modal?.kind === 'timeline') this.set({timeline});
		});
		this.set({modal: {kind: 'timeline'}, timeline: incident.timeline()});
	}

	private snapshotting = false;

	private async writeSnapshot(): Promise<void> {
		const incident = this.options.incident;
		if (!incident) return this.toast({text: 'no snapshot in this console', tone: 'muted'}, 3000);
		if (this.snapshotting) return this.toast({text: 'a snapshot is being written already', tone: 'muted'}, 3000);
		this.snapshotting = true;
		this.toast({text: 'writing the incident snapshot…', tone: 'muted'}, 10_000);
		try {
			const written = await incident.snapshot(this.state.playbook?.state ?? null);
			const left = written.warnings.length > 0 ? ` (${written.warnings.join('; ')})` : '';
			this.toast({text: `snapshot written: ${written.markdownPath} and .json${left}`, tone: written.warnings.length > 0 ? 'warning' : 'ok'}, 15_000);
		} catch (error) {
			this.toast({text: `snapshot not written: ${describeError(error)}`, tone: 'critical'}, 15_000);
		} finally {
			this.snapshotting = false;
		}
	}

	private mark(selection: SelectedRow | null): void {
		if (selection?.pane !== 'tasks') {
			this.toast({text: 'marking works on tasks: focus the tasks pane (3) and select one', tone: 'warning'}, 3000);
			return;
		}
		this.set({marked: toggleMark(this.state.marked, selection.row as TaskRow)});
	}

	/** The target(s) a key press means, captured by id now; or why there is none. */
	targetsFor(action: ActionDefinition, selection: SelectedRow | null): {targets?: ActionTarget[]} | {error: string} {
		return captureTargets(action, selection, {marked: this.state.marked, hive: this.options.hive?.() ?? null, thresholds: this.options.thresholds?.()});
	}

	/** Esc during planning closes the view: the plan that arrives later is dropped. */
	private stillPreparing(): boolean {
		return this.state.modal?.kind === 'preparing';
	}

	private refuse(title: string, reason: string): void {
		this.set({modal: {kind: 'message', title: `${title}: not available`, lines: [reason, 'Nothing was sent.'], tone: 'warning'}});
	}

	async openAction(action: ActionDefinition, selection: SelectedRow | null): Promise<void> {
		if (this.state.modal && this.state.modal.kind !== 'playbook' && this.state.modal.kind !== 'history') return;
		const unavailable = this.unavailableReason(action.id);
		if (unavailable) return this.refuse(action.title, unavailable);
		const chosen = this.targetsFor(action, selection);
		if ('error' in chosen) return this.refuse(action.title, chosen.error);
		const inputs = Object.fromEntries(action.inputFields.map((f) => [f.name, String(f.default)]));
		this.set({modal: {kind: 'preparing', title: action.title}});
		const result = await this.gate!.prepare(action.id, chosen.targets, inputs);
		if (!this.stillPreparing()) return;
		if (!result.ok) return this.refuse(action.title, result.reason);
		// Reads change nothing: no confirmation, the result opens in its own view.
		if (!action.mutates) return this.startRun(result.prepared, null);
		this.openConfirm(result.prepared, inputs, false);
	}

	private openConfirm(prepared: PreparedAction, inputs: Record<string, string>, fromPlaybook: boolean): void {
		this.set({modal: {kind: 'confirm', confirm: openConfirmState(prepared, inputs, fromPlaybook)}});
	}

	private async openRecommendation(): Promise<void> {
		const rec = this.assessment()?.recommendations.find((r) => r.actionId);
		if (!rec) return this.toast({text: 'no tuning recommendation with an action right now', tone: 'muted'}, 3000);
		const unavailable = this.unavailableReason(rec.actionId!);
		if (unavailable) return this.refuse(getAction(rec.actionId!)?.title ?? rec.actionId!, unavailable);
		this.set({modal: {kind: 'preparing', title: rec.text}});
		const result = await prepareRecommendation(this.gate!, rec);
		if (!this.stillPreparing()) return;
		if (!result.ok) return this.refuse(rec.text, result.reason);
		this.openConfirm(result.prepared, Object.fromEntries(Object.entries(rec.inputs).map(([k, v]) => [k, String(v)])), false);
	}

	private startRun(prepared: PreparedAction, answer: ConfirmationAnswer | null, fromPlaybook = false): void {
		const gate = this.gate!;
		let token = null;
		if (answer) {
			const confirmed = gate.confirm(prepared, answer);
			if (!confirmed.ok) return this.confirmEvent({type: 'refused', reason: confirmed.reason});
			token = confirmed.token;
		}
		if (fromPlaybook && this.state.playbook) return this.playbooks.runAction(prepared, token);
		const handle = gate.start(prepared, token);
		this.runTracker.add(handle);
		this.set({modal: {kind: 'run', runId: handle.runId}});
	}

	// ------------------------------------------------------------------ the action views' commands

	/**
	 * A command of one of the action views, as the router found it in the keymap for the view on top
	 * (`input` is the key's text, for a letter that is also typed into a field).
	 */
	viewCommand(view: ViewId, command: CommandId, input = ''): void {
		const modal = this.state.modal;
		if (!modal || modal.kind !== view) return;
		switch (modal.kind) {
			case 'preparing':
				if (command === 'cancel') this.set({modal: null});
				return;
			case 'message':
				if (command === 'close' || command === 'activate') this.set({modal: null});
				return;
			case 'timeline':
				if (command === 'close') this.set({modal: null});
				return;
			case 'run':
				if (command === 'close' || command === 'activate') this.set({modal: null});
				else if (command === 'run-stop') this.runTracker.stop(modal.runId);
				else if (command === 'copy-request') this.copyRequests(this.state.runs.find((r) => r.runId === modal.runId));
				else if (command === 'run-skip-wait') this.runTracker.skipWait(modal.runId);
				return;
			case 'history':
				return this.historyCommand(modal.selected, command);
			case 'playbook':
				return this.playbooks.command(command);
			case 'confirm':
				if (command === 'confirm-copy' && this.state.modal?.kind === 'confirm') return this.copyPlannedRequests(this.state.modal.confirm);
				return this.confirmEvent({type: 'command', command, input});
		}
	}

	/** Text typed while a view that takes text is on top (a confirmation's fields). */
	text(view: ViewId, text: string): void {
		if (view === 'confirm') this.confirmEvent({type: 'text', text});
	}

	private historyCommand(selected: number, command: CommandId): void {
		const runs = this.gate?.history.getState().runs ?? [];
		const last = Math.max(0, runs.length - 1);
		const select = (to: number) => this.set({modal: {kind: 'history', selected: Math.max(0, Math.min(last, to))}});
		const page = 10;
		switch (command) {
			case 'close':
				return this.set({modal: null});
			case 'history-down':
				return select(selected + 1);
			case 'history-up':
				return select(selected - 1);
			case 'history-page-down':
				return select(selected + page);
			case 'history-page-up':
				return select(selected - page);
			case 'history-top':
				return select(0);
			case 'history-bottom':
				return select(last);
		}
		// The list shows the newest first.
		const run = runs[runs.length - 1 - selected];
		if (!run) return;
		if (command === 'history-open') this.set({modal: {kind: 'run', runId: run.runId}});
		else if (command === 'copy-request') this.copyRequests(run);
		else if (command === 'run-stop') this.runTracker.stop(run.runId);
		else if (command === 'run-skip-wait') this.runTracker.skipWait(run.runId);
	}

	private confirmEvent(event: ConfirmEvent): void {
		const modal = this.state.modal;
		if (modal?.kind !== 'confirm') return;
		const {state, effect} = confirmReducer(modal.confirm, event);
		if (state !== modal.confirm) this.set({modal: {kind: 'confirm', confirm: state}});
		switch (effect.kind) {
			case 'cancel':
				if (state.fromPlaybook) this.playbooks.holdStep();
				return this.set({modal: state.fromPlaybook ? {kind: 'playbook'} : null});
			case 'replan': {
				const {inputs} = effect;
				void this.gate!.prepare(state.prepared.action.id, state.prepared.targets, inputs).then((result) => {
					const now = this.state.modal;
					if (now?.kind !== 'confirm' || now.confirm.prepared.action.id !== state.prepared.action.id) return;
					this.confirmEvent(result.ok ? {type: 'planned', inputs, prepared: result.prepared} : {type: 'plan-failed', inputs, reason: result.reason});
				});
				return;
			}
			case 'submit':
				return this.startRun(state.prepared, effect.answer, state.fromPlaybook);
			case 'none':
				return;
		}
	}

	// ------------------------------------------------------------------ playbooks

	/** The scenario the banner offers: the model's most severe one. */
	bannerScenario() {
		return this.assessment()?.scenarios[0] ?? null;
	}

	openPlaybook(): void {
		const running = this.state.playbook;
		if (running && !running.state.finished) {
			this.set({modal: {kind: 'playbook'}});
			return this.playbooks.advance();
		}
		const scenario = this.bannerScenario();
		if (!scenario) {
			if (running) return this.set({modal: {kind: 'playbook'}});
			return this.toast({text: 'no runbook scenario is active: no playbook to open', tone: 'muted'}, 3000);
		}
		if (!this.gate) return this.refuse('Playbook', this.unavailableReason('emergency-stop') ?? 'not connected');
		this.playbooks.open(scenario.scenario, this.gate.env.profile);
	}
}
