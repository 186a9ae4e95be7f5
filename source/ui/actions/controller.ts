// The console's side of the recovery actions: what a key press on an action does (capture the target by id,
// ask the gate, open the confirmation), the confirmation's own keys (focus, typing, inputs validated live),
// the runs it started (stop, skip the wait), the playbook runner, marks and toasts. Everything is kept in
// one small zustand store so the views only draw it; every send goes through the one gate.
import {createStore, type StoreApi} from 'zustand/vanilla';
import type {Key} from 'ink';
import {
	FINAL_STATUSES,
	agentTarget,
	getAction,
	getPlaybook,
	prepareRecommendation,
	problemReason,
	streamTarget,
	validateInputs,
	PlaybookRunner,
	type ActionDefinition,
	type ActionRun,
	type ActionTarget,
	type Availability,
	type ConfirmationAnswer,
	type Gate,
	type PreparedAction,
	type RunHandle,
} from '../../actions/index.js';
import type {Agent} from '../../contract/types.js';
import type {EscalationPath} from '../../actions/playbooks.js';
import {hiveTime} from '../../model/agents.js';
import type {Assessment, Thresholds} from '../../model/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {describeError} from '../../util/redact.js';
import type {SelectedRow} from '../app.js';
import type {Notice} from '../chrome.js';
import {keyName} from '../keymap.js';
import type {StreamRow} from '../panes/streams.js';
import type {TaskRow} from '../panes/tasks.js';
import {ACTION_UI_COMMANDS} from './action-keys.js';

export type Focus = 'cancel' | 'confirm' | 'typed' | `input:${string}`;

export interface ConfirmState {
	prepared: PreparedAction;
	/** Raw text of each input field, validated as typed. */
	inputs: Record<string, string>;
	inputError: string | null;
	focus: Focus;
	typed: string;
	/** Why the last confirmation attempt was refused (wrong name), shown until the next key. */
	error: string | null;
	/** A re-plan for new inputs is on its way: confirming waits for it. */
	replanning: boolean;
	/** Opened from a playbook step: the run goes through the runner, and the view returns to the playbook. */
	fromPlaybook: boolean;
}

export type Modal =
	| {kind: 'preparing'; title: string}
	| {kind: 'confirm'; confirm: ConfirmState}
	| {kind: 'run'; runId: string}
	| {kind: 'history'; selected: number}
	| {kind: 'playbook'}
	| {kind: 'message'; title: string; lines: string[]; tone: Notice['tone']};

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
}

export interface ActionControllerOptions {
	gate: Promise<Gate>;
	/** The current assessment (banner's scenario and recommendation). */
	assessment(): Assessment | null;
	/** How long a toast for a finished run stays. */
	toastMs?: number;
	/** The thresholds in force, for a playbook's verification (default: the runbook's table). */
	thresholds?(): Thresholds | undefined;
	/** The configured escalation path, shown with a playbook that ends not recovered. */
	escalation?: EscalationPath | null;
	/** The hive snapshot on screen: its clock judges whether a selected agent is a problem agent. */
	hive?(): HiveSnapshot | null;
}

const PRINTABLE = /^[^\u0000-\u001f\u007f]$/u;

function fieldOf(focus: Focus): string | null {
	return focus.startsWith('input:') ? focus.slice(6) : null;
}

function runTone(run: ActionRun): Notice['tone'] {
	switch (run.status) {
		case 'confirmed':
		case 'dry-run':
			return 'ok';
		case 'failed':
		case 'refused':
			return 'critical';
		case 'unconfirmed':
		case 'stopped':
		case 'busy':
		case 'skipped':
			return 'warning';
		default:
			return 'accent';
	}
}

export function runLine(run: ActionRun): string {
	const targets = run.targets.map((t) => t.name).join(', ');
	return `${run.title}${targets ? ` on ${targets}` : ''}: ${run.status} · ${run.message}`;
}

/** The focus order of a confirmation: input fields, the typed name, then the two buttons. */
export function focusOrder(c: ConfirmState): Focus[] {
	const order: Focus[] = c.prepared.action.inputFields.map((f) => `input:${f.name}` as Focus);
	if (c.prepared.confirmation.kind === 'typed') order.push('typed');
	order.push('cancel', 'confirm');
	return order;
}

