// Drives a playbook from the console: once started it moves on by itself (checks and waits run as soon as
// they are current, in the background too; an action step opens its confirmation when the playbook view is
// on screen), and a failed step or a confirmation the operator cancelled waits for Enter (retry) or s (skip).
import {getPlaybook, PlaybookRunner, type Gate, type PreparedAction} from '../../actions/index.js';
import type {EscalationPath} from '../../actions/playbooks.js';
import type {Thresholds} from '../../model/types.js';
import type {CommandId} from '../keymap.js';

/** What the driver needs of the controller: the modal layer, the runner slot and the confirmation. */
export interface PlaybookHost {
	gate(): Gate | null;
	modalKind(): string | undefined;
	showPlaybook(): void;
	closeModal(): void;
	preparing(title: string): void;
	runner(): PlaybookRunner | null;
	setRunner(runner: PlaybookRunner | null): void;
	/** The runner's state changed: the views re-render. */
	changed(): void;
	openConfirm(prepared: PreparedAction, inputs: Record<string, string>): void;
	disposed(): boolean;
	subscribe(unsubscribe: () => void): void;
	thresholds(): Thresholds | undefined;
	escalation: EscalationPath | null;
}

export class PlaybookDriver {
	/** The playbook runs on by itself once started. */
	private auto = false;
	/** The step whose confirmation the operator cancelled: not reopened until Enter asks for it. */
	private hold: number | null = null;
	private advancing = false;

	constructor(private readonly host: PlaybookHost) {}

	/** Opens the scenario's playbook, or returns to the one running. */
	open(scenario: string, profile: Gate['env']['profile']): void {
		const gate = this.host.gate()!;
		// The connected hive's own playbook: the beehive server reaches the runbook's ends with its own controls.
		const playbook = getPlaybook(scenario, profile)!;
		const thresholds = this.host.thresholds();
		const runner = new PlaybookRunner(playbook, {gate, watchPollMs: 2000, ...(thresholds ? {thresholds} : {}), escalation: this.host.escalation});
		this.auto = false;
		this.hold = null;
		this.host.subscribe(
			runner.store.subscribe(() => {
				this.host.changed();
				// After the step that changed it has wound down (its finally blocks ran): a timer, not a microtask.
				setTimeout(() => this.advance(), 0);
			}),
		);
		this.host.setRunner(runner);
		this.host.showPlaybook();
	}

	/** The operator left the current step's confirmation (Esc or Cancel): the step waits for Enter. */
	holdStep(): void {
		const runner = this.host.runner();
		if (runner) this.hold = runner.state.current;
	}

	runAction(prepared: PreparedAction, token: Parameters<PlaybookRunner['runAction']>[1]): void {
		const runner = this.host.runner();
		if (!runner) return;
		void runner.runAction(prepared, token).then(() => this.advance());
		this.host.showPlaybook();
	}

	advance(): void {
		const runner = this.host.runner();
		if (!runner || !this.auto || this.advancing || this.host.disposed()) return;
		if (runner.state.finished || runner.running) return;
		const step = runner.currentStep();
		const st = runner.state.steps[runner.state.current];
		// The final verification did not hold: that is the ending (NOT RECOVERED, what still fails, what next).
		if (st?.status === 'failed' && st.verify && runner.state.current === runner.state.steps.length - 1) return runner.end('');
		if (!step || st?.status !== 'todo' || this.hold === runner.state.current) return;
		if (step.kind !== 'action') {
			void runner.runCurrent().then(() => this.advance());
			return;
		}
		if (this.host.modalKind() !== 'playbook') return;
		this.advancing = true;
		void this.prepareAction(runner).finally(() => {
			this.advancing = false;
		});
	}

	/** A command of the playbook view (its keys come from the keymap). */
	command(command: CommandId): void {
		const runner = this.host.runner();
		if (!runner) return this.host.closeModal();
		if (command === 'close') return this.host.closeModal();
		const step = runner.currentStep();
		const st = runner.state.steps[runner.state.current];
		if (runner.state.finished) {
			if (command === 'playbook-step') {
				this.host.closeModal();
				this.host.setRunner(null);
			}
			return;
		}
		if (command === 'playbook-abort') return runner.abort('aborted by the operator');
		if (command === 'playbook-skip') {
			if (st?.status === 'running') runner.skipWait();
			else {
				this.hold = null;
				runner.skipStep(st?.status === 'failed' ? `skipped by the operator after it failed: ${st.message}` : 'skipped by the operator');
			}
			return;
		}
		if (command === 'playbook-step' && step && st?.status !== 'running' && !runner.running) {
			this.auto = true;
			this.hold = null;
			if (step.kind === 'action') void this.prepareAction(runner);
			else void runner.runCurrent().then(() => this.advance());
		}
	}

	private async prepareAction(runner: PlaybookRunner): Promise<void> {
		this.host.preparing(runner.currentStep()?.title ?? 'step');
		const prep = await runner.prepareAction();
		if (this.host.modalKind() !== 'preparing') {
			// Esc while planning: the step waits for Enter.
			this.holdStep();
			return;
		}
		if (prep.kind === 'not-applicable') {
			runner.skipStep(prep.reason);
			return this.host.showPlaybook();
		}
		if (prep.kind === 'refused') {
			runner.failStep(prep.reason);
			return this.host.showPlaybook();
		}
		if (!prep.prepared.action.mutates) {
			void runner.runAction(prep.prepared, null).then(() => this.advance());
			return this.host.showPlaybook();
		}
		this.host.openConfirm(prep.prepared, Object.fromEntries(Object.entries(prep.prepared.inputs).map(([k, v]) => [k, String(v)])));
	}
}
