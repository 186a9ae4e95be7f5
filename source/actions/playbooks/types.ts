// The shapes of a playbook: its step definitions (what to do), the state a run goes through (what was
// done, what it found), and the ending (recovered or not, and why). Shared by the pure reducer, the
// runner, the console's view and `hive-console playbook`.
import type {ApiProfile} from '../../contract/types.js';
import type {ResolvedConfig} from '../../config/resolve.js';
import type {RunbookScenario, Thresholds} from '../../model/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import type {ActionEnv, ActionTarget} from '../types.js';

export type PlaybookId = RunbookScenario | 'weekly-optimisation';

/** The configured escalation path (the same one the banner shows). */
export interface EscalationPath {
	contacts: ResolvedConfig['escalation']['contacts'];
	channels: ResolvedConfig['escalation']['channels'];
}

/** One thing that still fails: "success rate 57.2 % (target ≥ 95 %)". */
export interface Failure {
	metric: string;
	value: string;
	threshold: string;
}

export interface CheckResult {
	ok: boolean;
	message: string;
	details?: string[];
	/** What is still wrong, for the ending (verification checks). */
	failures?: Failure[];
}

export interface StepContext {
	env: ActionEnv;
	signal: AbortSignal;
	/** Thresholds in force (the config's merged table): the same the header judges with. */
	thresholds: Thresholds;
	/** A fresh read of the hive; the runner also takes the hive's clock from it. */
	read(): Promise<HiveSnapshot>;
}

export type StepDef =
	| {
			kind: 'action';
			id: string;
			title: string;
			actionId: string;
			inputs?: Record<string, unknown>;
			/** Targets chosen for this step, or a reason to skip it. Default: the action's own choice. */
			targets?(ctx: StepContext): Promise<{targets: ActionTarget[]} | {skip: string}>;
	  }
	/** Waits `seconds` on the hive's clock (or that much wall time, whichever comes first). */
	| {kind: 'wait'; id: string; title: string; seconds: number}
	| {
			kind: 'check';
			id: string;
			title: string;
			check(ctx: StepContext): Promise<CheckResult>;
			/** Re-check until it passes or this many hive seconds pass (skippable like a wait). */
			watchSeconds?: number;
			/** Part of the verification: the playbook ends RECOVERED only if every such step passed. */
			verify?: boolean;
			/** How many polls in a row must pass (the final verification asks for 2). */
			consecutive?: number;
	  };

export interface Playbook {
	id: PlaybookId;
	profile: ApiProfile;
	title: string;
	/** When the console should offer it (the model's scenario). */
	when: string;
	steps: StepDef[];
	/** Critical playbooks show the configured escalation contacts while they run. */
	critical: boolean;
	/** What to try when it ends not recovered, after the skipped or failed steps: the runbook's next steps. */
	next: string[];
	/** A maintenance playbook has nothing to verify: it ends COMPLETED instead of RECOVERED. */
	maintenance?: boolean;
}

export type StepStatus = 'todo' | 'running' | 'done' | 'failed' | 'skipped';

/** A countdown on the hive's clock: `seconds` left at wall time `at`, the hive running `rate` times wall speed. */
export interface Countdown {
	seconds: number;
	at: number;
	rate: number;
}

export interface StepState {
	id: string;
	kind: StepDef['kind'];
	title: string;
	/** The action behind an action step, for the next-thing-to-try hints. */
	actionId: string | null;
	verify: boolean;
	status: StepStatus;
	message: string;
	details: string[];
	/** What the verification found still failing (its last poll). */
	failures: Failure[];
	/** The action run behind an action step. */
	runId: string | null;
	/** Wall-clock end of a wait or watch at the latest (epoch ms); the countdown itself is `countdown`. */
	until: number | null;
	countdown: Countdown | null;
}

export type PlaybookOutcome = 'recovered' | 'not-recovered' | 'aborted' | 'completed';

export interface PlaybookEnding {
	outcome: PlaybookOutcome;
	/** One line: "RECOVERED: …" / "NOT RECOVERED: …". */
	summary: string;
	/** What still fails: metric, value, threshold. */
	failing: Failure[];
	/** Steps skipped, with the reason: never silently a success. */
	skipped: Array<{step: string; title: string; reason: string}>;
	/** Steps that failed (or were not reached), with the message. */
	failed: Array<{step: string; title: string; message: string}>;
	/** The next things to try, in order. */
	next: string[];
	/** The configured escalation contacts; shown with every ending that is not a recovery. */
	escalation: EscalationPath | null;
}

export interface PlaybookState {
	playbookId: PlaybookId;
	profile: ApiProfile;
	title: string;
	/** Index of the step to run next (or running); steps.length when finished. */
	current: number;
	steps: StepState[];
	finished: boolean;
	aborted: boolean;
	/** Null while it runs. */
	outcome: PlaybookOutcome | null;
	ending: PlaybookEnding | null;
	/** Carried from the definition and the config, so the ending can be computed purely. */
	next: string[];
	maintenance: boolean;
	escalation: EscalationPath | null;
}

export type PlaybookEvent =
	| {type: 'step-started'; until?: number | null; message?: string; countdown?: Countdown | null}
	| {type: 'step-progress'; message: string; countdown?: Countdown | null; failures?: Failure[]; details?: string[]}
	| {
			type: 'step-finished';
			status: 'done' | 'failed' | 'skipped';
			message: string;
			details?: string[];
			runId?: string | null;
			failures?: Failure[];
	  }
	/** Ends the run where it stands (a failed step nobody will retry): the ending says what was not done. */
	| {type: 'end'; reason: string}
	| {type: 'abort'; reason?: string};
