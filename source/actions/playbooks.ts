// The runbook's recovery scenarios (and its weekly optimisation) as guided step sequences, one set per API
// profile. A step is an action (prepared and confirmed through the gate like any other), a wait (on the
// hive's clock, skippable) or a check (read and judge; the verification watches until it holds). The pieces
// live in playbooks/: definitions, the pure state and ending, the verdict and hive clock, the runner.
export {playbooks, getPlaybook, isPlaybookId, SCENARIO_PLAYBOOKS, CORRUPTED_STREAM_CANDIDATE, SCENARIO_HEADERS} from './playbooks/definitions.js';
export {initialPlaybookState, playbookReducer, concludePlaybook} from './playbooks/state.js';
export {scenarioFailures, failureText, countdownLeft, HiveSpan} from './playbooks/verdict.js';
export {PlaybookRunner, runPlaybookHeadless, type PlaybookRunnerOptions, type ActionStepPreparation, type HeadlessHooks} from './playbooks/runner.js';
export type {
	CheckResult,
	Countdown,
	EscalationPath,
	Failure,
	Playbook,
	PlaybookEnding,
	PlaybookEvent,
	PlaybookId,
	PlaybookOutcome,
	PlaybookState,
	StepContext,
	StepDef,
	StepState,
	StepStatus,
} from './playbooks/types.js';