export class ActionController {
	readonly store: StoreApi<ActionUiState>;
	private gate: Gate | null = null;
	private readonly handles = new Map<string, RunHandle>();
	private toastTimer: NodeJS.Timeout | null = null;
	private readonly seen = new Map<string, string>();
	private unsubscribers: Array<() => void> = [];
	private disposed = false;
	/** A confirmation in flight: a second Enter before the modal closes must not send again. */
	private confirming = false;
	/** The playbook runs on by itself once started: checks and waits run, action steps open their confirmation. */
	private playbookAuto = false;
	/** The step whose confirmation the operator cancelled: not reopened until Enter asks for it. */
	private playbookHold: number | null = null;
	private advancing = false;

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
		}));
		options.gate.then(
			(gate) => {
				if (this.disposed) return;
				this.gate = gate;
				this.unsubscribers.push(gate.history.subscribe((s) => this.onHistory(s.runs)));
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

	dispose(): void {
		this.disposed = true;
		for (const u of this.unsubscribers) u();
		if (this.toastTimer) clearTimeout(this.toastTimer);
		for (const h of this.handles.values()) h.stop();
		this.state.playbook?.abort();
	}

	async refreshAvailability(): Promise<void> {
		const gate = this.gate ?? (await this.options.gate.catch(() => null));
		if (!gate) return;
		const listing = await gate.list((await import('../../actions/index.js')).actions);
		this.set({availability: new Map(listing.map((l) => [l.action.id, l.availability]))});
	}

	/** Whether a stop/skip handle is held for this run (it was started from this console and is running). */
	canStop(runId: string): boolean {
		return this.handles.has(runId);
	}

	/** Why an action cannot run here and now, or null. */
	unavailableReason(actionId: string): string | null {
		if (this.state.gateError) return this.state.gateError;
		const a = this.state.availability?.get(actionId);
		if (!a) return this.gate ? null : 'connecting to the hive (its API profile decides which actions exist)…';
		return a.available ? null : a.reason;
	}

	// ------------------------------------------------------------------ toasts from the history

	private toast(notice: Notice, ms = this.options.toastMs ?? 5000): void {
		if (this.toastTimer) clearTimeout(this.toastTimer);
		this.set({toast: notice});
		this.toastTimer = setTimeout(() => {
			this.toastTimer = null;
			this.set({toast: null});
		}, ms);
		this.toastTimer.unref?.();
	}

	private onHistory(runs: ActionRun[]): void {
		this.set({runs});
		for (const run of runs) {
			const key = `${run.status}|${run.message}|${run.progress.length}`;
			if (this.seen.get(run.runId) === key) continue;
			this.seen.set(run.runId, key);
			this.toast({text: runLine(run), tone: runTone(run)}, FINAL_STATUSES.has(run.status) ? this.options.toastMs ?? 6000 : 60_000);
			if (FINAL_STATUSES.has(run.status)) this.handles.delete(run.runId);
		}
	}

	// ------------------------------------------------------------------ commands from the console

	/** A console command the UI itself does not know; true when it was an action command. */
	command(command: string, selection: SelectedRow | null): boolean {
		if (command === ACTION_UI_COMMANDS.mark) return this.toggleMark(selection), true;
		if (command === ACTION_UI_COMMANDS.history) return this.set({modal: {kind: 'history', selected: 0}}), true;
		if (command === ACTION_UI_COMMANDS.playbook) return this.openPlaybook(), true;
		if (command === ACTION_UI_COMMANDS.recommendation) return void this.openRecommendation(), true;
		const action = getAction(command);
		if (!action) return false;
		void this.openAction(action, selection);
		return true;
	}

	private toggleMark(selection: SelectedRow | null): void {
		if (selection?.pane !== 'tasks') {
			this.toast({text: 'marking works on tasks: focus the tasks pane (3) and select one', tone: 'warning'}, 3000);
			return;
		}
		const row = selection.row as TaskRow;
		const marked = new Map(this.state.marked);
		if (marked.has(row.id)) marked.delete(row.id);
		else marked.set(row.id, {kind: 'task', id: row.id, name: row.title, ...(row.stuck ? {reason: 'stuck'} : {})});
		this.set({marked});
	}

	/** The target(s) a key press means, captured by id now; or why there is none. */
	targetsFor(action: ActionDefinition, selection: SelectedRow | null): {targets?: ActionTarget[]} | {error: string} {
		if (action.defaultTargets || action.targetKind === 'hive' || action.targetKind === 'setting') return {};
		const need = {agent: ['agents', '2'], task: ['tasks', '3'], stream: ['streams', '4']}[action.targetKind as 'agent' | 'task' | 'stream'];
		if (action.targetKind === 'task' && this.state.marked.size > 0) return {targets: [...this.state.marked.values()]};
		if (!selection || selection.pane !== need[0]) return {error: `${action.title} acts on the selected ${action.targetKind}: focus the ${need[0]} pane (${need[1]}) and select one`};
		if (action.targetKind === 'agent') {
			const agent = selection.row as Agent;
			// Judged as the agents pane judges it: on the hive's clock, with the configured threshold.
			const hive = this.options.hive?.() ?? null;
			const staleHeartbeatSeconds = this.options.thresholds?.()?.staleHeartbeatSeconds;
			const reason = problemReason(agent, hive ? hiveTime(hive) : Date.now(), staleHeartbeatSeconds === undefined ? {} : {staleHeartbeatSeconds});
			return {targets: [agentTarget(agent, reason)]};
		}
		if (action.targetKind === 'task') {
			const row = selection.row as TaskRow;
			return {targets: [{kind: 'task', id: row.id, name: row.title, ...(row.stuck ? {reason: 'stuck'} : {})}]};
		}
		return {targets: [streamTarget((selection.row as StreamRow).key)]};
	}

	/** Esc during planning closes the view: the plan that arrives later is dropped. */
	private stillPreparing(): boolean {
		return this.store.getState().modal?.kind === 'preparing';
	}

	private refuse(title: string, reason: string): void {
		this.set({modal: {kind: 'message', title: `${title}: not available`, lines: [reason, 'Nothing was sent.'], tone: 'warning'}});
	}

	async openAction(action: ActionDefinition, selection: SelectedRow | null, fromPlaybook = false): Promise<void> {
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
		this.openConfirm(result.prepared, inputs, fromPlaybook);
	}

	private openConfirm(prepared: PreparedAction, inputs: Record<string, string>, fromPlaybook: boolean): void {
		this.confirming = false;
		this.set({modal: {kind: 'confirm', confirm: {prepared, inputs, inputError: null, focus: 'cancel', typed: '', error: null, replanning: false, fromPlaybook}}});
	}

	private async openRecommendation(): Promise<void> {
		const rec = this.options.assessment()?.recommendations.find((r) => r.actionId);
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
			if (!confirmed.ok) {
				this.confirming = false;
				return this.patchConfirm({error: confirmed.reason, typed: ''});
			}
			token = confirmed.token;
		}
		const runner = this.state.playbook;
		if (fromPlaybook && runner) {
			void runner.runAction(prepared, token).then(() => this.advancePlaybook());
			this.set({modal: {kind: 'playbook'}});
			return;
		}
		const handle = gate.start(prepared, token);
		this.handles.set(handle.runId, handle);
		this.set({modal: {kind: 'run', runId: handle.runId}});
	}

	private patchConfirm(patch: Partial<ConfirmState>): void {
		const modal = this.state.modal;
		if (modal?.kind !== 'confirm') return;
		this.set({modal: {kind: 'confirm', confirm: {...modal.confirm, ...patch}}});
	}

	// ------------------------------------------------------------------ keys while a view is open

	/** Keys while one of our views is open (the console passes none to its panes then). */
	key(input: string, key: Key): void {
		const modal = this.state.modal;
		if (!modal) return;
		const name = keyName(input, key);
		switch (modal.kind) {
			case 'preparing':
				if (name === 'escape') this.set({modal: null});
				return;
			case 'message':
				if (name === 'escape' || name === 'enter' || name === 'q') this.set({modal: null});
				return;
			case 'run':
				return this.runKey(modal.runId, name);
			case 'history':
				return this.historyKey(modal.selected, name);
			case 'playbook':
				return this.playbookKey(name);
			case 'confirm':
				return this.confirmKey(modal.confirm, input, name);
		}
	}

	private runKey(runId: string, name: string): void {
		const handle = this.handles.get(runId);
		if (name === 'escape' || name === 'enter' || name === 'q') this.set({modal: null});
		else if (name === 's' && handle) handle.stop();
		else if (name === 'w' && handle) handle.skipWait();
	}

	private historyKey(selected: number, name: string): void {
		const runs = this.gate?.history.getState().runs ?? [];
		if (name === 'escape' || name === 'q' || name === 'H') return this.set({modal: null});
		if (name === 'down' || name === 'j') return this.set({modal: {kind: 'history', selected: Math.min(selected + 1, Math.max(0, runs.length - 1))}});
		if (name === 'up' || name === 'k') return this.set({modal: {kind: 'history', selected: Math.max(0, selected - 1)}});
		// The list shows the newest first.
		const run = runs[runs.length - 1 - selected];
		if (!run) return;
		if (name === 'enter') this.set({modal: {kind: 'run', runId: run.runId}});
		else if (name === 's') this.handles.get(run.runId)?.stop();
		else if (name === 'w') this.handles.get(run.runId)?.skipWait();
	}

	private confirmKey(c: ConfirmState, input: string, name: string): void {
		if (name === 'escape') {
			this.confirming = false;
			if (c.fromPlaybook) this.holdPlaybookStep();
			return this.set({modal: c.fromPlaybook ? {kind: 'playbook'} : null});
		}
		if (this.confirming) return;
		const order = focusOrder(c);
		const at = order.indexOf(c.focus);
		const field = fieldOf(c.focus);
		const kind = c.prepared.confirmation.kind;
		if (name === 'tab' || name === 'down') return this.patchConfirm({focus: order[(at + 1) % order.length]!, error: null});
		if (name === 'shift-tab' || name === 'up') return this.patchConfirm({focus: order[(at - 1 + order.length) % order.length]!, error: null});
		if ((name === 'left' || name === 'right') && (c.focus === 'cancel' || c.focus === 'confirm')) return this.patchConfirm({focus: c.focus === 'cancel' ? 'confirm' : 'cancel', error: null});
		if (name === 'backspace') {
			if (field) return this.editInput(c, field, c.inputs[field]!.slice(0, -1));
			if (c.focus === 'typed') return this.patchConfirm({typed: [...c.typed].slice(0, -1).join(''), error: null});
			return;
		}
		if (name === 'enter') {
			if (c.focus === 'cancel' && kind !== 'yes') {
				if (c.fromPlaybook) this.holdPlaybookStep();
				return this.set({modal: c.fromPlaybook ? {kind: 'playbook'} : null});
			}
			if (field) return this.patchConfirm({focus: order[at + 1]!});
			return this.submit(c);
		}
		if (kind === 'yes' && !field && input === 'y') return this.submit(c);
		if (input.length > 0 && PRINTABLE.test(input)) {
			if (field) return this.editInput(c, field, c.inputs[field]! + input);
			// Typing starts in the first text field: the name for a critical action, else the first input.
			const first = kind === 'typed' ? 'typed' : order.find((f) => fieldOf(f) !== null);
			if (first === 'typed' || c.focus === 'typed') return this.patchConfirm({focus: 'typed', typed: (c.focus === 'typed' ? c.typed : '') + input, error: null});
			if (first) return this.editInput({...c, focus: first}, fieldOf(first)!, input);
		}
	}

	private editInput(c: ConfirmState, field: string, text: string): void {
		const inputs = {...c.inputs, [field]: text};
		const check = validateInputs(c.prepared.action, inputs);
		this.patchConfirm({focus: `input:${field}`, inputs, inputError: check.ok ? null : check.reason, error: null, replanning: check.ok});
		if (!check.ok) return;
		// The plan shows the exact body, so it follows the inputs; the targets stay the ones captured.
		void this.gate!.prepare(c.prepared.action.id, c.prepared.targets, inputs).then((result) => {
			const now = this.state.modal;
			if (now?.kind !== 'confirm' || now.confirm.prepared.action.id !== c.prepared.action.id) return;
			if (JSON.stringify(now.confirm.inputs) !== JSON.stringify(inputs)) return;
			if (result.ok) this.patchConfirm({prepared: result.prepared, replanning: false});
			else this.patchConfirm({inputError: result.reason, replanning: false});
		});
	}

	private submit(c: ConfirmState): void {
		if (c.inputError) return this.patchConfirm({error: `fix the input first: ${c.inputError}`});
		if (c.replanning) return this.patchConfirm({error: 'the request is being re-planned for the new input; press again'});
		const kind = c.prepared.confirmation.kind;
		let answer: ConfirmationAnswer;
		if (kind === 'typed') answer = {kind: 'typed', text: c.typed};
		else if (kind === 'confirm') {
			if (c.focus !== 'confirm') return this.patchConfirm({error: 'move to Confirm (Tab or →) and press Enter'});
			answer = {kind: 'confirm'};
		} else answer = {kind: 'yes'};
		this.confirming = true;
		this.startRun(c.prepared, answer, c.fromPlaybook);
	}

	// ------------------------------------------------------------------ playbooks

	/** The scenario the banner offers: the model's most severe one. */
	bannerScenario() {
		return this.options.assessment()?.scenarios[0] ?? null;
	}

	openPlaybook(): void {
		const running = this.state.playbook;
		if (running && !running.state.finished) {
			this.set({modal: {kind: 'playbook'}});
			return this.advancePlaybook();
		}
		const scenario = this.bannerScenario();
		if (!scenario) {
			if (running) return this.set({modal: {kind: 'playbook'}});
			return this.toast({text: 'no runbook scenario is active: no playbook to open', tone: 'muted'}, 3000);
		}
		if (!this.gate) return this.refuse('Playbook', this.unavailableReason('emergency-stop') ?? 'not connected');
		// The connected hive's own playbook: the beehive server reaches the runbook's ends with its own controls.
		const playbook = getPlaybook(scenario.scenario, this.gate.env.profile)!;
		const runner = new PlaybookRunner(playbook, {
			gate: this.gate,
			watchPollMs: 2000,
			...(this.options.thresholds?.() ? {thresholds: this.options.thresholds()!} : {}),
			escalation: this.options.escalation ?? null,
		});
		this.playbookAuto = false;
		this.playbookHold = null;
		this.unsubscribers.push(
			runner.store.subscribe(() => {
				this.set({playbookVersion: this.state.playbookVersion + 1});
				// After the step that changed it has wound down (its finally blocks ran): a timer, not a microtask.
				setTimeout(() => this.advancePlaybook(), 0);
			}),
		);
		this.set({playbook: runner, modal: {kind: 'playbook'}});
	}

	private holdPlaybookStep(): void {
		const runner = this.state.playbook;
		if (runner) this.playbookHold = runner.state.current;
	}

	/**
	 * Once started, the playbook moves on by itself: a check or a wait runs as soon as it is current (in the
	 * background too), and an action step opens its confirmation when the playbook view is on screen. A
	 * failed step, or a confirmation the operator cancelled, waits for Enter (retry) or s (skip).
	 */
	private advancePlaybook(): void {
		const runner = this.state.playbook;
		if (!runner || !this.playbookAuto || this.advancing || this.disposed) return;
		if (runner.state.finished || runner.running) return;
		const step = runner.currentStep();
		const st = runner.state.steps[runner.state.current];
		// The final verification did not hold: that is the ending (NOT RECOVERED, what still fails, what next).
		if (st?.status === 'failed' && st.verify && runner.state.current === runner.state.steps.length - 1) return runner.end('');
		if (!step || st?.status !== 'todo' || this.playbookHold === runner.state.current) return;
		if (step.kind !== 'action') {
			void runner.runCurrent().then(() => this.advancePlaybook());
			return;
		}
		if (this.state.modal?.kind !== 'playbook') return;
		this.advancing = true;
		void this.playbookAction(runner).finally(() => {
			this.advancing = false;
		});
	}

	private playbookKey(name: string): void {
		const runner = this.state.playbook;
		if (!runner) return this.set({modal: null});
		if (name === 'escape' || name === 'q') return this.set({modal: null});
		const step = runner.currentStep();
		const st = runner.state.steps[runner.state.current];
		if (runner.state.finished) {
			if (name === 'enter') this.set({modal: null, playbook: null});
			return;
		}
		if (name === 'a') return runner.abort('aborted by the operator');
		if (name === 's') {
			if (st?.status === 'running') runner.skipWait();
			else {
				this.playbookHold = null;
				runner.skipStep(st?.status === 'failed' ? `skipped by the operator after it failed: ${st.message}` : 'skipped by the operator');
			}
			return;
		}
		if (name === 'enter' && step && st?.status !== 'running' && !runner.running) {
			this.playbookAuto = true;
			this.playbookHold = null;
			if (step.kind === 'action') void this.playbookAction(runner);
			else void runner.runCurrent().then(() => this.advancePlaybook());
		}
	}

	private async playbookAction(runner: PlaybookRunner): Promise<void> {
		this.set({modal: {kind: 'preparing', title: runner.currentStep()?.title ?? 'step'}});
		const prep = await runner.prepareAction();
		if (!this.stillPreparing()) {
			// Esc while planning: the step waits for Enter.
			this.holdPlaybookStep();
			return;
		}
		if (prep.kind === 'not-applicable') {
			runner.skipStep(prep.reason);
			return this.set({modal: {kind: 'playbook'}});
		}
		if (prep.kind === 'refused') {
			runner.failStep(prep.reason);
			return this.set({modal: {kind: 'playbook'}});
		}
		if (!prep.prepared.action.mutates) {
			void runner.runAction(prep.prepared, null).then(() => this.advancePlaybook());
			return this.set({modal: {kind: 'playbook'}});
		}
		const inputs = Object.fromEntries(Object.entries(prep.prepared.inputs).map(([k, v]) => [k, String(v)]));
		this.openConfirm(prep.prepared, inputs, true);
	}
}
