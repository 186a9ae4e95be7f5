// The actions module's public face for the console, the commands and the app wiring.
export {actions, getAction, isActionId, availability, validateInputs, type InputCheck} from './registry.js';
export {
	createGate,
	type Gate,
	type GateOptions,
	type PreparedAction,
	type PrepareResult,
	type ConfirmationAnswer,
	type ConfirmationToken,
	type ConfirmationRequirement,
	type RunHandle,
	type RunOptions,
	type ReadOnlyMode,
	type ActionListing,
} from './gate.js';
export {createActionHistory, FINAL_STATUSES, type ActionHistoryStore, type ActionHistoryState, type ActionRun, type RunStatus, type RunProgress, type RunReply} from './history.js';
export {createActionEnv, type ActionEnvOptions} from './env.js';
export {openAuditLog, readAuditLog, parseSince, AuditLogError, type AuditLog, type AuditEntry} from './audit-log.js';
export {
	playbooks,
	getPlaybook,
	SCENARIO_HEADERS,
	PlaybookRunner,
	runPlaybookHeadless,
	playbookReducer,
	initialPlaybookState,
	type Playbook,
	type PlaybookId,
	type PlaybookState,
	type StepState,
	type StepDef,
	type ActionStepPreparation,
} from './playbooks.js';
export {playbookFor, prepareRecommendation, escalationFor, type Escalation} from './advice.js';
export {openActionSession, contextNameOf, readOnlyModeOf, type ActionSession} from './session.js';
export {agentTarget} from './defs/agents.js';
export {taskTarget} from './defs/tasks.js';
export {streamTarget} from './defs/redis.js';
export {problemReason} from './defs/common.js';
export type {ActionDefinition, ActionEnv, ActionTarget, ActionPlan, ActionId, Severity, TargetKind, PlannedRequest, Availability} from './types.js';
